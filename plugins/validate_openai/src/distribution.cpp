#include "distribution.hpp"

#include <algorithm>
#include <cmath>

namespace ajuste::validate_openai {
namespace {

constexpr std::uint64_t kTargetEpochs = 3;
constexpr std::uint64_t kMinTargetExamples = 100;
constexpr std::uint64_t kMaxTargetExamples = 25000;
constexpr std::uint64_t kMinDefaultEpochs = 1;
constexpr std::uint64_t kMaxDefaultEpochs = 25;

}  // namespace

double percentile(const std::vector<std::uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const auto low = static_cast<std::size_t>(std::floor(h));
  const std::size_t high = std::min(low + 1, sorted.size() - 1);
  const double fraction = h - static_cast<double>(low);
  return static_cast<double>(sorted[low]) +
         fraction * (static_cast<double>(sorted[high]) - static_cast<double>(sorted[low]));
}

Distribution describe(std::vector<std::uint32_t>& values) {
  Distribution out;
  if (values.empty()) return out;
  std::sort(values.begin(), values.end());
  out.count = values.size();
  for (const std::uint32_t v : values) out.sum += v;
  out.min = values.front();
  out.max = values.back();
  out.mean = static_cast<double>(out.sum) / static_cast<double>(out.count);
  out.median = percentile(values, 0.5);
  out.p5 = percentile(values, 0.05);
  out.p95 = percentile(values, 0.95);
  return out;
}

nlohmann::json toJson(const Distribution& d) {
  return nlohmann::json{{"count", d.count}, {"sum", d.sum},       {"min", d.min}, {"max", d.max},
                        {"mean", d.mean},   {"median", d.median}, {"p5", d.p5},   {"p95", d.p95}};
}

std::uint32_t autoEpochs(std::uint64_t examples) {
  std::uint64_t epochs = kTargetEpochs;
  if (examples == 0) return static_cast<std::uint32_t>(epochs);
  if (examples * kTargetEpochs < kMinTargetExamples) {
    epochs = std::min(kMaxDefaultEpochs, kMinTargetExamples / examples);
  } else if (examples * kTargetEpochs > kMaxTargetExamples) {
    epochs = std::max(kMinDefaultEpochs, kMaxTargetExamples / examples);
  }
  return static_cast<std::uint32_t>(epochs);
}

double trainingCost(std::uint64_t billed_tokens, double price_per_1m) {
  return static_cast<double>(billed_tokens) * price_per_1m / 1e6;
}

}  // namespace ajuste::validate_openai
