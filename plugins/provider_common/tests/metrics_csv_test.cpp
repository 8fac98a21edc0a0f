#include "metrics_csv.hpp"

#include <gtest/gtest.h>

namespace ajuste::provider {
namespace {

using nlohmann::json;

TEST(MetricsCsv, ReadsOpenAiColumnsByName) {
  const auto metrics = metricsFromCsv(
      "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n"
      "1,2.1,0.4,2.3,0.35\n"
      "2,1.5,0.6,,\n");
  EXPECT_EQ(metrics["step"], json::array({1, 2}));
  EXPECT_EQ(metrics["train_loss"], json::array({2.1, 1.5}));
  EXPECT_EQ(metrics["train_accuracy"], json::array({0.4, 0.6}));
  EXPECT_EQ(metrics["valid_loss"], json::array({2.3, nullptr}));
  EXPECT_EQ(metrics["valid_accuracy"], json::array({0.35, nullptr}));
}

TEST(MetricsCsv, ReadsAzureColumnsInAnyOrderWithExtrasCrlfAndBom) {
  const auto metrics = metricsFromCsv(
      "\xEF\xBB\xBF"
      "full_valid_loss,validation_mean_token_accuracy,step,train_mean_token_accuracy,valid_loss,train_loss,"
      "full_valid_mean_token_accuracy\r\n"
      ",0.5,10,0.7,0.9,0.8,\r\n"
      "0.85,0.55,20,0.75,0.88,0.7,0.6\r\n");
  EXPECT_EQ(metrics["step"], json::array({10, 20}));
  EXPECT_EQ(metrics["train_loss"], json::array({0.8, 0.7}));
  EXPECT_EQ(metrics["train_accuracy"], json::array({0.7, 0.75}));
  EXPECT_EQ(metrics["valid_loss"], json::array({0.9, 0.88}));
  EXPECT_EQ(metrics["valid_accuracy"], json::array({0.5, 0.55}));
  EXPECT_EQ(metrics.size(), 5u) << "extra columns are not reported";
}

TEST(MetricsCsv, MissingColumnsShortRowsAndJunkGiveNullsOfEqualLength) {
  const auto metrics = metricsFromCsv("\"step\",\"train_loss\"\n1,abc\n2\n\n3,\"0.5\"\n");
  for (const char* key : {"step", "train_loss", "valid_loss", "train_accuracy", "valid_accuracy"}) {
    EXPECT_EQ(metrics[key].size(), 3u) << key;
  }
  EXPECT_EQ(metrics["step"], json::array({1, 2, 3}));
  EXPECT_EQ(metrics["train_loss"], json::array({nullptr, nullptr, 0.5}));
  EXPECT_EQ(metrics["valid_loss"], json::array({nullptr, nullptr, nullptr}));
}

TEST(MetricsCsv, EmptyInputGivesEmptyColumns) {
  EXPECT_EQ(metricsFromCsv(""), emptyMetrics());
  EXPECT_EQ(emptyMetrics()["step"], json::array());
}

}  // namespace
}  // namespace ajuste::provider
