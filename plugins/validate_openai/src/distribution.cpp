#include "distribution.hpp"

namespace ajuste::validate_openai {

double trainingCost(std::uint64_t billed_tokens, double price_per_1m) {
  return static_cast<double>(billed_tokens) * price_per_1m / 1e6;
}

}  // namespace ajuste::validate_openai
