#include "stats_common/distribution.hpp"

#include <algorithm>
#include <cmath>

namespace ajuste::stats_common {
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

Histogram histogram(const std::vector<std::uint32_t>& sorted) {
  Histogram out;
  if (sorted.empty()) return out;
  const std::uint64_t min = sorted.front();
  const std::uint64_t max = sorted.back();
  // 1, 2, 5 times a power of ten; 64-bit, so max + 1 of a uint32 never overflows.
  std::uint64_t width = 1;
  for (std::uint64_t decade = 1;; decade *= 10) {
    bool found = false;
    for (const std::uint64_t step : {decade, 2 * decade, 5 * decade}) {
      const std::uint64_t low = min - min % step;
      if ((max - low) / step + 1 <= kMaxHistogramBins) {
        width = step;
        found = true;
        break;
      }
    }
    if (found) break;
  }
  const std::uint64_t low = min - min % width;
  const std::uint64_t bins = (max - low) / width + 1;
  out.edges.reserve(bins + 1);
  for (std::uint64_t i = 0; i <= bins; ++i) out.edges.push_back(low + i * width);
  out.counts.assign(bins, 0);
  std::size_t bin = 0;
  for (const std::uint32_t value : sorted) {
    while (value >= out.edges[bin + 1]) ++bin;
    ++out.counts[bin];
  }
  return out;
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
  out.histogram = histogram(values);
  return out;
}

nlohmann::json toJson(const Distribution& d) {
  nlohmann::json out{{"count", d.count}, {"sum", d.sum},       {"min", d.min}, {"max", d.max},
                     {"mean", d.mean},   {"median", d.median}, {"p5", d.p5},   {"p95", d.p95}};
  if (!d.histogram.counts.empty()) {
    out["histogram"] = {{"edges", d.histogram.edges}, {"counts", d.histogram.counts}};
  }
  return out;
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

}  // namespace ajuste::stats_common
