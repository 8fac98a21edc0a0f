// --state-dir: objects, bytes and counters survive a restart.
#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "support.hpp"

namespace ajuste::emulator::testing {
namespace {

using nlohmann::json;

TEST(Persistence, ObjectsAndCountersSurviveARestart) {
  const auto dir = std::filesystem::temp_directory_path() / ("ajuste-emulator-state-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  Options options = testOptions();
  options.state_dir = dir;
  std::string file;
  std::string job;
  const std::string data = reviewsJsonl(10);
  {
    Emulator emulator(options);
    Api api(emulator);
    file = api.processedFile(data);
    job = api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", file}, {"metadata", {{"run", "p"}}}}).body["id"];
    advance(emulator, 100);
  }
  {
    Emulator emulator(options);
    Api api(emulator);
    EXPECT_EQ(api.get("/files/" + file + "/content").text, data);
    EXPECT_EQ(api.get("/fine_tuning/jobs/" + job).body["status"], "running");
    const json done = runJobToEnd(emulator, api, job);
    EXPECT_EQ(done["status"], "succeeded");
    const json counters = emulator.world().counters();
    EXPECT_EQ(counters["files_created"], 1);
    EXPECT_EQ(counters["jobs_created"], 1);
    // New ids continue the sequence instead of repeating old ones.
    EXPECT_NE(api.uploadFile("b.jsonl", data).body["id"], file);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ajuste::emulator::testing
