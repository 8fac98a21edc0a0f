#include "progress_throttle.hpp"

#include <gtest/gtest.h>

namespace ajuste::provider {
namespace {

using std::chrono::seconds;

TEST(ProgressThrottle, LogsFirstLastAndEachTenthWhenTimeStandsStill) {
  ProgressThrottle throttle(seconds(60));
  const auto now = std::chrono::steady_clock::now();
  int logged = 0;
  for (std::int64_t step = 1; step <= 300; ++step) logged += throttle.due(step, 300, now) ? 1 : 0;
  EXPECT_EQ(logged, 11) << "step 1, then the first step of each 10%, the last included";
}

TEST(ProgressThrottle, LogsWhenTheIntervalHasPassed) {
  ProgressThrottle throttle(seconds(60));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(throttle.due(1, 1000, start));
  EXPECT_FALSE(throttle.due(2, 1000, start + seconds(30)));
  EXPECT_TRUE(throttle.due(3, 1000, start + seconds(61)));
  EXPECT_FALSE(throttle.due(4, 1000, start + seconds(62)));
}

TEST(ProgressThrottle, FormatsTheMetricsLine) {
  EXPECT_EQ(metricsLine({{"step", 120}, {"total_steps", 300}, {"train_loss", 0.41}, {"valid_loss", 0.46}}),
            "step 120/300 train loss 0.41 valid loss 0.46");
  EXPECT_EQ(metricsLine({{"step", 7}, {"train_loss", 1.23456}}), "step 7 train loss 1.23");
  EXPECT_EQ(metricsLine({{"train_loss", 1}}), "");
}

}  // namespace
}  // namespace ajuste::provider
