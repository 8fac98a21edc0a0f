// What a user or a CI system meets at the command line: bad input gets a clear message that
// names where, and the documented exit code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run_ajuste.hpp"

namespace ajuste::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::string kGoodData =
    "{\"messages\":[{\"role\":\"user\",\"content\":\"Great!\"},{\"role\":\"assistant\",\"content\":\"Rating: 5 stars\"}]}\n"
    "{\"messages\":[{\"role\":\"user\",\"content\":\"Bad.\"},{\"role\":\"assistant\",\"content\":\"Rating: 1 star\"}]}\n"
    "{\"messages\":[{\"role\":\"user\",\"content\":\"Ok.\"},{\"role\":\"assistant\",\"content\":\"Rating: 3 stars\"}]}\n"
    "{\"messages\":[{\"role\":\"user\",\"content\":\"Fine.\"},{\"role\":\"assistant\",\"content\":\"Rating: 4 stars\"}]}\n";

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { writeFile(dir_.path() / "data.jsonl", kGoodData); }

  // Writes `yaml` as p.yaml in the test folder and runs `ajuste <command> p.yaml <extra...>`.
  Outcome runPipeline(const std::string& command, const std::string& yaml, std::vector<std::string> extra = {},
                      const std::map<std::string, std::string>& env = {}) {
    writeFile(dir_.path() / "p.yaml", yaml);
    std::vector<std::string> args{command, "p.yaml", "--run-dir", "run", "--progress", "off"};
    if (command == "validate") args = {command, "p.yaml", "--run-dir", "run"};
    args.insert(args.end(), extra.begin(), extra.end());
    return runAjuste(args, dir_.path(), env);
  }

  TempDir dir_;
};

const char* const kPipeline = R"(stages:
  - uses: ingest/jsonl
    with:
      path: data.jsonl
  - uses: validate/chat
  - uses: split/random
    with:
      valid_ratio: 0.25
)";

TEST_F(CliTest, AGoodPipelineRunsAndWritesItsOutputs) {
  const Outcome outcome = runPipeline("run", kPipeline);
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_THAT(outcome.out, HasSubstr("4 read, 4 written, 0 rejected"));
  const auto summary = nlohmann::json::parse(readFile(dir_.path() / "run" / "summary.json"));
  EXPECT_EQ(summary["status"], "succeeded");
  EXPECT_EQ(summary["records"]["written"], 4);
  EXPECT_EQ(summary["simulated"], false);
  // The human report sits beside the summary and says what the summary says.
  const std::string report = readFile(dir_.path() / "run" / "report.html");
  EXPECT_THAT(report, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(report, HasSubstr("succeeded"));
  EXPECT_THAT(outcome.out, HasSubstr("report.html"));
}

TEST_F(CliTest, ResumeNeedsAnEarlierRunInTheFolder) {
  const Outcome outcome = runPipeline("run", kPipeline, {"--resume"});
  EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
  EXPECT_THAT(outcome.err, HasSubstr("holds no earlier run (no state.json)"));
  EXPECT_EQ(runPipeline("run", kPipeline).exit_code, 0);
  const Outcome resumed = runPipeline("run", kPipeline, {"--resume"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
}

TEST_F(CliTest, ValidateChecksWithoutRunning) {
  const Outcome outcome = runPipeline("validate", kPipeline);
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(outcome.out, "p.yaml: OK: ingest (ingest/jsonl) → validate (validate/chat) → split (split/random)\n");
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "run" / "summary.json"));
}

TEST_F(CliTest, MalformedYamlIsAUsageErrorNamingLineAndColumn) {
  const Outcome outcome = runPipeline("validate", "stages:\n  - uses: ingest/jsonl\n    with: {path: data.jsonl\n");
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.err, StartsWith("p.yaml:4:1: error: invalid YAML: "));
}

TEST_F(CliTest, UnknownStageSuggestsTheNearestOne) {
  const Outcome outcome = runPipeline("run", R"(stages:
  - uses: ingest/jsnol
    with: {path: data.jsonl}
  - uses: split/random
    with: {valid_ratio: 0.25}
)");
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.err, StartsWith("p.yaml:2:11: error: unknown stage 'ingest/jsnol'; did you mean 'ingest/jsonl'?"));
}

TEST_F(CliTest, WrongOptionTypeNamesTheOptionExpectedAndFound) {
  const Outcome outcome = runPipeline("run", R"(stages:
  - uses: ingest/jsonl
    with:
      path: data.jsonl
      max_line_bytes: lots
  - uses: split/random
    with: {valid_ratio: 0.25}
)");
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.err, StartsWith("p.yaml:5:23: error: stage 'ingest' (ingest/jsonl), option max_line_bytes: expected an "
                                      "integer, found a string (\"lots\")"));
}

TEST_F(CliTest, MissingInputFileIsReportedBeforeAnythingRuns) {
  const Outcome outcome = runPipeline("validate", R"(stages:
  - uses: ingest/jsonl
    with:
      path: missing.jsonl
  - uses: split/random
    with: {valid_ratio: 0.25}
)");
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.err, StartsWith("p.yaml:4:13: error: stage 'ingest' (ingest/jsonl), option path: input "
                                      "'missing.jsonl' (resolved to '" +
                                      (dir_.path() / "missing.jsonl").string() + "') does not exist"));
}

TEST_F(CliTest, AFactoryThatThrowsIsAPluginErrorNamingTheStage) {
  const Outcome outcome = runPipeline("validate", R"(stages:
  - uses: ingest/jsonl
    with: {path: data.jsonl}
  - uses: test/factory_throws
  - uses: split/random
    with: {valid_ratio: 0.25}
)", {"--plugin-path", TEST_PLUGIN});
  EXPECT_EQ(outcome.exit_code, 3) << outcome.err;
  EXPECT_EQ(outcome.err, "error: stage 'test' (test/factory_throws) threw an exception in its factory: factory exploded (a "
                         "plugin must return an error Status instead; report this to the plugin's authors)\n");
}

TEST_F(CliTest, AMissingPluginFolderIsAPluginError) {
  const Outcome outcome = runPipeline("run", kPipeline, {"--plugin-path", "/nonexistent/plugins"});
  EXPECT_EQ(outcome.exit_code, 3);
  EXPECT_THAT(outcome.err, HasSubstr("plugins: error: plugin path '/nonexistent/plugins' (from --plugin-path) does not "
                                     "exist; fix the path or remove it"));
}

TEST_F(CliTest, AStageThatThrowsIsAPluginErrorNotACrash) {
  const Outcome outcome = runPipeline("run", R"(stages:
  - uses: ingest/jsonl
    with: {path: data.jsonl}
  - uses: test/throws
  - uses: split/random
    with: {valid_ratio: 0.25}
)", {"--plugin-path", TEST_PLUGIN});
  EXPECT_EQ(outcome.exit_code, 3) << outcome.err;
  EXPECT_THAT(outcome.err, HasSubstr("stage 'test' (test/throws) threw an exception in process: boom in process"));
  const auto summary = nlohmann::json::parse(readFile(dir_.path() / "run" / "summary.json"));
  EXPECT_EQ(summary["status"], "failed");
}

TEST_F(CliTest, AFactoryRefusingAnOptionIsLocatedInThePipeline) {
  const Outcome outcome = runPipeline("validate", R"(stages:
  - uses: ingest/jsonl
    with: {path: data.jsonl}
  - uses: test/refuses
    with:
      limit: 50
  - uses: split/random
    with: {valid_ratio: 0.25}
)", {"--plugin-path", TEST_PLUGIN});
  EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
  EXPECT_EQ(outcome.err, "p.yaml:6:14: error: stage 'test' (test/refuses), option limit: must be <= 10 here, got 50\n");
}

TEST_F(CliTest, SecretsFromTheEnvironmentNeverReachMessagesOrFiles) {
  const std::string secret = "sk-test-Zx81secretvalue";
  const Outcome outcome = runPipeline("run", R"(stages:
  - uses: ingest/jsonl
    with:
      path: ${MY_API_KEY}.jsonl
  - uses: split/random
    with: {valid_ratio: 0.25}
)", {}, {{"MY_API_KEY", secret}});
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_THAT(outcome.err, HasSubstr("'***.jsonl'"));
  EXPECT_THAT(outcome.err + outcome.out, Not(HasSubstr(secret)));
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
    if (entry.is_regular_file() && entry.path().filename() != "p.yaml") {
      EXPECT_THAT(readFile(entry.path()), Not(HasSubstr(secret))) << entry.path();
    }
  }
}

TEST_F(CliTest, OverridesFromTheCommandLineApply) {
  const Outcome outcome = runPipeline("run", kPipeline, {"--set", "split.valid_ratio=0.5"});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto summary = nlohmann::json::parse(readFile(dir_.path() / "run" / "summary.json"));
  ASSERT_EQ(summary["outputs"].size(), 2u);
  EXPECT_EQ(summary["outputs"][1]["records"], 2);
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(runAjuste({"run"}, dir_.path()).exit_code, 2);
  EXPECT_EQ(runAjuste({"frobnicate"}, dir_.path()).exit_code, 2);
  EXPECT_EQ(runAjuste({"run", "p.yaml", "--threads", "many"}, dir_.path()).exit_code, 2);
  const Outcome missing = runAjuste({"validate", "nowhere.yaml"}, dir_.path());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, StartsWith("nowhere.yaml: error: pipeline file not found"));
}

TEST_F(CliTest, PluginsListShowsTheBuiltInStagesAndTheirFiles) {
  const Outcome outcome = runAjuste({"plugins", "list", "--json"}, dir_.path());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto list = nlohmann::json::parse(outcome.out);
  std::vector<std::string> names;
  for (const auto& stage : list["stages"]) {
    names.push_back(stage["stage"]);
    EXPECT_THAT(stage["file"].get<std::string>(), HasSubstr(".so"));
  }
  EXPECT_THAT(names, ::testing::IsSupersetOf({"ingest/jsonl", "validate/chat", "split/random"}));
  const Outcome table = runAjuste({"plugins", "list"}, dir_.path());
  EXPECT_THAT(table.out, StartsWith("STAGE"));
  EXPECT_THAT(table.out, HasSubstr("split/random"));
}

TEST_F(CliTest, PluginsDescribeShowsEveryOption) {
  const Outcome outcome = runAjuste({"plugins", "describe", "split/random"}, dir_.path());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_THAT(outcome.out, StartsWith("split/random (sink stage)"));
  EXPECT_THAT(outcome.out, HasSubstr("| option | type | required | default | description |"));
  EXPECT_THAT(outcome.out, HasSubstr("| valid_ratio | number |"));
  EXPECT_THAT(outcome.out, HasSubstr("| seed | integer |"));
  // An enum's alternatives are written with '|', escaped so the row keeps its five cells.
  EXPECT_THAT(outcome.out, HasSubstr(R"(| missing_label | "reject" \| "own_stratum" | no |)"));
  EXPECT_THAT(outcome.out, HasSubstr("parallel   no (records in input order; their preparation runs on every worker)"));
  const Outcome unknown = runAjuste({"plugins", "describe", "split/randm"}, dir_.path());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown stage 'split/randm'; did you mean 'split/random'?"));
}

TEST_F(CliTest, TokensCountsAndPrintsIdsLikeTiktoken) {
  writeFile(dir_.path() / "texts.txt", "tiktoken is great!\n2 + 2 = 4\n");
  const Outcome counts = runAjuste({"tokens", "--encoding", "cl100k_base", "texts.txt"}, dir_.path());
  EXPECT_EQ(counts.exit_code, 0) << counts.err;
  EXPECT_EQ(counts.out, "6\n7\n");
  const Outcome ids = runAjuste({"tokens", "--encoding", "cl100k_base", "--ids", "texts.txt"}, dir_.path());
  EXPECT_EQ(ids.out, "[83,1609,5963,374,2294,0]\n[17,489,220,17,284,220,19]\n");
  const Outcome bad = runAjuste({"tokens", "--encoding", "p51k", "texts.txt"}, dir_.path());
  EXPECT_EQ(bad.exit_code, 2);
}

// The what-if at the command line (the arithmetic is checked in tests/framework/cost_command_test.cpp):
// OpenAI, gpt-4.1-mini's catalogue rates for both (warned), training 10 x ... = $10.
TEST_F(CliTest, CostAnswersTheWhatIfAsJsonAndRefusesHalfATrainingSize) {
  const std::vector<std::string> what_if{"cost", "--model", "gpt-4.1-mini", "--base-input-tokens", "1000",
                                         "--base-cached-tokens", "400", "--base-output-tokens", "50",
                                         "--tuned-input-tokens", "200", "--tuned-output-tokens", "50",
                                         "--requests-per-day", "1000", "--training-usd", "10", "--json"};
  const Outcome outcome = runAjuste(what_if, dir_.path());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto answer = nlohmann::json::parse(outcome.out);
  // (600 x 0.80 + 400 x 0.20 + 50 x 3.20) / 1e6 and (200 x 0.80 + 50 x 3.20) / 1e6.
  EXPECT_DOUBLE_EQ(answer["approaches"]["base_prompt"]["usd_per_request"].get<double>(), 0.00072);
  EXPECT_DOUBLE_EQ(answer["approaches"]["fine_tuned"]["usd_per_request"].get<double>(), 0.00032);
  EXPECT_EQ(answer["cost"]["break_even"]["kind"], "at");
  EXPECT_THAT(outcome.err, HasSubstr("warning: the base model is priced at the catalogue's rates"));

  const Outcome half = runAjuste({"cost", "--model", "gpt-4.1-mini", "--base-input-tokens", "1000",
                                  "--base-output-tokens", "50", "--tuned-input-tokens", "200",
                                  "--tuned-output-tokens", "50", "--requests-per-day", "1000",
                                  "--training-tokens", "100000"},
                                 dir_.path());
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_THAT(half.err, HasSubstr("--training-tokens requires --epochs"));
  const Outcome unknown = runAjuste({"cost", "--model", "gpt-9", "--base-input-tokens", "1", "--base-output-tokens", "1",
                                     "--tuned-input-tokens", "1", "--tuned-output-tokens", "1", "--requests-per-day", "1"},
                                    dir_.path());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("ajuste cost: --model: unknown model \"gpt-9\""));
}

}  // namespace
}  // namespace ajuste::e2e
