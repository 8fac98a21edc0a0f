// An evaluation killed midway and resumed never asks the provider the same question twice, and
// writes the same predictions as an evaluation that was never interrupted. The proof is the
// emulator's own per-request counters: every distinct chat request answered exactly once.
#include <algorithm>
#include <csignal>
#include <fstream>
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
constexpr int kRequests = 2 * kExamples;  // the base model and the fine-tuned model per example
constexpr int kAnsweredBeforeKill = kRequests / 2;

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

// Complete lines only: a line being written when the poll reads is not an answer yet.
std::int64_t completeLines(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::int64_t lines = 0;
  for (std::string line; std::getline(in, line);) lines += in.eof() || line.empty() ? 0 : 1;
  return lines;
}

// The evaluation in its own folder, against its own emulator.
class Evaluation {
 public:
  Evaluation() {
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

  emulator::Emulator& emulator() { return *emulator_; }
  std::int64_t counter(const std::string& name) { return emulator_->world().counters().value(name, std::int64_t{0}); }
  // How many times each distinct chat request was answered, by the emulator's fingerprint.
  std::map<std::string, std::int64_t> answered() {
    return emulator_->world().chatRequests()["requests"].get<std::map<std::string, std::int64_t>>();
  }
  std::filesystem::path run() const { return dir_.path() / "run"; }
  std::filesystem::path cache() const { return run() / "evaluate.chat-cache.jsonl"; }
  std::filesystem::path predictions() const { return run() / "evaluate.predictions.jsonl"; }
  nlohmann::json summary() const { return nlohmann::json::parse(readFile(run() / "summary.json")); }

 private:
  TempDir dir_;
  std::unique_ptr<emulator::Emulator> emulator_;
};

std::int64_t mostAnswers(const std::map<std::string, std::int64_t>& answered) {
  std::int64_t most = 0;
  for (const auto& entry : answered) most = std::max(most, entry.second);
  return most;
}

TEST(EvaluateResume, KilledMidwayAndResumedItAsksEachQuestionOnceAndWritesWhatAnUninterruptedRunWrites) {
  Evaluation reference;
  auto run = reference.start(false, "reference");
  ASSERT_EQ(run->wait(), 0) << run->err();
  const std::string expected = readFile(reference.predictions());
  ASSERT_EQ(std::count(expected.begin(), expected.end(), '\n'), kRequests);
  ASSERT_EQ(reference.answered().size(), static_cast<std::size_t>(kRequests));

  // After 12 answers every chat request gets a 503 asking for a 30 s pause, so both workers end
  // up waiting to retry with nothing in flight: the moment to kill the runner.
  Evaluation killed;
  killed.emulator().faults().replace({emulator::parseFault(nlohmann::json{
      {"path", "*/chat/completions"}, {"status", 503}, {"retry_after_ms", 30000}, {"after", kAnsweredBeforeKill}})});
  run = killed.start(false, "1");
  ASSERT_TRUE(eventually([&] {
    return (completeLines(killed.cache()) == kAnsweredBeforeKill && killed.counter("faults_injected") == 2) ||
           !run->running();
  })) << run->err();
  ASSERT_TRUE(run->running()) << run->err();
  run->signal(SIGKILL);
  EXPECT_EQ(run->wait(), 128 + SIGKILL);
  EXPECT_EQ(completeLines(killed.cache()), kAnsweredBeforeKill);
  EXPECT_EQ(killed.answered().size(), static_cast<std::size_t>(kAnsweredBeforeKill));
  EXPECT_FALSE(std::filesystem::exists(killed.predictions()));

  // The provider recovers; the resumed run asks only what is not in the cache.
  killed.emulator().faults().replace({});
  run = killed.start(true, "2");
  ASSERT_EQ(run->wait(), 0) << run->err();
  const auto answered = killed.answered();
  EXPECT_EQ(answered.size(), static_cast<std::size_t>(kRequests));
  EXPECT_EQ(mostAnswers(answered), 1) << nlohmann::json(answered).dump();
  EXPECT_EQ(answered, reference.answered());  // the same questions as the uninterrupted run
  EXPECT_EQ(readFile(killed.predictions()), expected);

  const auto summary = killed.summary();
  EXPECT_EQ(summary["simulated"], true);
  const auto& predictions = summary["artifacts"]["evaluation_predictions"];
  EXPECT_EQ(predictions["records"], kRequests);
  EXPECT_EQ(predictions["simulated"], true);
  const auto& base = predictions["approaches"]["base_prompt"];
  const auto& tuned = predictions["approaches"]["fine_tuned"];
  EXPECT_EQ(base["requests"].get<int>() + tuned["requests"].get<int>(), kRequests - kAnsweredBeforeKill);
  EXPECT_EQ(base["cached_responses"].get<int>() + tuned["cached_responses"].get<int>(), kAnsweredBeforeKill);
  EXPECT_EQ(base["errors"], 0);
  EXPECT_EQ(tuned["errors"], 0);
  EXPECT_EQ(base["few_shot"], 2);
  EXPECT_EQ(predictions["sha256"], reference.summary()["artifacts"]["evaluation_predictions"]["sha256"]);
  EXPECT_THAT(run->out(), HasSubstr("SIMULATED"));

  // A plain re-run in the same run folder answers everything from the cache.
  run = killed.start(false, "3");
  ASSERT_EQ(run->wait(), 0) << run->err();
  EXPECT_EQ(killed.answered(), answered);
  EXPECT_EQ(readFile(killed.predictions()), expected);

  for (const auto& entry : std::filesystem::directory_iterator(killed.run())) {
    if (entry.is_regular_file()) {
      EXPECT_THAT(readFile(entry.path()), Not(HasSubstr(kApiKey))) << entry.path();
    }
  }
}

}  // namespace
}  // namespace ajuste::e2e
