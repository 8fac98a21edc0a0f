#include "stats_common/distribution.hpp"

#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace ajuste::stats_common {
namespace {

using Values = std::vector<std::uint32_t>;
using Edges = std::vector<std::uint64_t>;

TEST(Histogram, OneBinPerValueWhenTheRangeIsSmall) {
  const Histogram h = histogram(Values{3, 3, 4, 7});
  EXPECT_EQ(h.edges, (Edges{3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(h.counts, (Edges{2, 1, 0, 0, 1}));
}

TEST(Histogram, WidthIsOneTwoOrFiveTimesAPowerOfTenAndEdgesAreItsMultiples) {
  // 14..95: width 5 gives 18 bins from 10 (width 2 would need 41).
  const Histogram h = histogram(Values{14, 15, 50, 95});
  ASSERT_EQ(h.edges.size(), 19u);
  EXPECT_EQ(h.edges.front(), 10u);
  EXPECT_EQ(h.edges.back(), 100u);
  for (std::size_t i = 1; i < h.edges.size(); ++i) EXPECT_EQ(h.edges[i] - h.edges[i - 1], 5u);
  EXPECT_EQ(h.counts.front(), 1u);  // [10, 15) holds 14, [15, 20) holds 15
  EXPECT_EQ(h.counts[1], 1u);
  EXPECT_EQ(h.counts[8], 1u);       // [50, 55)
  EXPECT_EQ(h.counts.back(), 1u);   // 95 is in [95, 100)
}

TEST(Histogram, AtMostTwentyBinsAndEveryValueCountedOnce) {
  Values values;
  for (std::uint32_t v = 0; v < 100000; v += 7) values.push_back(v);
  values.push_back(4294967295u);  // the largest metric does not overflow the last edge
  const Histogram h = histogram(values);
  EXPECT_LE(h.counts.size(), kMaxHistogramBins);
  EXPECT_EQ(h.edges.size(), h.counts.size() + 1);
  EXPECT_GT(h.edges.back(), 4294967295u);
  EXPECT_EQ(h.edges[1], 500000000u);  // 2e8 would need 22 bins
  std::uint64_t total = 0;
  for (const std::uint64_t c : h.counts) total += c;
  EXPECT_EQ(total, values.size());
}

TEST(Histogram, ASingleValueIsOneBinAndNoValuesNoHistogram) {
  const Histogram one = histogram(Values{42, 42});
  EXPECT_EQ(one.edges, (Edges{42, 43}));
  EXPECT_EQ(one.counts, (Edges{2}));
  EXPECT_TRUE(histogram(Values{}).edges.empty());
  Values none;
  EXPECT_FALSE(toJson(describe(none)).contains("histogram"));
}

TEST(Distribution, JsonCarriesTheSummaryAndTheHistogram) {
  Values values{5, 1, 3};
  const nlohmann::json j = toJson(describe(values));
  EXPECT_EQ(j["count"], 3);
  EXPECT_EQ(j["median"], 3.0);
  EXPECT_EQ(j["histogram"]["edges"], nlohmann::json({1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(j["histogram"]["counts"], nlohmann::json({1, 0, 1, 0, 1}));
}

TEST(Distribution, AutoEpochsFollowsTheServiceRule) {
  EXPECT_EQ(autoEpochs(0), 3u);
  EXPECT_EQ(autoEpochs(1), 25u);
  EXPECT_EQ(autoEpochs(33), 3u);
  EXPECT_EQ(autoEpochs(8334), 2u);
  EXPECT_EQ(autoEpochs(100000), 1u);
}

}  // namespace
}  // namespace ajuste::stats_common
