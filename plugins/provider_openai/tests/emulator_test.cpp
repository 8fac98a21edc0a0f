// The openai stages end to end against the in-process ajuste emulator, through the framework's
// real HTTP client (CurlHttpClient): the full flow, the Uploads API, faults, and re-runs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "faults.hpp"
#include "openai_stages.hpp"
#include "plugin/plugin_loader.hpp"
#include "provider_chain.hpp"
#include "test_files.hpp"

namespace ajuste::provider::testing {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;

class OpenAiOnEmulator : public ::testing::Test {
 protected:
  void SetUp() override {
    train_ = files_.write("train.jsonl", chatJsonl(30));
    valid_ = files_.write("valid.jsonl", chatJsonl(10, " (validation)"));
  }
  std::map<std::string, json> inputs() const {
    return {{"train_file", train_.string()}, {"valid_file", valid_.string()}};
  }
  std::vector<ChainStage> chain(EmulatorHarness& harness, json upload = json::object(),
                                json finetune = json::object()) const {
    upload["base_url"] = harness.baseUrl() + "/v1";
    json tune = {{"model", "gpt-4o-mini"}, {"suffix", "reviews"}};
    tune.update(finetune);
    return {{&openai::uploadInfo(), upload},
            {&openai::finetuneInfo(), tune},
            {&openai::monitorInfo(), {{"poll_interval_s", 0.05}}}};
  }
  static std::vector<emulator::FaultSpec> faults(const std::vector<json>& specs) {
    std::vector<emulator::FaultSpec> out;
    for (const auto& spec : specs) out.push_back(emulator::parseFault(spec));
    return out;
  }

  TempFiles files_;
  std::filesystem::path train_;
  std::filesystem::path valid_;
};

TEST_F(OpenAiOnEmulator, UploadsTrainsAndCollectsTheResults) {
  EmulatorHarness harness;
  const ChainRun run = runChain(harness, chain(harness), inputs());
  ASSERT_TRUE(run.status.isOk()) << run.failed_stage << ": " << run.status.toString();

  const json job = run.context("monitor/openai").reports()["job"];
  EXPECT_EQ(job["status"], "succeeded");
  EXPECT_EQ(job["provider"], "openai");
  EXPECT_EQ(job["base_model"], "gpt-4o-mini-2024-07-18");
  EXPECT_THAT(job["fine_tuned_model"].get<std::string>(),
              HasSubstr("ft:gpt-4o-mini-2024-07-18:ajuste-emulator:reviews:"));
  EXPECT_GT(job["trained_tokens"].get<std::int64_t>(), 0);
  EXPECT_EQ(job["simulated"], true);
  EXPECT_FALSE(job["checkpoints"].empty());
  const json metrics = run.context("monitor/openai").reports()["metrics"];
  ASSERT_FALSE(metrics["step"].empty());
  for (const char* column : {"train_loss", "valid_loss", "train_accuracy", "valid_accuracy"}) {
    EXPECT_EQ(metrics[column].size(), metrics["step"].size()) << column;
    EXPECT_TRUE(metrics[column].front().is_number()) << column;
  }
  EXPECT_EQ(run.artifacts.at("fine_tuned_model"), job["fine_tuned_model"]);
  EXPECT_TRUE(std::filesystem::exists(run.artifacts.at("metrics_file").get<std::string>()));

  const json counters = harness.counters();
  EXPECT_EQ(counters["files_created"], 2);
  EXPECT_EQ(counters["jobs_created"], 1);
  EXPECT_EQ(counters["jobs_succeeded"], 1);
}

TEST_F(OpenAiOnEmulator, ASecondRunWithTheSavedStateAdoptsEverything) {
  EmulatorHarness harness;
  const ChainRun first = runChain(harness, chain(harness), inputs());
  ASSERT_TRUE(first.status.isOk()) << first.failed_stage << ": " << first.status.toString();
  const json before = harness.counters();

  const ChainRun second = runChain(harness, chain(harness), inputs(), first.states);
  ASSERT_TRUE(second.status.isOk()) << second.failed_stage << ": " << second.status.toString();
  const json after = harness.counters();
  for (const char* counter : {"files_created", "uploads_created", "jobs_created"}) {
    EXPECT_EQ(after[counter], before[counter]) << counter;
  }
  EXPECT_EQ(second.artifacts.at("job_id"), first.artifacts.at("job_id"));
  EXPECT_EQ(second.context("finetune/openai").reports()["fine_tuning"]["how"], "adopted from the run state");
  EXPECT_EQ(second.context("monitor/openai").reports()["job"]["status"], "succeeded");

  // Another run folder (no state) finds the same files and the same job on the provider.
  const ChainRun elsewhere = runChain(harness, chain(harness), inputs());
  ASSERT_TRUE(elsewhere.status.isOk()) << elsewhere.status.toString();
  EXPECT_EQ(harness.counters()["jobs_created"], before["jobs_created"]);
  EXPECT_EQ(harness.counters()["files_created"], before["files_created"]);
  EXPECT_EQ(elsewhere.context("finetune/openai").reports()["fine_tuning"]["how"], "adopted from the provider");

  // new_job asks for another job on purpose.
  const ChainRun again =
      runChain(harness, chain(harness, json::object(), {{"new_job", true}}), inputs(), second.states);
  ASSERT_TRUE(again.status.isOk()) << again.status.toString();
  EXPECT_EQ(harness.counters()["jobs_created"], before["jobs_created"].get<int>() + 1);
  EXPECT_NE(again.artifacts.at("job_id"), first.artifacts.at("job_id"));
}

TEST_F(OpenAiOnEmulator, LargeFilesGoThroughTheUploadsApiInTinyParts) {
  EmulatorHarness harness;
  const auto stages = chain(harness, {{"multipart_threshold_mb", 0.001}, {"part_size_mb", 0.001}});
  const ChainRun run = runChain(harness, stages, inputs());
  ASSERT_TRUE(run.status.isOk()) << run.failed_stage << ": " << run.status.toString();
  const json counters = harness.counters();
  const auto train_bytes = std::filesystem::file_size(train_);
  const auto valid_bytes = std::filesystem::file_size(valid_);
  const auto part = static_cast<std::uintmax_t>(std::llround(0.001 * 1048576));
  EXPECT_EQ(counters["uploads_created"], 2);
  EXPECT_EQ(counters["uploads_completed"], 2);
  EXPECT_EQ(counters["upload_parts_created"], (train_bytes + part - 1) / part + (valid_bytes + part - 1) / part);
  EXPECT_EQ(counters["files_created"], 2);
  EXPECT_EQ(run.context("monitor/openai").reports()["job"]["status"], "succeeded");
}

TEST_F(OpenAiOnEmulator, SurvivesA429StormHonouringRetryAfter) {
  EmulatorHarness harness(faults({{{"status", 429}, {"retry_after", 1}, {"retry_after_ms", 20}, {"first", 5}}}));
  const ChainRun run = runChain(harness, chain(harness), inputs());
  ASSERT_TRUE(run.status.isOk()) << run.failed_stage << ": " << run.status.toString();
  EXPECT_EQ(harness.counters()["faults_injected"], 5);
  EXPECT_EQ(harness.counters()["files_created"], 2);
  EXPECT_EQ(harness.counters()["jobs_created"], 1);
  int retries = 0;
  for (const auto& line : harness.httpLog()) retries += line.find("HTTP 429") != std::string::npos ? 1 : 0;
  EXPECT_EQ(retries, 5);
}

TEST_F(OpenAiOnEmulator, SurvivesA5xxBurstOnUploadsAndJobCreation) {
  EmulatorHarness harness(
      faults({{{"path", "/v1/files"}, {"method", "POST"}, {"status", 503}, {"first", 2}},
              {{"path", "/v1/fine_tuning/jobs"}, {"method", "POST"}, {"status", 500}, {"first", 2}}}));
  const ChainRun run = runChain(harness, chain(harness), inputs());
  ASSERT_TRUE(run.status.isOk()) << run.failed_stage << ": " << run.status.toString();
  EXPECT_EQ(harness.counters()["files_created"], 2);
  EXPECT_EQ(harness.counters()["jobs_created"], 1);
}

TEST_F(OpenAiOnEmulator, ADroppedConnectionMidUploadUploadsEachFileOnce) {
  EmulatorHarness harness(faults({{{"path", "/v1/files"}, {"method", "POST"}, {"drop", "request"}, {"first", 1}},
                                  {{"path", "/v1/uploads/*/parts"}, {"drop", "request"}, {"first", 1}}}));
  const ChainRun files = runChain(harness, chain(harness), inputs());
  ASSERT_TRUE(files.status.isOk()) << files.failed_stage << ": " << files.status.toString();
  EXPECT_EQ(harness.counters()["files_created"], 2);

  TempFiles other;
  const auto big = other.write("big.jsonl", chatJsonl(40, " (big)"));
  const ChainRun parts = runChain(
      harness,
      {{&openai::uploadInfo(),
        {{"base_url", harness.baseUrl() + "/v1"}, {"multipart_threshold_mb", 0.001}, {"part_size_mb", 0.002}}}},
      {{"train_file", big.string()}});
  ASSERT_TRUE(parts.status.isOk()) << parts.status.toString();
  EXPECT_EQ(harness.counters()["files_created"], 3);
  EXPECT_EQ(harness.counters()["uploads_completed"], 1);
}

TEST_F(OpenAiOnEmulator, ALostCreateResponseMakesExactlyOneJobAndOneFile) {
  EmulatorHarness harness(
      faults({{{"path", "/v1/fine_tuning/jobs"}, {"method", "POST"}, {"drop", "response"}, {"first", 1}},
              {{"path", "/v1/files"}, {"method", "POST"}, {"drop", "response"}, {"first", 1}}}));
  const ChainRun run = runChain(harness, chain(harness), inputs());
  ASSERT_TRUE(run.status.isOk()) << run.failed_stage << ": " << run.status.toString();
  const json counters = harness.counters();
  EXPECT_EQ(counters["jobs_created"], 1);
  EXPECT_EQ(counters["files_created"], 2);
  EXPECT_EQ(counters["faults_injected"], 2);
  EXPECT_EQ(run.context("monitor/openai").reports()["job"]["status"], "succeeded");
}

TEST_F(OpenAiOnEmulator, AFailedJobStopsWithTheProviderError) {
  EmulatorHarness harness(faults(
      {{{"job_fails", true}, {"at_step", 5}, {"error", {{"code", "server_error"}, {"message", "Simulated crash."}}}}}));
  const ChainRun run = runChain(harness, chain(harness), inputs());
  EXPECT_EQ(run.failed_stage, "monitor/openai");
  EXPECT_EQ(run.status.code(), StatusCode::kProviderError);
  EXPECT_THAT(run.status.message(), HasSubstr("failed: Simulated crash. (code server_error)"));
  EXPECT_EQ(run.context("monitor/openai").reports()["job"]["error"]["code"], "server_error");
}

TEST_F(OpenAiOnEmulator, AnInterruptedMonitorLeavesTheJobAndAResumeFollowsIt) {
  EmulatorHarness harness;
  auto stages = chain(harness);
  const ChainRun started = runChain(harness, {stages[0], stages[1]}, inputs());
  ASSERT_TRUE(started.status.isOk()) << started.status.toString();
  // Interrupt at the monitor's second wait.
  EmulatedTimeContext interrupted_ctx("monitor/openai", harness.emulator(), 15);
  interrupted_ctx.setHttp(&harness.http());
  interrupted_ctx.setSecret("OPENAI_API_KEY", "k");
  for (const auto& [name, value] : started.artifacts) interrupted_ctx.setArtifact(name, value);
  interrupted_ctx.on_wait = [&](int waits) {
    if (waits == 2) interrupted_ctx.setCancelled(true);
  };
  auto monitor = openai::monitorInfo().make({{"poll_interval_s", 0.05}}, interrupted_ctx);
  ASSERT_TRUE(monitor.ok());
  EXPECT_EQ((*monitor)->asArtifacts()->run(interrupted_ctx).code(), StatusCode::kCancelled);
  EXPECT_EQ(harness.counters()["jobs_cancelled"], 0);

  std::map<std::string, json> states = started.states;
  states["monitor/openai"] = *interrupted_ctx.loadState();
  const ChainRun resumed = runChain(harness, stages, inputs(), states);
  ASSERT_TRUE(resumed.status.isOk()) << resumed.status.toString();
  EXPECT_EQ(harness.counters()["jobs_created"], 1);
  EXPECT_EQ(resumed.context("monitor/openai").reports()["job"]["status"], "succeeded");
}

TEST(OpenAiPlugin, TheBuiltModuleExportsTheThreeStages) {
  auto loaded = loadPlugin(AJUSTE_PROVIDER_OPENAI_PLUGIN);
  ASSERT_TRUE(loaded.ok()) << loaded.error().toString();
  std::vector<std::string> names;
  for (const auto& stage : loaded->descriptor->stages) names.push_back(stage.name);
  EXPECT_EQ(names, (std::vector<std::string>{"upload/openai", "finetune/openai", "monitor/openai"}));
}

}  // namespace
}  // namespace ajuste::provider::testing
