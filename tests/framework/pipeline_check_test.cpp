// What a user sees when a pipeline is wrong: every message names file:line:column, the stage,
// the option, what was expected and found, and how to fix it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/pipeline.hpp"
#include "engine/checked_pipeline.hpp"
#include "plugin/stage_registry.hpp"
#include "test_stages.hpp"

namespace ajuste {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PipelineCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    using namespace test_stages;
    for (const StageInfo* info : {&numbers(), &rejectMultiples(), &square(), &write(), &announce(), &needsAnnouncement()}) {
      registry_.addInProcess(*info);
    }
  }

  // All diagnostics, rendered as the user sees them.
  std::vector<std::string> check(const std::string& yaml, std::map<std::string, std::string> env = {},
                                 std::vector<std::string> overrides = {}) {
    std::vector<Diagnostic> errors;
    const EnvLookup lookup = [env](const std::string& name) -> std::optional<std::string> {
      const auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    pipeline_ = parsePipeline(yaml, "p.yaml", ".", lookup, errors);
    if (pipeline_) {
      for (const auto& assignment : overrides) applyOverride(*pipeline_, assignment, errors);
    }
    if (pipeline_ && errors.empty()) {
      CheckFailure failure = CheckFailure::kNone;
      checked_ = checkPipeline(*pipeline_, registry_, errors, failure);
    }
    std::vector<std::string> out;
    for (const auto& error : errors) out.push_back(error.toString());
    return out;
  }

  StageRegistry registry_;
  std::optional<Pipeline> pipeline_;
  std::optional<CheckedPipeline> checked_;
};

TEST_F(PipelineCheckTest, AValidPipelineHasNoDiagnosticsAndGetsDefaults) {
  EXPECT_THAT(check("stages:\n  - uses: test/numbers\n    with: {count: 3}\n  - uses: test/write\n"), ElementsAre());
  ASSERT_TRUE(checked_.has_value());
  EXPECT_EQ(checked_->stages[0].options, nlohmann::json({{"count", 3}, {"bad_every", 0}, {"as_text", false}}));
  EXPECT_EQ(checked_->stages[1].options, nlohmann::json({{"path", "out.jsonl"}}));
}

TEST_F(PipelineCheckTest, MalformedYamlNamesTheLineAndColumn) {
  const auto errors = check("stages:\n  - uses: test/numbers\n    with: {count: 3\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], ::testing::StartsWith("p.yaml:4:1: error: invalid YAML: "));
}

TEST_F(PipelineCheckTest, UnknownStageSuggestsTheNearestName) {
  EXPECT_THAT(check("stages:\n  - uses: test/numbrs\n  - uses: test/write\n"),
              ElementsAre("p.yaml:2:11: error: unknown stage 'test/numbrs'; did you mean 'test/numbers'? (available: "
                          "test/announce, test/needs_announcement, test/numbers, test/reject_multiples, test/square, "
                          "test/write; `ajuste plugins list` shows where each comes from)"));
}

TEST_F(PipelineCheckTest, WrongOptionTypeNamesStageOptionExpectedAndFound) {
  EXPECT_THAT(check("stages:\n  - uses: test/numbers\n    with:\n      count: many\n  - uses: test/write\n"),
              ElementsAre("p.yaml:4:14: error: stage 'test' (test/numbers), option count: expected an integer, found a "
                          "string (\"many\")"));
}

TEST_F(PipelineCheckTest, UnknownOptionPointsAtTheKeyAndSuggests) {
  const auto errors = check("stages:\n  - uses: test/numbers\n    with:\n      count: 3\n      bad_evry: 2\n  - uses: test/write\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], ::testing::StartsWith("p.yaml:5:7: error: stage 'test' (test/numbers): unknown option 'bad_evry'; "
                                               "did you mean 'bad_every'?"));
}

TEST_F(PipelineCheckTest, MissingRequiredOptionNamesTheStage) {
  const auto errors = check("stages:\n  - uses: test/numbers\n  - uses: test/write\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("p.yaml:2:5: error: stage 'test' (test/numbers): missing required option 'count'"));
}

TEST_F(PipelineCheckTest, EveryProblemIsReportedAtOnce) {
  const auto errors = check(
      "stages:\n  - uses: test/numbers\n    with: {count: -1}\n  - uses: test/nope\n  - uses: test/write\n    with: {path: [3]}\n");
  EXPECT_EQ(errors.size(), 3u);
}

TEST_F(PipelineCheckTest, UnknownTopLevelKeyIsAnErrorWithASuggestion) {
  const auto errors = check("stage:\n  - uses: test/numbers\n");
  ASSERT_FALSE(errors.empty());
  EXPECT_THAT(errors[0], HasSubstr("p.yaml:1:1: error: unknown option 'stage'; did you mean 'stages'?"));
}

TEST_F(PipelineCheckTest, AStageThatNeedsRecordsAfterNoSourceSaysWhatToAdd) {
  EXPECT_THAT(check("stages:\n  - uses: test/square\n  - uses: test/write\n"),
              ElementsAre("p.yaml:2:11: error: stage 'test' (test/square) needs records, but no earlier stage produces them; "
                          "start the pipeline with an ingest stage such as ingest/jsonl",
                          "p.yaml:3:11: error: stage 'test_2' (test/write) needs records, but no earlier stage produces "
                          "them; start the pipeline with an ingest stage such as ingest/jsonl"));
}

TEST_F(PipelineCheckTest, RecordsThatAreNeverWrittenAreAnError) {
  EXPECT_THAT(check("stages:\n  - uses: test/numbers\n    with: {count: 1}\n  - uses: test/square\n"),
              ElementsAre("p.yaml:2:11: error: records from stage 'test' (test/numbers) are never written out: end the "
                          "record stages with a sink such as split/random"));
}

TEST_F(PipelineCheckTest, AMissingArtifactNamesTheStagesThatProduceIt) {
  EXPECT_THAT(check("stages:\n  - uses: test/needs_announcement\n"),
              ElementsAre("p.yaml:2:11: error: stage 'test' (test/needs_announcement) needs artifact 'announcement', "
                          "which no earlier stage provides; add a stage that produces it before this one (test/announce)"));
}

TEST_F(PipelineCheckTest, EnvironmentInterpolationFeedsTypedOptions) {
  EXPECT_THAT(check("stages:\n  - uses: test/numbers\n    with:\n      count: ${N:-4}\n  - uses: test/write\n"), ElementsAre());
  ASSERT_TRUE(checked_.has_value());
  EXPECT_EQ(checked_->stages[0].options["count"], 4);
  // Quoted (as flow style needs), an interpolated value still takes the type the schema wants.
  EXPECT_THAT(check("stages:\n  - uses: test/numbers\n    with: {count: \"${N}\"}\n  - uses: test/write\n", {{"N", "5"}}),
              ElementsAre());
  ASSERT_TRUE(checked_.has_value());
  EXPECT_EQ(checked_->stages[0].options["count"], 5);
  // A literal quoted number is the user's explicit string: it is not converted.
  EXPECT_THAT(check("stages:\n  - uses: test/numbers\n    with: {count: \"5\"}\n  - uses: test/write\n"),
              ElementsAre("p.yaml:3:19: error: stage 'test' (test/numbers), option count: expected an integer, found a "
                          "string (\"5\"); write 5 without quotes"));
}

TEST_F(PipelineCheckTest, UnsetVariableIsLocated) {
  EXPECT_THAT(check("stages:\n  - uses: test/numbers\n    with:\n      count: ${COUNT}\n  - uses: test/write\n"),
              ElementsAre("p.yaml:4:14: error: environment variable COUNT is not set; export it, or write "
                          "${COUNT:-default} to give a default"));
}

TEST_F(PipelineCheckTest, UnquotedNumbersBecomeStringsWhereTheSchemaWantsAString) {
  EXPECT_THAT(check("stages:\n  - uses: test/numbers\n    with: {count: 2}\n  - uses: test/write\n    with: {path: 2024}\n"),
              ElementsAre());
  EXPECT_EQ(checked_->stages[1].options["path"], "2024");
}

TEST_F(PipelineCheckTest, OverridesFromTheCommandLineAreCheckedLikeTheFile) {
  EXPECT_THAT(check("stages:\n  - uses: test/numbers\n    with: {count: 2}\n  - uses: test/write\n", {},
                    {"test.count=9", "run.threads=3"}),
              ElementsAre());
  EXPECT_EQ(checked_->stages[0].options["count"], 9);
  EXPECT_EQ(pipeline_->run.threads, 3u);
  EXPECT_THAT(check("stages:\n  - uses: test/numbers\n    with: {count: 2}\n  - uses: test/write\n", {}, {"tset.count=9"}),
              ElementsAre("--set tset.count=9: error: no stage has the id 'tset'; did you mean 'test'? (stage ids: test, "
                          "test_2, and 'run' for run settings)"));
  EXPECT_THAT(check("stages:\n  - uses: test/numbers\n    with: {count: 2}\n  - uses: test/write\n", {}, {"test.count=x"}),
              ElementsAre("--set test.count=x: error: stage 'test' (test/numbers), option count: expected an integer, "
                          "found a string (\"x\")"));
}

TEST_F(PipelineCheckTest, DuplicateKeysAreRefused) {
  const auto errors = check("stages:\n  - uses: test/numbers\n    uses: test/square\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "p.yaml:3:5: error: duplicate key 'uses' (the first is at p.yaml:2:5); remove one of them");
}

}  // namespace
}  // namespace ajuste
