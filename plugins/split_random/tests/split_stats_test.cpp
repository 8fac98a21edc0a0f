// Per-split statistics from validate/openai's record.meta["openai"].
#include "split_stats.hpp"

#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/stage_harness.hpp"
#include "random_split.hpp"

namespace ajuste::split_random {
namespace {

using Json = nlohmann::json;
using testing::StageHarness;

// A record as validate/openai leaves it: the example plus its numbers in meta.
Record withMeta(std::uint64_t i, std::uint32_t tokens, const std::string& label) {
  Record record;
  record.value = {{"i", i}};
  record.origin = Provenance{"<inline>", i + 1, i, 0};
  record.meta = {{"openai",
                  {{"format", "chat"},
                   {"tokens", tokens},
                   {"assistant_tokens", tokens / 10},
                   {"messages", 3},
                   {"billed", tokens},
                   {"label", label}}}};
  return record;
}

TEST(SplitStats, DistributionsBilledTokensAndLabelsPerSplit) {
  SplitStats stats;
  for (std::uint32_t i = 0; i < 10; ++i) stats.add(withMeta(i, 100 * (i + 1), i % 2 == 0 ? "yes" : "no").meta);
  // Records 2 and 5 go to validation.
  for (std::uint32_t i = 0; i < 10; ++i) stats.assign(i == 2 || i == 5);
  const Json report = stats.report();
  const Json& train = report.at("train");
  const Json& valid = report.at("valid");
  EXPECT_EQ(train["examples"], 8);
  EXPECT_EQ(valid["examples"], 2);
  EXPECT_EQ(valid["tokens_per_example"],
            Json({{"count", 2}, {"sum", 900}, {"min", 300}, {"max", 600}, {"mean", 450.0}, {"median", 450.0},
                  {"p5", 315.0}, {"p95", 585.0},
                  {"histogram",
                   {{"edges", {300, 320, 340, 360, 380, 400, 420, 440, 460, 480, 500, 520, 540, 560, 580, 600, 620}},
                    {"counts", {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}}}}));
  EXPECT_EQ(train["tokens_per_example"]["sum"], 5500 - 900);
  EXPECT_EQ(train["messages_per_example"]["max"], 3);
  EXPECT_EQ(valid["assistant_tokens_per_example"]["sum"], 90);
  EXPECT_EQ(train["billed_tokens_per_epoch"], 4600);
  EXPECT_EQ(train["n_epochs_auto"], 12) << "100 / 8";
  EXPECT_EQ(train["billed_tokens_auto"], 12 * 4600);
  EXPECT_EQ(train["labels"], Json({{"yes", 4}, {"no", 4}}));
  EXPECT_EQ(valid["labels"], Json({{"yes", 1}, {"no", 1}}));
}

TEST(SplitStats, NothingWithoutMeta) {
  SplitStats stats;
  stats.add(nullptr);
  stats.assign(false);
  EXPECT_TRUE(stats.report().is_null());
}

TEST(SplitStats, TheEpochRule) {
  EXPECT_EQ(autoEpochs(1), 25u);
  EXPECT_EQ(autoEpochs(33), 3u);
  EXPECT_EQ(autoEpochs(34), 3u);
  EXPECT_EQ(autoEpochs(8333), 3u);
  EXPECT_EQ(autoEpochs(8334), 2u);
  EXPECT_EQ(autoEpochs(100000), 1u);
}

TEST(SplitStats, TheSinkReportsThemAlongsideTheSplit) {
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.3, "seed": 5})"};
  h.setBatchSize(4);
  std::vector<Record> records;
  for (std::uint32_t i = 0; i < 10; ++i) records.push_back(withMeta(i, 10 * (i + 1), "label"));
  ASSERT_TRUE(h.run(std::move(records)).status.isOk());
  const Json report = h.context().reports().at("split");
  EXPECT_EQ(report["train"], 7);
  ASSERT_TRUE(report.contains("openai"));
  // Cross-check with the files: the valid split's token sum is 10 * (i + 1) over its records.
  std::uint64_t valid_sum = 0;
  std::ifstream valid(h.context().runDir() / "valid.jsonl");
  for (std::string line; std::getline(valid, line);) valid_sum += 10 * (Json::parse(line)["i"].get<std::uint64_t>() + 1);
  EXPECT_EQ(report["openai"]["valid"]["examples"], 3);
  EXPECT_EQ(report["openai"]["valid"]["tokens_per_example"]["sum"], valid_sum);
  EXPECT_EQ(report["openai"]["train"]["tokens_per_example"]["sum"], 550 - valid_sum);
  EXPECT_EQ(report["openai"]["train"]["labels"], Json({{"label", 7}}));
}

TEST(SplitStats, RecordsWithoutMetaKeepTheReportAsItWas) {
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.5})"};
  ASSERT_TRUE(h.run("{\"a\":1}\n{\"a\":2}\n").status.isOk());
  EXPECT_FALSE(h.context().reports().at("split").contains("openai"));
}

}  // namespace
}  // namespace ajuste::split_random
