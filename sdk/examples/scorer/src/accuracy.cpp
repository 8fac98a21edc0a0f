#include "accuracy.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace example {
namespace {

constexpr double kZ95 = 1.959963984540054;  // the standard normal's 97.5th percentile

std::string oneDecimal(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

std::string percent(double fraction) { return oneDecimal(100 * fraction) + "%"; }

}  // namespace

Interval wilson95(std::size_t successes, std::size_t n) {
  if (n == 0) return {};
  const double total = static_cast<double>(n);
  const double p = static_cast<double>(successes) / total;
  const double z2 = kZ95 * kZ95;
  const double centre = (p + z2 / (2 * total)) / (1 + z2 / total);
  const double half = kZ95 / (1 + z2 / total) * std::sqrt(p * (1 - p) / total + z2 / (4 * total * total));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

std::string recommend(const Tally& base_prompt, const Tally& fine_tuned, double tie_points) {
  const double difference = 100 * (fine_tuned.accuracy() - base_prompt.accuracy());
  const std::string both =
      " (fine-tuned " + percent(fine_tuned.accuracy()) + ", prompt " + percent(base_prompt.accuracy()) + ")";
  if (std::fabs(difference) <= tie_points) {
    return "keep the prompt: the fine-tuned model is within " + oneDecimal(tie_points) +
           " points of it on keyword match" + both + ", and the prompt needs no training or hosting";
  }
  if (difference > 0) {
    std::string line = "use the fine-tuned model: it is " + oneDecimal(difference) +
                       " points more accurate on keyword match" + both;
    const Interval tuned = wilson95(fine_tuned.correct, fine_tuned.n);
    const Interval base = wilson95(base_prompt.correct, base_prompt.n);
    if (tuned.low <= base.high) line += "; the 95% intervals overlap, so more examples would make it surer";
    return line;
  }
  return "keep the prompt: it is " + oneDecimal(-difference) +
         " points more accurate than the fine-tuned model on keyword match" + both;
}

}  // namespace example
