// The quickstart pipeline, run as a user runs it: every broken example is rejected with the
// right kind at the right line, nothing is lost, and the outputs do not depend on threads.
#include <fstream>
#include <map>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run_ajuste.hpp"

namespace ajuste::e2e {
namespace {

const std::filesystem::path kRepo = REPO_DIR;

std::vector<nlohmann::json> readJsonl(const std::filesystem::path& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

class QuickstartTest : public ::testing::Test {
 protected:
  Outcome runQuickstart(const std::string& run_dir, const std::string& threads) {
    return runAjuste({"run", (kRepo / "pipelines" / "quickstart.yaml").string(), "--run-dir", run_dir, "--threads", threads,
                      "--progress", "off"},
                     dir_.path());
  }
  TempDir dir_;
};

TEST_F(QuickstartTest, RejectsEveryBrokenExampleWithItsKindAndLine) {
  const Outcome outcome = runQuickstart("run", "2");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto truth = nlohmann::json::parse(readFile(kRepo / "pipelines" / "data" / "reviews.truth.json"));
  std::map<std::uint64_t, std::string> expected;  // line -> kind, for lines that must be rejected
  for (const auto& broken : truth["broken"]) {
    if (!broken["kind"].is_null()) expected[broken["line"].get<std::uint64_t>()] = broken["kind"];
  }
  std::map<std::uint64_t, std::string> rejected;
  for (const auto& reject : readJsonl(dir_.path() / "run" / "rejects.jsonl")) {
    rejected[reject["line"].get<std::uint64_t>()] = reject["kind"];
    EXPECT_THAT(reject["source"].get<std::string>(), ::testing::EndsWith("data/reviews.jsonl"));
    EXPECT_FALSE(reject["reason"].get<std::string>().empty());
  }
  EXPECT_EQ(rejected, expected);

  const auto summary = nlohmann::json::parse(readFile(dir_.path() / "run" / "summary.json"));
  const auto& records = summary["records"];
  EXPECT_EQ(records["read"].get<int>(), records["written"].get<int>() + records["rejected"].get<int>());
  EXPECT_EQ(records["written"], truth["valid_examples"]);
  EXPECT_EQ(records["rejected"].get<std::size_t>(), expected.size());
  // Exactly 10% to validation, rounded.
  const auto train = readJsonl(dir_.path() / "run" / "train.jsonl");
  const auto valid = readJsonl(dir_.path() / "run" / "valid.jsonl");
  EXPECT_EQ(train.size() + valid.size(), truth["valid_examples"].get<std::size_t>());
  EXPECT_EQ(valid.size(), static_cast<std::size_t>(std::llround(0.1 * static_cast<double>(train.size() + valid.size()))));
}

TEST_F(QuickstartTest, OutputsAreByteIdenticalWhateverTheThreadCount) {
  ASSERT_EQ(runQuickstart("one", "1").exit_code, 0);
  ASSERT_EQ(runQuickstart("four", "4").exit_code, 0);
  for (const char* file : {"train.jsonl", "valid.jsonl", "rejects.jsonl"}) {
    const std::string one = readFile(dir_.path() / "one" / file);
    EXPECT_FALSE(one.empty()) << file;
    EXPECT_EQ(one, readFile(dir_.path() / "four" / file)) << file;
  }
}

TEST_F(QuickstartTest, ARejectLimitFailsTheRunWithExitCodeOne) {
  const Outcome outcome =
      runAjuste({"run", (kRepo / "pipelines" / "quickstart.yaml").string(), "--run-dir", "gated", "--set",
                 "run.max_reject_ratio=0.01", "--progress", "off"},
                dir_.path());
  EXPECT_EQ(outcome.exit_code, 1) << outcome.err;
  EXPECT_THAT(outcome.err, ::testing::HasSubstr("more than run.max_reject_ratio = 0.01"));
  const auto summary = nlohmann::json::parse(readFile(dir_.path() / "gated" / "summary.json"));
  EXPECT_EQ(summary["status"], "gate_failed");
}

}  // namespace
}  // namespace ajuste::e2e
