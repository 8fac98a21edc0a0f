// Same seed, same requests: same ids, names, metrics and answers. Loss curves fall.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "support.hpp"

namespace ajuste::emulator::testing {
namespace {

using nlohmann::json;

struct RunResult {
  std::string file;
  json job;
  json events;
  json checkpoints;
  std::string csv;
};

RunResult run(std::uint64_t seed) {
  Options options = testOptions();
  options.seed = seed;
  Emulator emulator(options);
  Api api(emulator);
  RunResult out;
  out.file = api.processedFile(reviewsJsonl(40));
  const std::string id = api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", out.file}}).body["id"];
  out.job = runJobToEnd(emulator, api, id);
  out.events = api.get("/fine_tuning/jobs/" + id + "/events?limit=1000").body;
  out.checkpoints = api.get("/fine_tuning/jobs/" + id + "/checkpoints").body;
  out.csv = api.get("/files/" + out.job["result_files"][0].get<std::string>() + "/content").text;
  return out;
}

TEST(Determinism, SameSeedSameBytes) {
  const RunResult a = run(11);
  const RunResult b = run(11);
  EXPECT_EQ(a.file, b.file);
  EXPECT_EQ(a.job["id"], b.job["id"]);
  EXPECT_EQ(a.job["fine_tuned_model"], b.job["fine_tuned_model"]);
  EXPECT_EQ(a.job["seed"], b.job["seed"]);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.checkpoints, b.checkpoints);
  EXPECT_EQ(a.csv, b.csv);

  const RunResult c = run(12);
  EXPECT_NE(a.file, c.file);
  EXPECT_NE(a.job["id"], c.job["id"]);
  EXPECT_NE(a.csv, c.csv);
}

TEST(Determinism, TrainingLossFallsWithNoise) {
  const RunResult result = run(5);
  std::istringstream in(result.csv);
  std::string line;
  std::getline(in, line);
  std::vector<double> losses;
  while (std::getline(in, line)) losses.push_back(std::stod(line.substr(line.find(',') + 1)));
  ASSERT_EQ(losses.size(), 120U);  // 40 examples x 3 epochs, batch size 1
  double head = 0;
  double tail = 0;
  for (std::size_t i = 0; i < 12; ++i) {
    head += losses[i];
    tail += losses[losses.size() - 1 - i];
  }
  EXPECT_GT(head / 12, 1.2);
  EXPECT_LT(tail / 12, 0.6);
  std::size_t rises = 0;
  for (std::size_t i = 1; i < losses.size(); ++i) rises += losses[i] > losses[i - 1] ? 1U : 0U;
  EXPECT_GT(rises, 10U) << "a real curve is noisy";
}

TEST(Determinism, TheJobSeedDecidesTheCurve) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const std::string file = api.processedFile(reviewsJsonl(10));
  auto csvFor = [&](int seed) {
    const std::string id =
        api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", file}, {"seed", seed}}).body["id"];
    const json job = runJobToEnd(emulator, api, id);
    return api.get("/files/" + job["result_files"][0].get<std::string>() + "/content").text;
  };
  EXPECT_EQ(csvFor(3), csvFor(3));
  EXPECT_NE(csvFor(3), csvFor(4));
}

}  // namespace
}  // namespace ajuste::emulator::testing
