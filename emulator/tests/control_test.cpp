// /_emulator/: health, counters, reset and advance.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support.hpp"

namespace ajuste::emulator::testing {
namespace {

using nlohmann::json;

json getJson(httplib::Client& client, const std::string& path) {
  const auto result = client.Get(path);
  return result ? json::parse(result->body) : json();
}

TEST(Control, CountersAdvanceAndReset) {
  Emulator emulator(testOptions());
  Api api(emulator);
  httplib::Client control(emulator.baseUrl());
  const std::string first_file = api.uploadFile("a.jsonl", reviewsJsonl(10)).body["id"];

  json counters = getJson(control, "/_emulator/counters");
  for (const char* key : {"files_created", "uploads_created", "jobs_created", "jobs_cancelled", "chat_completions",
                          "requests", "faults_injected", "errors"}) {
    EXPECT_TRUE(counters.contains(key)) << key;
  }
  EXPECT_EQ(counters["files_created"], 1);
  EXPECT_EQ(counters["requests"], 2);

  const double before = getJson(control, "/_emulator/health")["simulated_now"];
  const auto advanced = control.Post("/_emulator/advance?seconds=90", "", "text/plain");
  ASSERT_TRUE(advanced);
  EXPECT_DOUBLE_EQ(json::parse(advanced->body)["simulated_now"].get<double>(), before + 90);
  EXPECT_EQ(api.get("/files/" + first_file).body["status"], "processed");
  EXPECT_EQ(control.Post("/_emulator/advance?seconds=-1", "", "text/plain")->status, 400);

  ASSERT_EQ(control.Post("/_emulator/reset", "", "text/plain")->status, 200);
  counters = getJson(control, "/_emulator/counters");
  EXPECT_EQ(counters["files_created"], 0);
  EXPECT_EQ(counters["files"], 0);
  // Ids start over, so a test can reset between cases and still predict them.
  EXPECT_EQ(api.uploadFile("a.jsonl", reviewsJsonl(10)).body["id"], first_file);
}

TEST(Control, HealthSaysSimulated) {
  Emulator emulator(testOptions());
  httplib::Client control(emulator.baseUrl());
  const json health = getJson(control, "/_emulator/health");
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["name"], "ajuste-emulator");
  EXPECT_EQ(health["simulated"], true);
  EXPECT_EQ(health["seed"], 7);
}

TEST(Control, StopIsIdempotentAndFreesThePort) {
  auto emulator = std::make_unique<Emulator>(testOptions());
  const int port = emulator->port();
  emulator->stop();
  emulator->stop();
  emulator.reset();
  Options options = testOptions();
  options.port = port;
  Emulator again(options);
  EXPECT_EQ(again.port(), port);
}

}  // namespace
}  // namespace ajuste::emulator::testing
