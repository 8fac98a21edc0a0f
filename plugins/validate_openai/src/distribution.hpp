#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

namespace ajuste::validate_openai {

// A summary of one per-example metric. Percentiles interpolate linearly between the two nearest
// ranks (numpy's default, the method the cookbook uses): p(q) = v[floor(h)] + (h - floor(h)) *
// (v[floor(h)+1] - v[floor(h)]) with h = (n - 1) * q on the sorted values. p5 and p95 are the
// real 5th and 95th percentiles (the cookbook labels its 0.1/0.9 quantiles "p5/p95").
struct Distribution {
  std::uint64_t count = 0;
  std::uint64_t sum = 0;
  std::uint32_t min = 0;
  std::uint32_t max = 0;
  double mean = 0;
  double median = 0;
  double p5 = 0;
  double p95 = 0;
};

// Sorts `values` in place (the caller's copy) and summarises them; all zero for no values.
Distribution describe(std::vector<std::uint32_t>& values);
double percentile(const std::vector<std::uint32_t>& sorted, double q);
nlohmann::json toJson(const Distribution& distribution);

// OpenAI's default epochs for n training examples (cookbook constants, the service's rule):
// 3, then if n * 3 < 100: min(25, 100 / n); if n * 3 > 25000: max(1, 25000 / n) (integer division).
std::uint32_t autoEpochs(std::uint64_t examples);

// USD for `billed_tokens` at `price_per_1m` USD per million tokens.
double trainingCost(std::uint64_t billed_tokens, double price_per_1m);

}  // namespace ajuste::validate_openai
