// `ajuste check`: the one-command dataset check CI systems call, judged by exit code and output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run_ajuste.hpp"

namespace ajuste::e2e {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kReviews = std::filesystem::path(REPO_DIR) / "pipelines" / "data" / "reviews.jsonl";

std::string cleanDataset(int examples) {
  std::string text;
  for (int i = 0; i < examples; ++i) {
    text += R"({"messages":[{"role":"system","content":"Rate the review."},{"role":"user","content":"Review number )" +
            std::to_string(i) + R"( was fine."},{"role":"assistant","content":"Rating: )" + std::to_string(1 + i % 5) +
            " stars\"}]}\n";
  }
  return text;
}

TEST(CheckCommand, ABrokenFileIsNotReadyAndEveryErrorNamesItsLine) {
  const TempDir dir;
  const Outcome outcome = runAjuste({"check", kReviews.string(), "--provider", "azure"}, dir.path());
  EXPECT_EQ(outcome.exit_code, 1) << outcome.err;
  EXPECT_THAT(outcome.out, HasSubstr("NOT ready for upload"));
  EXPECT_THAT(outcome.out, HasSubstr("line 169: messages[2].role \"bot\" is not one of system, user, assistant, tool"));
}

TEST(CheckCommand, GithubFormatAnnotatesTheOffendingLines) {
  const TempDir dir;
  const Outcome outcome =
      runAjuste({"check", kReviews.string(), "--provider", "azure", "--format", "github"}, dir.path());
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_THAT(outcome.out, HasSubstr("::error file=" + kReviews.string() + ",line=169,title=ajuste%3A unknown_role::"));
  EXPECT_THAT(outcome.out, HasSubstr("::error file=" + kReviews.string() + ",line=82,title=ajuste%3A invalid_json::"));
}

TEST(CheckCommand, ACleanFileIsReadyAndJsonGivesTheRunSummary) {
  const TempDir dir;
  writeFile(dir.path() / "clean.jsonl", cleanDataset(40));
  const Outcome outcome = runAjuste({"check", "clean.jsonl", "--provider", "azure", "--format", "json"}, dir.path());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err << outcome.out;
  const auto summary = nlohmann::json::parse(outcome.out);
  EXPECT_TRUE(summary["ready"].get<bool>());
  EXPECT_EQ(summary["records"]["read"], 40);
  EXPECT_EQ(summary["records"]["rejected"], 0);
}

TEST(CheckCommand, OverBudgetIsNotReady) {
  const TempDir dir;
  writeFile(dir.path() / "clean.jsonl", cleanDataset(40));
  const Outcome outcome = runAjuste({"check", "clean.jsonl", "--provider", "azure", "--max-cost", "0.000001"}, dir.path());
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_THAT(outcome.out, HasSubstr("NOT ready for upload"));
}

TEST(CheckCommand, TooFewExamplesIsAnErrorFinding) {
  const TempDir dir;
  writeFile(dir.path() / "tiny.jsonl", cleanDataset(3));
  const Outcome outcome = runAjuste({"check", "tiny.jsonl", "--provider", "azure"}, dir.path());
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_THAT(outcome.out, HasSubstr("too_few_examples"));
}

TEST(CheckCommand, AnUnknownModelIsAUsageErrorNamingTheFlag) {
  const TempDir dir;
  writeFile(dir.path() / "clean.jsonl", cleanDataset(12));
  const Outcome outcome = runAjuste({"check", "clean.jsonl", "--model", "gpt-4o-mni"}, dir.path());
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.err, HasSubstr("ajuste check --model: error:"));
  EXPECT_THAT(outcome.err, HasSubstr("gpt-4o-mni"));
}

}  // namespace
}  // namespace ajuste::e2e
