// A paid run survives the runner being killed at its worst moments: during the upload, right
// after the job was created, while it is being monitored. Each time `--resume` picks up what
// exists, and at the end the (emulated) provider has exactly one copy of each file and one job.
#include <csignal>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "emulator.hpp"
#include "run_ajuste.hpp"

namespace ajuste::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::filesystem::path kRepo = REPO_DIR;
constexpr const char* kApiKey = "e2e-secret-key-5f1c9a";

std::string pipelineYaml() {
  return R"(name: resume
stages:
  - uses: ingest/jsonl
    with: {path: )" + (kRepo / "pipelines" / "data" / "reviews.jsonl").string() + R"(}
  - uses: validate/openai
    with: {model: gpt-4o-mini, provider: azure}
  - uses: split/random
    with: {valid_ratio: 0.1, seed: 42}
  - uses: upload/azure
    with: {poll_interval_s: 0.05}
  - uses: finetune/azure
    with: {model: gpt-4o-mini-2024-07-18, suffix: reviews, seed: 7}
  - uses: monitor/azure
    with: {poll_interval_s: 0.05}
)";
}

class ProviderResumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emulator::Options options;
    options.time_scale = 0;  // frozen: the test moves time itself, so it decides what is pending
    options.seed = 11;
    emulator_ = std::make_unique<emulator::Emulator>(options);
    writeFile(dir_.path() / "resume.yaml", pipelineYaml());
  }

  std::unique_ptr<RunningAjuste> start(bool resume, const std::string& name) {
    std::vector<std::string> args{"run", "resume.yaml", "--run-dir", "run", "--progress", "off"};
    if (resume) args.emplace_back("--resume");
    return std::make_unique<RunningAjuste>(
        args, dir_.path(),
        std::map<std::string, std::string>{{"AZURE_OPENAI_ENDPOINT", emulator_->baseUrl()},
                                           {"AZURE_OPENAI_API_KEY", kApiKey}},
        dir_.path() / name);
  }
  // Moves simulated time 20 s every 50 ms until a job exists, so uploaded files get processed
  // but the job, once created, stays pending (20 s is less than its validation takes).
  void tickUntilAJobExists() {
    ticker_ = std::jthread([this](const std::stop_token& stop) {
      while (!stop.stop_requested() && counter("jobs_created") == 0) {
        emulator_->world().advance(20);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }
  void TearDown() override { ticker_ = {}; }

  std::int64_t counter(const std::string& name) { return emulator_->world().counters().value(name, std::int64_t{0}); }
  std::string state() { return readFile(dir_.path() / "run" / "state.json"); }

  TempDir dir_;
  std::unique_ptr<emulator::Emulator> emulator_;
  std::jthread ticker_;
};

TEST_F(ProviderResumeTest, KilledDuringUploadAfterCreateAndWhileMonitoringStillMakesOneJob) {
  // 1. Killed during the upload: the training file is on the provider, still being processed.
  auto run = start(false, "1");
  ASSERT_TRUE(eventually([&] { return counter("files_created") >= 1 || !run->running(); })) << run->err();
  ASSERT_TRUE(run->running()) << run->err();
  run->signal(SIGKILL);
  EXPECT_EQ(run->wait(), 128 + SIGKILL);
  EXPECT_EQ(counter("jobs_created"), 0);

  // 2. Files get processed; resumed, then killed as soon as the job id is in the ledger.
  tickUntilAJobExists();
  run = start(true, "2");
  ASSERT_TRUE(eventually([&] { return state().find("ftjob-") != std::string::npos || !run->running(); }))
      << run->err();
  ASSERT_TRUE(run->running()) << run->err();
  run->signal(SIGKILL);
  run->wait();
  EXPECT_EQ(counter("jobs_created"), 1);

  // 3. Resumed: the job is adopted, not created again; killed while it is being monitored.
  run = start(true, "3");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_TRUE(run->running()) << run->err();
  run->signal(SIGKILL);
  run->wait();
  EXPECT_EQ(counter("jobs_created"), 1);

  // 4. The job finishes; the last resume collects its results.
  emulator_->world().advance(100'000);
  run = start(true, "4");
  ASSERT_EQ(run->wait(), 0) << run->err();
  EXPECT_EQ(counter("jobs_created"), 1);
  EXPECT_EQ(counter("files_created"), 2);  // training and validation, once each
  EXPECT_EQ(counter("jobs_cancelled"), 0);

  const auto summary = nlohmann::json::parse(readFile(dir_.path() / "run" / "summary.json"));
  EXPECT_EQ(summary["status"], "succeeded");
  EXPECT_EQ(summary["simulated"], true);
  const std::string model = summary["artifacts"]["fine_tuned_model"].get<std::string>();
  EXPECT_THAT(model, StartsWith("gpt-4o-mini-2024-07-18.ft-"));
  EXPECT_THAT(run->out(), HasSubstr("SIMULATED"));

  // A plain re-run adopts the finished job and gives the same model, paying nothing more.
  run = start(false, "5");
  ASSERT_EQ(run->wait(), 0) << run->err();
  EXPECT_EQ(counter("jobs_created"), 1);
  EXPECT_EQ(counter("files_created"), 2);
  const auto again = nlohmann::json::parse(readFile(dir_.path() / "run" / "summary.json"));
  EXPECT_EQ(again["artifacts"]["fine_tuned_model"], model);

  // The key never reached the run folder.
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "run")) {
    EXPECT_THAT(readFile(entry.path()), Not(HasSubstr(kApiKey))) << entry.path();
  }
}

TEST_F(ProviderResumeTest, CtrlCWhileMonitoringLeavesTheJobRunningAndPrintsTheResumeCommand) {
  tickUntilAJobExists();
  auto run = start(false, "1");
  ASSERT_TRUE(eventually([&] { return counter("jobs_created") == 1 || !run->running(); })) << run->err();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  run->signal(SIGINT);
  EXPECT_EQ(run->wait(), 130) << run->err();
  EXPECT_EQ(counter("jobs_cancelled"), 0);
  EXPECT_THAT(run->err(), HasSubstr("ajuste run resume.yaml --run-dir"));
  EXPECT_THAT(run->err(), HasSubstr("--resume"));

  emulator_->world().advance(100'000);
  run = start(true, "2");
  ASSERT_EQ(run->wait(), 0) << run->err();
  EXPECT_EQ(counter("jobs_created"), 1);
}

}  // namespace
}  // namespace ajuste::e2e
