// The azure stages end to end against the in-process ajuste emulator's Azure faces, through the
// framework's real HTTP client.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "azure_stages.hpp"
#include "faults.hpp"
#include "plugin/plugin_loader.hpp"
#include "provider_chain.hpp"
#include "test_files.hpp"

namespace ajuste::provider::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class AzureOnEmulator : public ::testing::Test {
 protected:
  void SetUp() override {
    train_ = files_.write("train.jsonl", chatJsonl(25));
    valid_ = files_.write("valid.jsonl", chatJsonl(10, " (validation)"));
  }
  std::map<std::string, json> inputs() const {
    return {{"train_file", train_.string()}, {"valid_file", valid_.string()}};
  }
  static std::vector<ChainStage> chain(EmulatorHarness& harness, json connection = json::object()) {
    connection["endpoint"] = harness.baseUrl();
    json monitor = {{"poll_interval_s", 0.05}};
    return {{&azure::uploadInfo(), connection},
            {&azure::finetuneInfo(), {{"model", "gpt-35-turbo-0125"}, {"suffix", "reviews"}, {"n_epochs", 2}}},
            {&azure::monitorInfo(), monitor}};
  }

  TempFiles files_;
  std::filesystem::path train_;
  std::filesystem::path valid_;
};

TEST_F(AzureOnEmulator, TheDatedApiUploadsTrainsAndCollectsTheResults) {
  EmulatorHarness harness;
  const ChainRun run = runChain(harness, chain(harness), inputs());
  ASSERT_TRUE(run.status.isOk()) << run.failed_stage << ": " << run.status.toString();
  const json job = run.context("monitor/azure").reports()["job"];
  EXPECT_EQ(job["status"], "succeeded");
  EXPECT_EQ(job["provider"], "azure");
  EXPECT_EQ(job["simulated"], true);
  const std::string model = job["fine_tuned_model"];
  EXPECT_THAT(model, HasSubstr(".ft-"));
  EXPECT_THAT(model, HasSubstr("-reviews-aj")) << "the suffix carries the tag";
  const json metrics = run.context("monitor/azure").reports()["metrics"];
  ASSERT_FALSE(metrics["step"].empty());
  EXPECT_TRUE(metrics["train_accuracy"].front().is_number()) << "train_mean_token_accuracy, read by name";
  EXPECT_TRUE(metrics["valid_accuracy"].front().is_number()) << "validation_mean_token_accuracy, read by name";
  EXPECT_EQ(harness.counters()["jobs_created"], 1);
  EXPECT_EQ(harness.counters()["files_created"], 2);
  EXPECT_EQ(run.artifacts.at("provider")["api_version"], "2024-10-21");
}

TEST_F(AzureOnEmulator, ALostCreateResponseMakesOneJobAndASecondRunAdoptsIt) {
  emulator::FaultSpec lost = emulator::parseFault(
      {{"path", "/openai/fine_tuning/jobs"}, {"method", "POST"}, {"drop", "response"}, {"first", 1}});
  EmulatorHarness harness({lost});
  const ChainRun first = runChain(harness, chain(harness), inputs());
  ASSERT_TRUE(first.status.isOk()) << first.failed_stage << ": " << first.status.toString();
  EXPECT_EQ(harness.counters()["jobs_created"], 1);
  EXPECT_EQ(first.context("finetune/azure").reports()["fine_tuning"]["how"], "adopted from the provider");

  const json before = harness.counters();
  const ChainRun second = runChain(harness, chain(harness), inputs(), first.states);
  ASSERT_TRUE(second.status.isOk()) << second.status.toString();
  for (const char* counter : {"files_created", "uploads_created", "jobs_created"}) {
    EXPECT_EQ(harness.counters()[counter], before[counter]) << counter;
  }
}

TEST_F(AzureOnEmulator, TheV1ApiWorksWithTheSameStages) {
  EmulatorHarness harness;
  const ChainRun run = runChain(harness, chain(harness, {{"api_version", "v1"}}), inputs());
  ASSERT_TRUE(run.status.isOk()) << run.failed_stage << ": " << run.status.toString();
  EXPECT_EQ(run.context("monitor/azure").reports()["job"]["status"], "succeeded");
  EXPECT_EQ(run.artifacts.at("provider")["api_version"], "v1");
}

TEST(AzurePlugin, TheBuiltModuleExportsTheFourStages) {
  auto loaded = loadPlugin(AJUSTE_PROVIDER_AZURE_PLUGIN);
  ASSERT_TRUE(loaded.ok()) << loaded.error().toString();
  std::vector<std::string> names;
  for (const auto& stage : loaded->descriptor->stages) names.push_back(stage.name);
  EXPECT_EQ(names, (std::vector<std::string>{"upload/azure", "finetune/azure", "monitor/azure", "deploy/azure"}));
}

}  // namespace
}  // namespace ajuste::provider::testing
