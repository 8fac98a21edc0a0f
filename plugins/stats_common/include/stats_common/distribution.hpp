#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

// Summaries of per-example metrics, shared by stats/openai (the whole dataset) and split/random
// (per split), so both report the same definition. A static library linked into each plugin.
namespace ajuste::stats_common {

// Equal-width bins over [edges.front(), edges.back()): bin i holds the values v with
// edges[i] <= v < edges[i + 1], so every value is in exactly one bin and the counts add up to
// the distribution's count. Edges are integers (the metrics are counts); see histogram().
struct Histogram {
  std::vector<std::uint64_t> edges;   // counts.size() + 1 strictly increasing values
  std::vector<std::uint64_t> counts;
};

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
  Histogram histogram;  // empty for no values
};

// At most this many bins in a histogram.
inline constexpr std::size_t kMaxHistogramBins = 20;

// Sorts `values` in place (the caller's copy) and summarises them; all zero for no values.
Distribution describe(std::vector<std::uint32_t>& values);
double percentile(const std::vector<std::uint32_t>& sorted, double q);

// The bins of sorted values: the width is the smallest of 1, 2, 5, 10, 20, 50, ... that covers
// [min, max] in at most kMaxHistogramBins bins starting at min rounded down to a multiple of the
// width; the last edge is the first multiple past max. Deterministic: the same values give the
// same edges whatever their order or the thread count. Empty for no values.
Histogram histogram(const std::vector<std::uint32_t>& sorted);

// {"count", "sum", "min", "max", "mean", "median", "p5", "p95", "histogram": {"edges", "counts"}};
// no "histogram" when there are no values.
nlohmann::json toJson(const Distribution& distribution);

// OpenAI's default epochs for n training examples (cookbook constants, the service's rule):
// 3, then if n * 3 < 100: min(25, 100 / n); if n * 3 > 25000: max(1, 25000 / n) (integer division).
std::uint32_t autoEpochs(std::uint64_t examples);

}  // namespace ajuste::stats_common
