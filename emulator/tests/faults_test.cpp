// Each fault kind, its selection rules, and that faults are deterministic for a seed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "support.hpp"

namespace ajuste::emulator::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

Options withFaults(std::initializer_list<const char*> specs) {
  Options options = testOptions();
  for (const char* spec : specs) options.faults.push_back(parseFaultArgument(spec));
  return options;
}

std::vector<int> statuses(Api& api, const std::string& path, int count) {
  std::vector<int> out;
  for (int i = 0; i < count; ++i) out.push_back(api.get(path).status);
  return out;
}

TEST(Faults, StatusAtARateIsDeterministicForASeed) {
  const char* spec = R"({"path": "/v1/models", "method": "GET", "status": 503, "rate": 0.5})";
  Emulator first(withFaults({spec}));
  Api api_first(first);
  const std::vector<int> pattern = statuses(api_first, "/models", 40);
  const auto failures = std::count(pattern.begin(), pattern.end(), 503);
  EXPECT_GT(failures, 8);
  EXPECT_LT(failures, 32);
  EXPECT_EQ(std::count(pattern.begin(), pattern.end(), 200) + failures, 40);
  EXPECT_EQ(first.world().counters()["faults_injected"], failures);

  Emulator second(withFaults({spec}));
  Api api_second(second);
  EXPECT_EQ(statuses(api_second, "/models", 40), pattern);
  // Other paths are untouched.
  EXPECT_EQ(api_second.get("/files").status, 200);
}

TEST(Faults, FirstAndEveryPickWhichRequestsFail) {
  Emulator emulator(withFaults({"path=/v1/files,method=POST,status=500,first=2", "path=/v1/models,status=502,every=3"}));
  Api api(emulator);
  const Response failed = api.uploadFile("a.jsonl", reviewsJsonl(10));
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.body["error"]["type"], "server_error");
  EXPECT_EQ(failed.body["error"]["message"], "The server had an error while processing your request. Sorry about that!");
  EXPECT_EQ(api.uploadFile("a.jsonl", reviewsJsonl(10)).status, 500);
  EXPECT_EQ(api.uploadFile("a.jsonl", reviewsJsonl(10)).status, 200);
  EXPECT_EQ(emulator.world().counters()["files_created"], 1);
  EXPECT_EQ(statuses(api, "/models", 6), (std::vector<int>{200, 200, 502, 200, 200, 502}));
}

TEST(Faults, RateLimitCarriesRetryAfter) {
  Emulator emulator(withFaults({R"({"path": "*/fine_tuning/jobs*", "status": 429, "retry_after": 2, "retry_after_ms": 1500, "first": 1})"}));
  Api api(emulator);
  const Response limited = api.get("/fine_tuning/jobs");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.header("retry-after"), "2");
  EXPECT_EQ(limited.header("retry-after-ms"), "1500");
  EXPECT_EQ(limited.header("x-ratelimit-remaining-requests"), "0");
  EXPECT_EQ(limited.body["error"]["code"], "rate_limit_exceeded");
  EXPECT_EQ(limited.body["error"]["type"], "requests");
  EXPECT_EQ(api.get("/fine_tuning/jobs").status, 200);
}

TEST(Faults, SlowResponsesAreDelayed) {
  Emulator emulator(withFaults({"path=/v1/models,delay_ms=300,first=1"}));
  Api api(emulator);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(api.get("/models").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(300));
}

TEST(Faults, DroppedConnectionMidUploadCreatesNothing) {
  Emulator emulator(withFaults({R"({"path": "/v1/files", "method": "POST", "drop": "request", "first": 1})"}));
  Api api(emulator);
  const std::string data = reviewsJsonl(2000);  // a few hundred KB, so the cut lands mid-body
  const Response dropped = api.uploadFile("big.jsonl", data);
  EXPECT_EQ(dropped.status, -1) << "no response at all";
  EXPECT_EQ(emulator.world().counters()["files_created"], 0);
  EXPECT_TRUE(api.get("/files").body["data"].empty());
  const Response retried = api.uploadFile("big.jsonl", data);
  EXPECT_EQ(retried.status, 200);
  EXPECT_EQ(emulator.world().counters()["files_created"], 1);
  EXPECT_EQ(emulator.world().counters()["faults_injected"], 1);
}

TEST(Faults, LostCreateResponsesLeaveTheObjectsBehind) {
  Emulator emulator(withFaults({R"({"path": "/v1/files", "method": "POST", "drop": "response", "first": 1})",
                                R"({"path": "/v1/uploads", "method": "POST", "drop": "response", "first": 1})",
                                R"({"path": "/v1/fine_tuning/jobs", "method": "POST", "drop": "response", "first": 1})"}));
  Api api(emulator);
  const Response file = api.uploadFile("train.jsonl", reviewsJsonl(10));
  EXPECT_EQ(file.status, -1);
  const json files = api.get("/files").body;
  ASSERT_EQ(files["data"].size(), 1U) << "the file exists though the client heard nothing";
  EXPECT_EQ(files["data"][0]["filename"], "train.jsonl");
  EXPECT_EQ(files["data"][0]["bytes"], reviewsJsonl(10).size());

  EXPECT_EQ(api.post("/uploads", {{"filename", "b.jsonl"}, {"purpose", "fine-tune"}, {"bytes", 3}, {"mime_type", "text/jsonl"}}).status, -1);
  EXPECT_EQ(emulator.world().counters()["uploads_created"], 1);

  advance(emulator, 60);
  const json body = {{"model", "gpt-4o-mini"}, {"training_file", files["data"][0]["id"]}, {"suffix", "tag-1"},
                     {"metadata", {{"ajuste_run", "r1"}}}};
  EXPECT_EQ(api.post("/fine_tuning/jobs", body).status, -1);
  const json jobs = api.get("/fine_tuning/jobs?metadata[ajuste_run]=r1").body;
  ASSERT_EQ(jobs["data"].size(), 1U) << "a resuming client finds the job by its metadata";
  EXPECT_EQ(jobs["data"][0]["user_provided_suffix"], "tag-1");
  const json counters = emulator.world().counters();
  EXPECT_EQ(counters["files_created"], 1);
  EXPECT_EQ(counters["jobs_created"], 1);
  EXPECT_EQ(counters["faults_injected"], 3);
}

TEST(Faults, JobFailsInValidationWithTheGivenError) {
  Emulator emulator(withFaults({R"({"job_fails": true, "error": {"code": "invalid_training_file", "message": "Simulated: bad file.", "param": "training_file"}})"}));
  Api api(emulator);
  const std::string file = api.processedFile(reviewsJsonl(10));
  const Response created = api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", file}});
  ASSERT_EQ(created.status, 200);
  EXPECT_EQ(created.body["status"], "validating_files");
  const json job = runJobToEnd(emulator, api, created.body["id"]);
  EXPECT_EQ(job["status"], "failed");
  EXPECT_EQ(job["error"], (json{{"code", "invalid_training_file"}, {"message", "Simulated: bad file."}, {"param", "training_file"}}));
  EXPECT_TRUE(job["fine_tuned_model"].is_null());
}

TEST(Faults, JobFailsAtAStep) {
  Emulator emulator(withFaults({"job_fails=true,at_step=5"}));
  Api api(emulator);
  const std::string file = api.processedFile(reviewsJsonl(10));
  const std::string id = api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", file}}).body["id"];
  const json job = runJobToEnd(emulator, api, id);
  EXPECT_EQ(job["status"], "failed");
  EXPECT_EQ(job["error"]["code"], "server_error");
  EXPECT_TRUE(job["error"]["param"].is_null());
  const json events = api.get("/fine_tuning/jobs/" + id + "/events").body;
  EXPECT_EQ(events["data"][0]["level"], "error");
  EXPECT_EQ(events["data"][1]["data"]["step"], 5);
  // A second job is not hit: job_fails without `first` hits every job, so check `first` works.
  Emulator once(withFaults({"job_fails=true,first=1"}));
  Api api_once(once);
  const std::string file_once = api_once.processedFile(reviewsJsonl(10));
  const std::string a = api_once.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", file_once}}).body["id"];
  const std::string b = api_once.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", file_once}}).body["id"];
  EXPECT_EQ(runJobToEnd(once, api_once, a)["status"], "failed");
  EXPECT_EQ(runJobToEnd(once, api_once, b)["status"], "succeeded");
}

TEST(Faults, SpecsAreCheckedWithClearMessages) {
  EXPECT_THAT([] { parseFaultArgument("status=503,colour=red"); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("unknown fault key 'colour'")));
  EXPECT_THAT([] { parseFaultArgument("status=42"); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("fault key 'status': expected an integer in 100..599, got 42")));
  EXPECT_THAT([] { parseFaultArgument("path=/v1/files"); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("does nothing")));
  EXPECT_THAT([] { parseFaultArgument("drop=sideways"); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("fault key 'drop'")));
  const FaultSpec spec = parseFaultArgument("path=*/files,method=post,status=503,rate=0.25,after=1");
  EXPECT_EQ(spec.method, "POST");
  EXPECT_DOUBLE_EQ(spec.rate, 0.25);
  EXPECT_TRUE(globMatch("*/files", "/openai/files"));
  EXPECT_TRUE(globMatch("/v1/uploads/*/parts", "/v1/uploads/upload_x/parts"));
  EXPECT_FALSE(globMatch("/v1/files", "/v1/files/file-x"));
}

TEST(Faults, CanBeReplacedAtRunTime) {
  Emulator emulator(testOptions());
  Api api(emulator);
  httplib::Client control(emulator.baseUrl());
  const auto set = control.Post("/_emulator/faults", R"([{"path": "/v1/models", "status": 500, "first": 1}])", "application/json");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->status, 200);
  EXPECT_EQ(api.get("/models").status, 500);
  EXPECT_EQ(api.get("/models").status, 200);
  const auto listed = control.Get("/_emulator/faults");
  EXPECT_EQ(json::parse(listed->body)["faults"][0]["fired"], 1);
  const auto bad = control.Post("/_emulator/faults", R"([{"status": "x"}])", "application/json");
  EXPECT_EQ(bad->status, 400);
}

}  // namespace
}  // namespace ajuste::emulator::testing
