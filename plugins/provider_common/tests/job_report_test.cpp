#include "job_report.hpp"

#include <gtest/gtest.h>

namespace ajuste::provider {
namespace {

using nlohmann::json;

TEST(JobReport, ActualCostIsTrainedTokensTimesThePriceOfTheEstimate) {
  const json job = {{"status", "succeeded"},
                    {"model", "gpt-4o-mini-2024-07-18"},
                    {"fine_tuned_model", "ft:x"},
                    {"trained_tokens", 2000000},
                    {"error", nullptr}};
  const json estimate = {{"billed_tokens", 1900000}, {"usd_per_1m_training_tokens", 3.0}, {"usd", 5.7}};
  const json report = jobReport("openai", "ftjob-1", job, estimate, false, json::array());
  EXPECT_EQ(report["estimated_billed_tokens"], 1900000);
  EXPECT_EQ(report["estimated_usd"], 5.7);
  EXPECT_DOUBLE_EQ(report["actual_usd"].get<double>(), 6.0);
  EXPECT_EQ(report["simulated"], false);
  EXPECT_EQ(report["error"], nullptr);
}

TEST(JobReport, UnknownValuesAreNullAndEmptyErrorsAreNoError) {
  const json report =
      jobReport("azure", "ftjob-2", {{"status", "running"}, {"error", {{"code", nullptr}, {"message", nullptr}}}},
                std::nullopt, true, json::array());
  for (const char* key : {"fine_tuned_model", "trained_tokens", "estimated_billed_tokens", "estimated_usd",
                          "actual_usd", "error", "base_model"}) {
    EXPECT_TRUE(report[key].is_null()) << key;
  }
  EXPECT_EQ(report.size(), 12u);
  EXPECT_EQ(report["checkpoints"], json::array());
  EXPECT_EQ(jobError({{"error", {{"code", "server_error"}, {"message", "boom"}, {"param", nullptr}}}}),
            (json{{"code", "server_error"}, {"message", "boom"}, {"param", nullptr}}));
}

}  // namespace
}  // namespace ajuste::provider
