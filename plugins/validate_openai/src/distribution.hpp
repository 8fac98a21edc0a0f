#pragma once

#include <cstdint>

#include "stats_common/distribution.hpp"

namespace ajuste::validate_openai {

// Distributions (percentiles, histogram) and OpenAI's epoch rule are shared with split/random.
using stats_common::autoEpochs;
using stats_common::describe;
using stats_common::Distribution;
using stats_common::percentile;
using stats_common::toJson;

// USD for `billed_tokens` at `price_per_1m` USD per million tokens.
double trainingCost(std::uint64_t billed_tokens, double price_per_1m);

}  // namespace ajuste::validate_openai
