#include "engine/engine.hpp"

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/pipeline.hpp"
#include "engine/checked_pipeline.hpp"
#include "plugin/stage_registry.hpp"
#include "test_stages.hpp"

namespace ajuste {
namespace {

using ::testing::HasSubstr;

EnvLookup noEnvironment() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    using namespace test_stages;
    for (const StageInfo* info : {&numbers(), &rejectMultiples(), &square(), &runningTotal(), &failAt(), &throwAt(),
                                  &write(), &announce(), &needsAnnouncement(), &preparedTriple(), &preparedWrite(), &expectText(), &peekValues(),
                                  &textWrite()}) {
      registry_.addInProcess(*info);
    }
    base_ = std::filesystem::temp_directory_path() /
            ("ajuste-engine-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(base_);
    std::filesystem::create_directories(base_);
  }
  void TearDown() override { std::filesystem::remove_all(base_); }

  // Runs `yaml` with `threads` workers in a fresh run folder named `name`.
  RunReport run(const std::string& yaml, unsigned threads, const std::string& name) {
    std::vector<Diagnostic> errors;
    pipeline_ = parsePipeline(yaml, "test.yaml", base_, noEnvironment(), errors);
    EXPECT_TRUE(pipeline_.has_value()) << (errors.empty() ? "" : errors[0].toString());
    CheckFailure failure = CheckFailure::kNone;
    checked_ = checkPipeline(*pipeline_, registry_, errors, failure);
    EXPECT_TRUE(checked_.has_value()) << (errors.empty() ? "" : errors[0].toString());
    RunOptions options;
    options.run_dir = base_ / name;
    options.threads = threads;
    options.progress = ProgressMode::kOff;
    return runPipeline(*checked_, options);
  }

  // Runs `yaml` with 1 thread and then 2, 3 and 8, in folders `prefix`1, `prefix`2...: outputs
  // and rejects must be byte-identical at every count. Returns the 1-thread run's report.
  RunReport runAtEveryThreadCount(const std::string& yaml, const std::string& prefix) {
    RunReport one = run(yaml, 1, prefix + "1");
    EXPECT_TRUE(one.status.isOk()) << one.status.toString();
    const std::string expected_out = readFile(base_ / (prefix + "1") / "out.jsonl");
    const std::string expected_rejects = readFile(base_ / (prefix + "1") / "rejects.jsonl");
    for (const unsigned threads : {2u, 3u, 8u}) {
      const std::string name = prefix + std::to_string(threads);
      const RunReport report = run(yaml, threads, name);
      EXPECT_TRUE(report.status.isOk()) << report.status.toString();
      EXPECT_EQ(readFile(base_ / name / "out.jsonl"), expected_out) << threads << " threads";
      EXPECT_EQ(readFile(base_ / name / "rejects.jsonl"), expected_rejects) << threads << " threads";
    }
    return one;
  }

  StageRegistry registry_;
  std::filesystem::path base_;
  std::optional<Pipeline> pipeline_;
  std::optional<CheckedPipeline> checked_;
};

constexpr const char* kChain = R"(
run: {batch_size: 7}
stages:
  - uses: test/numbers
    with: {count: 1000, bad_every: 97}
  - uses: test/reject_multiples
    with: {of: 13}
  - uses: test/square
  - uses: test/running_total
  - uses: test/write
)";

TEST_F(EngineTest, OutputsAndRejectsAreByteIdenticalWhateverTheThreadCount) {
  runAtEveryThreadCount(kChain, "t");
  EXPECT_FALSE(readFile(base_ / "t1" / "out.jsonl").empty());
  EXPECT_FALSE(readFile(base_ / "t1" / "rejects.jsonl").empty());
}

TEST_F(EngineTest, EveryRecordEndsInExactlyOnePlace) {
  const RunReport report = run(kChain, 4, "accounting");
  ASSERT_TRUE(report.status.isOk()) << report.status.toString();
  const auto& records = report.summary["records"];
  // 1000 inputs; 10 are not numbers (97, 194, ... 970 are the 97th inputs: n = 96, 193, ...).
  EXPECT_EQ(records["read"], 1000);
  EXPECT_EQ(records["added"], 1);  // running_total's finish() record
  EXPECT_EQ(records["read"].get<int>() + records["added"].get<int>(),
            records["written"].get<int>() + records["rejected"].get<int>());
  EXPECT_TRUE(records["balanced"].get<bool>());
  const auto& stages = report.summary["stages"];
  EXPECT_EQ(stages[0]["rejected"], 10);
  // Multiples of 13 among 0..999 that were not already rejected as "not a number".
  int multiples = 0;
  for (int n = 0; n < 1000; ++n) multiples += (n % 13 == 0 && (n + 1) % 97 != 0) ? 1 : 0;
  EXPECT_EQ(stages[1]["rejected"], multiples);
  EXPECT_EQ(records["written"], 1000 - 10 - multiples + 1);
  // The rejects file holds each reject once, with stage, kind, reason and origin.
  std::ifstream rejects(base_ / "accounting" / "rejects.jsonl");
  std::string line;
  int count = 0;
  while (std::getline(rejects, line)) {
    const auto reject = nlohmann::json::parse(line);
    if (count == 0) {
      EXPECT_EQ(reject["stage"], "test_2");  // default ids: family, then family_2 ...
      EXPECT_EQ(reject["kind"], "multiple");
      EXPECT_EQ(reject["reason"], "0 is a multiple of 13");
      EXPECT_EQ(reject["source"], "numbers");
      EXPECT_EQ(reject["line"], 1);
      EXPECT_EQ(reject["record"], nlohmann::json({{"n", 0}}));
    }
    ++count;
  }
  EXPECT_EQ(count, 10 + multiples);
  EXPECT_EQ(report.summary["rejects"]["by_stage"]["test"]["not_a_number"], 10);
}

TEST_F(EngineTest, StatefulStagesSeeRecordsInInputOrderAndFlushInFinish) {
  const RunReport report = run(kChain, 8, "order");
  ASSERT_TRUE(report.status.isOk());
  std::ifstream out(base_ / "order" / "out.jsonl");
  std::string line;
  std::int64_t previous = -1;
  std::int64_t total = 0;
  nlohmann::json last;
  while (std::getline(out, line)) {
    last = nlohmann::json::parse(line);
    if (last["n"] == -1) break;
    EXPECT_GT(last["n"].get<std::int64_t>(), previous);
    previous = last["n"].get<std::int64_t>();
    total += previous;
    EXPECT_EQ(last["total"], total);
    EXPECT_EQ(last["square"], previous * previous);
  }
  EXPECT_EQ(last, nlohmann::json({{"n", -1}, {"total", total}}));
  EXPECT_EQ(report.summary["stages"][3]["counters"]["finished"], 1);
}

constexpr const char* kPreparedChain = R"(
run: {batch_size: 5}
stages:
  - uses: test/numbers
    with: {count: 1000, bad_every: 97}
  - uses: test/reject_multiples
    with: {of: 13}
  - uses: test/prepared_triple
  - uses: test/running_total
  - uses: test/prepared_write
)";

// A serial stage and a sink whose per-record work runs on the workers (StageInfo::prepares):
// every record is prepared before the stage sees it, in input order, the prepared bytes do not
// leak to the next stage, prepare's rejects are the stage's own, and the output does not
// depend on how many workers prepared it.
TEST_F(EngineTest, PreparedStagesSeePreparedRecordsInOrderWhateverTheThreadCount) {
  const RunReport one = runAtEveryThreadCount(kPreparedChain, "p");
  ASSERT_TRUE(one.status.isOk()) << one.status.toString();
  int kept = 0;
  int elevens = 0;
  for (int n = 0; n < 1000; ++n) {
    if ((n + 1) % 97 == 0 || n % 13 == 0) continue;
    (n % 11 == 0 ? elevens : kept) += 1;
  }
  const auto& stages = one.summary["stages"];
  EXPECT_EQ(stages[2]["rejected"], elevens);
  EXPECT_EQ(stages[2]["in"], kept + elevens);
  EXPECT_EQ(stages[2]["kept"], kept);
  EXPECT_EQ(one.summary["records"]["written"], kept + 1);  // and running_total's finish() record
  EXPECT_TRUE(one.summary["records"]["balanced"].get<bool>());
  EXPECT_EQ(one.summary["rejects"]["by_stage"]["test_3"]["eleven"], elevens);
  EXPECT_THAT(readFile(base_ / "p1" / "out.jsonl"), HasSubstr(R"({"n":1,"total":1,"triple":3})"));
}

// Records held as text (Record::text) pass stages that read text without a value ever being
// built, and reach the sink as they were written.
TEST_F(EngineTest, TextRecordsPassTextStagesAsWritten) {
  const RunReport one = runAtEveryThreadCount(R"(
run: {batch_size: 5}
stages:
  - uses: test/numbers
    with: {count: 200, bad_every: 17, as_text: true}
  - uses: test/expect_text
  - uses: test/text_write
)", "t");
  ASSERT_TRUE(one.status.isOk()) << one.status.toString();
  const std::string out = readFile(base_ / "t1" / "out.jsonl");
  EXPECT_THAT(out, HasSubstr("text { \"n\" : 0 }\ntext { \"n\" : 1 }\n"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("value")));
  EXPECT_EQ(one.summary["records"]["written"], 200 - 200 / 17);
}

// A stage that needs values gets them built; one that keeps texts leaves them for the sink, one
// that does not (it may have changed the value) has them dropped, so no stale text is written.
TEST_F(EngineTest, StagesThatNeedValuesGetThemAndStaleTextsAreDropped) {
  const RunReport kept = runAtEveryThreadCount(R"(
run: {batch_size: 5}
stages:
  - uses: test/numbers
    with: {count: 100, as_text: true}
  - uses: test/peek_values
  - uses: test/text_write
)", "k");
  ASSERT_TRUE(kept.status.isOk()) << kept.status.toString();
  EXPECT_THAT(readFile(base_ / "k1" / "out.jsonl"), HasSubstr("text { \"n\" : 7 }\n"));

  const RunReport changed = runAtEveryThreadCount(R"(
run: {batch_size: 5}
stages:
  - uses: test/numbers
    with: {count: 100, as_text: true}
  - uses: test/expect_text
  - uses: test/square
  - uses: test/text_write
)", "c");
  ASSERT_TRUE(changed.status.isOk()) << changed.status.toString();
  const std::string out = readFile(base_ / "c1" / "out.jsonl");
  EXPECT_THAT(out, HasSubstr("value {\"n\":7,\"square\":49}\n"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("text")));
}

TEST_F(EngineTest, AStageErrorStopsTheRunAndNamesTheStage) {
  const RunReport report = run(R"(
stages:
  - uses: test/numbers
    with: {count: 100000}
  - uses: test/fail_at
    with: {at: 5000}
  - uses: test/write
)", 2, "fails");
  EXPECT_EQ(report.status.code(), StatusCode::kIoError);
  EXPECT_EQ(report.status.message(), "stage 'test_2' (test/fail_at): disk full at 5000");
  EXPECT_EQ(report.summary["status"], "failed");
  EXPECT_TRUE(std::filesystem::exists(base_ / "fails" / "summary.json"));
}

TEST_F(EngineTest, AnExceptionInAStageBecomesAPluginBugNotACrash) {
  const RunReport report = run(R"(
stages:
  - uses: test/numbers
    with: {count: 1000}
  - uses: test/throw_at
    with: {at: 500}
  - uses: test/write
)", 3, "throws");
  EXPECT_EQ(report.status.code(), StatusCode::kPluginBug);
  EXPECT_THAT(report.status.message(), HasSubstr("stage 'test_2' (test/throw_at) threw an exception in process: boom at 500"));
}

TEST_F(EngineTest, ARunWhereNoRecordSurvivesIsAnErrorNotAnEmptySuccess) {
  const RunReport report = run(R"(
stages:
  - uses: test/numbers
    with: {count: 50}
  - uses: test/reject_multiples
    with: {of: 1}
  - uses: test/write
)", 2, "empty");
  EXPECT_EQ(report.status.code(), StatusCode::kDataError);
  EXPECT_THAT(report.status.message(), HasSubstr("no record survived stage 'test_2' (test/reject_multiples): all 50 were rejected"));
}

TEST_F(EngineTest, RejectRatioGateFailsTheRunWithItsOwnStatus) {
  const RunReport report = run(R"(
run: {max_reject_ratio: 0.1}
stages:
  - uses: test/numbers
    with: {count: 100}
  - uses: test/reject_multiples
    with: {of: 5}
  - uses: test/write
)", 2, "gate");
  EXPECT_EQ(report.status.code(), StatusCode::kGateFailed);
  EXPECT_THAT(report.status.message(), HasSubstr("20.0% of records were rejected, more than run.max_reject_ratio = 0.1"));
  EXPECT_EQ(report.summary["status"], "gate_failed");
}

TEST_F(EngineTest, ArtifactStagesRunInOrderAndSeeWhatEarlierStagesPublished) {
  const RunReport report = run(R"(
stages:
  - uses: test/announce
    with: {message: "hi there"}
  - uses: test/numbers
    with: {count: 3}
  - uses: test/write
  - uses: test/needs_announcement
)", 1, "artifacts");
  ASSERT_TRUE(report.status.isOk()) << report.status.toString();
  EXPECT_EQ(report.summary["artifacts"]["announcement"]["message"], "hi there");
  EXPECT_EQ(report.summary["stages"][3]["report"]["heard"], "hi there");
  EXPECT_EQ(report.summary["outputs"][0]["records"], 3);
  // Artifacts are persisted for resuming.
  const auto state = nlohmann::json::parse(readFile(base_ / "artifacts" / "state.json"));
  EXPECT_EQ(state["artifacts"]["out_file"]["stage"], "test_3");
}

TEST_F(EngineTest, AFailedGateStopsTheRunBeforeLaterStagesCanPayForAnything) {
  const RunReport report = run(R"(
run: {max_reject_ratio: 0.01}
stages:
  - uses: test/numbers
    with: {count: 100}
  - uses: test/reject_multiples
    with: {of: 5}
  - uses: test/write
  - uses: test/announce
    with: {message: "this would upload"}
)", 2, "gate_first");
  EXPECT_EQ(report.status.code(), StatusCode::kGateFailed);
  EXPECT_FALSE(report.summary["artifacts"].contains("announcement"));
}

TEST_F(EngineTest, CancellationStopsTheRunWithTheInterruptedStatus) {
  std::vector<Diagnostic> errors;
  pipeline_ = parsePipeline("stages:\n  - uses: test/numbers\n    with: {count: 100}\n  - uses: test/write\n", "test.yaml",
                            base_, noEnvironment(), errors);
  CheckFailure failure = CheckFailure::kNone;
  checked_ = checkPipeline(*pipeline_, registry_, errors, failure);
  ASSERT_TRUE(checked_.has_value());
  std::atomic<bool> interrupted{true};
  RunOptions options;
  options.run_dir = base_ / "cancel";
  options.progress = ProgressMode::kOff;
  options.interrupted = &interrupted;
  const RunReport report = runPipeline(*checked_, options);
  EXPECT_EQ(report.status.code(), StatusCode::kCancelled);
  EXPECT_EQ(report.summary["status"], "interrupted");
}

}  // namespace
}  // namespace ajuste
