// The quickstart pipeline, run as a user runs it: every broken example is rejected with the
// right kind at the right line, nothing is lost, and the outputs do not depend on threads.
#include <fstream>
#include <map>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "emulator.hpp"
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

// The quickstart runs against the emulator, as scripts/quickstart.sh runs it.
class QuickstartTest : public ::testing::Test {
 protected:
  Outcome runQuickstart(const std::string& run_dir, const std::string& threads, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"run", (kRepo / "pipelines" / "quickstart.yaml").string(), "--run-dir", run_dir,
                                  "--threads", threads, "--progress", "off"};
    args.insert(args.end(), extra.begin(), extra.end());
    return runAjuste(args, dir_.path(),
                     {{"AZURE_OPENAI_ENDPOINT", emulator_.baseUrl()}, {"AZURE_OPENAI_API_KEY", "quickstart-key"}});
  }
  std::int64_t counter(const std::string& name) { return emulator_.world().counters().value(name, std::int64_t{0}); }
  TempDir dir_;
  emulator::Emulator emulator_{emulator::Options{}};
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
  for (const char* file : {"train.jsonl", "valid.jsonl", "rejects.jsonl", "evaluate.predictions.jsonl"}) {
    const std::string one = readFile(dir_.path() / "one" / file);
    EXPECT_FALSE(one.empty()) << file;
    EXPECT_EQ(one, readFile(dir_.path() / "four" / file)) << file;
  }
}

TEST_F(QuickstartTest, ARejectLimitFailsTheRunWithExitCodeOne) {
  const Outcome outcome = runQuickstart("gated", "2", {"--set", "run.max_reject_ratio=0.01"});
  EXPECT_EQ(outcome.exit_code, 1) << outcome.err;
  EXPECT_THAT(outcome.err, ::testing::HasSubstr("more than run.max_reject_ratio = 0.01"));
  const auto summary = nlohmann::json::parse(readFile(dir_.path() / "gated" / "summary.json"));
  EXPECT_EQ(summary["status"], "gate_failed");
  // Nothing reached the provider.
  EXPECT_EQ(counter("files_created"), 0);
  EXPECT_EQ(counter("jobs_created"), 0);
}

TEST_F(QuickstartTest, ABudgetBelowTheEstimateStopsBeforeUploadingWithExitCodeFive) {
  const Outcome outcome = runQuickstart("budget", "2", {"--set", "validate.max_cost=0.0001", "--set",
                                                        "stats.max_cost=0.0001"});
  EXPECT_EQ(outcome.exit_code, 5) << outcome.err;
  EXPECT_EQ(counter("files_created"), 0);
  EXPECT_EQ(counter("jobs_created"), 0);
}

TEST_F(QuickstartTest, FineTunesOnTheEmulatorAndReportsTheSimulatedModelWithItsMetrics) {
  const Outcome outcome = runQuickstart("ft", "2");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(counter("files_created"), 2);
  EXPECT_EQ(counter("jobs_created"), 1);
  EXPECT_EQ(counter("jobs_succeeded"), 1);
  const auto summary = nlohmann::json::parse(readFile(dir_.path() / "ft" / "summary.json"));
  EXPECT_EQ(summary["status"], "succeeded");
  EXPECT_EQ(summary["simulated"], true);
  EXPECT_THAT(summary["artifacts"]["fine_tuned_model"].get<std::string>(),
              ::testing::StartsWith("gpt-4o-mini-2024-07-18.ft-"));
  const nlohmann::json* monitor = nullptr;
  for (const auto& stage : summary["stages"]) {
    if (stage["uses"] == "monitor/azure") monitor = &stage;
  }
  ASSERT_NE(monitor, nullptr);
  const auto& job = (*monitor)["report"]["job"];
  EXPECT_EQ(job["status"], "succeeded");
  EXPECT_EQ(job["simulated"], true);
  EXPECT_GT(job["trained_tokens"].get<std::int64_t>(), 0);
  // The estimate made before the upload travels to the monitor, beside the real bill.
  EXPECT_EQ(job["estimated_billed_tokens"], summary["artifacts"]["training_estimate"]["billed_tokens"]);
  EXPECT_GT(job["actual_usd"].get<double>(), 0.0);
  const auto& metrics = (*monitor)["report"]["metrics"];
  ASSERT_FALSE(metrics["step"].empty());
  EXPECT_EQ(metrics["step"].size(), metrics["train_loss"].size());
  EXPECT_LT(metrics["train_loss"].back().get<double>(), metrics["train_loss"].front().get<double>());
  const std::string report = readFile(dir_.path() / "ft" / "report.html");
  EXPECT_THAT(report, ::testing::HasSubstr("SIMULATED"));
  EXPECT_THAT(outcome.out, ::testing::HasSubstr("SIMULATED"));
}

const nlohmann::json& stageReport(const nlohmann::json& summary, const std::string& uses) {
  for (const auto& stage : summary["stages"]) {
    if (stage["uses"] == uses) return stage["report"];
  }
  throw std::runtime_error("no stage " + uses + " in the summary");
}

TEST_F(QuickstartTest, EvaluatesTheFineTunedModelAgainstThePromptedBaseModelAndPricesBoth) {
  const Outcome outcome = runQuickstart("eval", "2");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto summary = nlohmann::json::parse(readFile(dir_.path() / "eval" / "summary.json"));
  const auto& evaluation = stageReport(summary, "evaluate/score")["evaluation"];
  EXPECT_EQ(evaluation["simulated"], true);
  const auto valid = readJsonl(dir_.path() / "eval" / "valid.jsonl");
  const auto predictions = readJsonl(dir_.path() / "eval" / "evaluate.predictions.jsonl");
  EXPECT_EQ(predictions.size(), 2 * valid.size());  // one answer per approach per held-out example
  for (const char* approach : {"base_prompt", "fine_tuned"}) {
    const auto& scored = evaluation["approaches"][approach];
    EXPECT_EQ(scored["n"].get<std::size_t>(), valid.size()) << approach;
    const double accuracy = scored["accuracy"].get<double>();
    EXPECT_DOUBLE_EQ(accuracy, scored["correct"].get<double>() / static_cast<double>(valid.size())) << approach;
    EXPECT_LE(scored["accuracy_ci95"][0].get<double>(), accuracy) << approach;
    EXPECT_GE(scored["accuracy_ci95"][1].get<double>(), accuracy) << approach;
    EXPECT_EQ(scored["confusion"]["rows"], nlohmann::json({"1", "2", "3", "4", "5"})) << approach;
    EXPECT_GT(scored["usd_per_1k_requests"].get<double>(), 0.0) << approach;
  }
  // The emulator's fine-tuned models agree with the reference far more often than its base models.
  EXPECT_GT(evaluation["approaches"]["fine_tuned"]["accuracy"].get<double>(),
            evaluation["approaches"]["base_prompt"]["accuracy"].get<double>());
  EXPECT_EQ(evaluation["cost"]["provider"], "azure");
  EXPECT_GT(evaluation["cost"]["hosting_per_hour"].get<double>(), 0.0);
  EXPECT_THAT(evaluation["recommendation"].get<std::string>(), ::testing::StartsWith("use the fine-tuned model: "));
  const std::string report = readFile(dir_.path() / "eval" / "report.html");
  EXPECT_THAT(report, ::testing::HasSubstr("Evaluation"));
  EXPECT_THAT(report, ::testing::HasSubstr("<svg"));

  // A second run in the same folder pays for no answer again: the emulator is asked nothing new.
  const auto asked = emulator_.world().chatRequests()["served"].get<std::int64_t>();
  EXPECT_GT(asked, 0);
  ASSERT_EQ(runQuickstart("eval", "2").exit_code, 0);
  EXPECT_EQ(emulator_.world().chatRequests()["served"].get<std::int64_t>(), asked);
}

}  // namespace
}  // namespace ajuste::e2e
