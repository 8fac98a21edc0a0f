// An evaluation killed midway and resumed never asks the provider the same question twice: the
// emulator's own chat_completions counter ends at exactly one request per example and approach.
#include <csignal>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "emulator.hpp"
#include "faults.hpp"
#include "run_ajuste.hpp"

namespace ajuste::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::filesystem::path kRepo = REPO_DIR;
constexpr const char* kApiKey = "e2e-evaluate-key-8d2e41";
constexpr int kExamples = 12;

std::string pipelineYaml(const std::string& base_url) {
  return R"(name: evaluate
stages:
  - uses: ingest/jsonl
    with: {path: )" + (kRepo / "pipelines" / "data" / "reviews.jsonl").string() + R"(}
  - uses: split/random
    with: {valid_ratio: 0.1, seed: 42}
  - uses: evaluate/chat
    with:
      base_url: )" + base_url + R"(
      base_model: gpt-4.1-nano
      fine_tuned_model: gpt-4.1-mini
      instructions: Answer with the star rating only.
      few_shot: 2
      max_examples: )" + std::to_string(kExamples) + R"(
      concurrency: 2
)";
}

template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(60)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

class EvaluateResumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emulator::Options options;
    options.seed = 5;
    emulator_ = std::make_unique<emulator::Emulator>(options);
    writeFile(dir_.path() / "evaluate.yaml", pipelineYaml(emulator_->baseUrl() + "/v1"));
  }

  std::unique_ptr<RunningAjuste> start(bool resume, const std::string& name) {
    std::vector<std::string> args{"run", "evaluate.yaml", "--run-dir", "run", "--progress", "off"};
    if (resume) args.emplace_back("--resume");
    return std::make_unique<RunningAjuste>(args, dir_.path(),
                                           std::map<std::string, std::string>{{"OPENAI_API_KEY", kApiKey}},
                                           dir_.path() / name);
  }
  std::int64_t counter(const std::string& name) { return emulator_->world().counters().value(name, std::int64_t{0}); }

  TempDir dir_;
  std::unique_ptr<emulator::Emulator> emulator_;
};

TEST_F(EvaluateResumeTest, KilledMidwayAndResumedItSendsEachRequestOnce) {
  // Every 7th chat request gets a 503 asking for a 30 s pause: each of the two workers is
  // stuck in that wait after 6 answers, so the run is midway (12 of 24 answered) when killed.
  emulator_->faults().replace({emulator::parseFault(
      nlohmann::json{{"path", "*/chat/completions"}, {"status", 503}, {"retry_after_ms", 30000}, {"every", 7}})});
  auto run = start(false, "1");
  ASSERT_TRUE(eventually([&] { return counter("errors") >= 2 || !run->running(); })) << run->err();
  ASSERT_TRUE(run->running()) << run->err();
  run->signal(SIGKILL);
  EXPECT_EQ(run->wait(), 128 + SIGKILL);
  EXPECT_EQ(counter("chat_completions"), 12);

  // The provider recovers; the resumed run asks only what is not in the cache.
  emulator_->faults().replace({});
  run = start(true, "2");
  ASSERT_EQ(run->wait(), 0) << run->err();
  EXPECT_EQ(counter("chat_completions"), 2 * kExamples);

  const auto summary = nlohmann::json::parse(readFile(dir_.path() / "run" / "summary.json"));
  const auto predictions = summary["artifacts"]["evaluation_predictions"];
  EXPECT_EQ(predictions["records"], 2 * kExamples);
  EXPECT_EQ(predictions["simulated"], true);
  const auto& base = predictions["approaches"]["base_prompt"];
  const auto& tuned = predictions["approaches"]["fine_tuned"];
  EXPECT_EQ(base["requests"].get<int>() + tuned["requests"].get<int>(), 12);
  EXPECT_EQ(base["cached_responses"].get<int>() + tuned["cached_responses"].get<int>(), 12);
  EXPECT_EQ(base["errors"], 0);
  EXPECT_EQ(tuned["errors"], 0);
  EXPECT_EQ(base["few_shot"], 2);
  const std::string written = readFile(predictions["path"].get<std::string>());
  EXPECT_EQ(std::count(written.begin(), written.end(), '\n'), 2 * kExamples);

  // A plain re-run in the same run folder answers everything from the cache.
  run = start(false, "3");
  ASSERT_EQ(run->wait(), 0) << run->err();
  EXPECT_EQ(counter("chat_completions"), 2 * kExamples);
  const auto again = nlohmann::json::parse(readFile(dir_.path() / "run" / "summary.json"));
  EXPECT_EQ(again["artifacts"]["evaluation_predictions"]["sha256"].is_string(), true);
  EXPECT_EQ(readFile(again["artifacts"]["evaluation_predictions"]["path"].get<std::string>()).size(), written.size());

  for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "run")) {
    if (entry.is_regular_file()) {
      EXPECT_THAT(readFile(entry.path()), Not(HasSubstr(kApiKey))) << entry.path();
    }
  }
}

}  // namespace
}  // namespace ajuste::e2e
