// finetune/openai against a scripted provider: the job request, the ledger, adoption, lost
// answers and new_job.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "job_request.hpp"
#include "openai_stages.hpp"
#include "scripted_api.hpp"
#include "hashing/sha256.hpp"
#include "stage_run.hpp"
#include "test_files.hpp"

namespace ajuste::provider::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kBase = "http://fake.test/v1";

class FinetuneOpenAi : public ::testing::Test {
 protected:
  void SetUp() override {
    train_ = files_.write("train.jsonl", "{\"a\":1}\n");
    valid_ = files_.write("valid.jsonl", "{\"b\":2}\n");
    JobOptions options;
    options.model = "gpt-4o-mini-2024-07-18";
    options.n_epochs = 2;
    JobInputs inputs{"file-t", hashing::sha256Hex(readFile(train_)), "file-v", hashing::sha256Hex(readFile(valid_))};
    key_ = ajusteKey(options, inputs);
  }
  std::map<std::string, json> artifacts() const {
    return {{"train_file", train_.string()},
            {"valid_file", valid_.string()},
            {"training_file_id", "file-t"},
            {"validation_file_id", "file-v"},
            {"provider",
             {{"provider", "openai"}, {"base_url", kBase}, {"auth", "bearer"}, {"credential_env", "OPENAI_API_KEY"}}}};
  }
  json options(json extra = json::object()) const {
    json with = {{"model", "gpt-4o-mini-2024-07-18"}, {"n_epochs", 2}};
    with.update(extra);
    return with;
  }
  json job(const std::string& id, const std::string& status) const {
    return {{"id", id}, {"object", "fine_tuning.job"}, {"status", status}, {"metadata", {{"ajuste_key", key_}}}};
  }
  std::string ledgerKey() const { return "openai " + std::string(kBase) + " " + key_; }
  static std::size_t creates(const ajuste::testing::ScriptedHttpClient& http) {
    std::size_t n = 0;
    for (const auto& request : http.requests())
      n += request.method == "POST" && pathOf(request.url) == "/v1/fine_tuning/jobs";
    return n;
  }

  TempFiles files_;
  std::filesystem::path train_;
  std::filesystem::path valid_;
  std::string key_;
  ScriptedApi api_;
};

TEST_F(FinetuneOpenAi, CreatesTheJobWithItsKeyAndRecordsItsId) {
  api_.reply("GET", "/v1/fine_tuning/jobs", 200, listOf(json::array()));
  api_.on("POST", "/v1/fine_tuning/jobs", [&](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    return jsonResponse(200, job("ftjob-1", "validating_files"));
  });
  auto http = api_.client();
  const auto run = runStage(openai::finetuneInfo(), options({{"suffix", "reviews"}, {"seed", 3}}), http, artifacts());
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();

  ASSERT_EQ(creates(http), 1u);
  HttpRequest post;
  for (const auto& request : http.requests()) {
    if (request.method == "POST") post = request;
  }
  EXPECT_EQ(post.url, "http://fake.test/v1/fine_tuning/jobs");
  EXPECT_EQ(post.idempotency, Idempotency::kNotIdempotent);
  const json body = json::parse(post.body);
  EXPECT_EQ(body["model"], "gpt-4o-mini-2024-07-18");
  EXPECT_EQ(body["training_file"], "file-t");
  EXPECT_EQ(body["validation_file"], "file-v");
  EXPECT_EQ(body["suffix"], "reviews");
  EXPECT_EQ(body["seed"], 3);
  EXPECT_EQ(body["method"]["supervised"]["hyperparameters"]["n_epochs"], 2);
  ASSERT_EQ(body["metadata"].size(), 1u);
  EXPECT_EQ(body["metadata"]["ajuste_key"].get<std::string>().size(), 64u);

  EXPECT_EQ(run.ctx->artifacts().at("job_id"), "ftjob-1");
  const json state = *run.ctx->loadState();
  ASSERT_EQ(state["jobs"].size(), 1u);
  EXPECT_EQ(state["jobs"].begin()->at("job_id"), "ftjob-1");
  EXPECT_FALSE(state["jobs"].begin()->contains("pending"));
  EXPECT_EQ(run.ctx->reports()["fine_tuning"]["how"], "created");
  for (const auto& request : http.requests()) {
    if (request.method == "GET" && pathOf(request.url) == "/v1/fine_tuning/jobs") {
      EXPECT_EQ(queryParam(request.url, "metadata[ajuste_key]"), body["metadata"]["ajuste_key"]);
    }
  }
}

TEST_F(FinetuneOpenAi, AdoptsTheRecordedJobEvenWhenItSucceeded) {
  api_.reply("GET", "/v1/fine_tuning/jobs/ftjob-old", 200, job("ftjob-old", "succeeded"));
  auto http = api_.client();
  const json state = {{"jobs", {{ledgerKey(), {{"job_id", "ftjob-old"}}}}}};
  const auto run = runStage(openai::finetuneInfo(), options(), http, artifacts(), state);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(creates(http), 0u);
  EXPECT_EQ(run.ctx->artifacts().at("job_id"), "ftjob-old");
  EXPECT_EQ(run.ctx->reports()["fine_tuning"]["how"], "adopted from the run state");
}

TEST_F(FinetuneOpenAi, AdoptsATaggedJobOnTheProviderButNotAFailedOne) {
  api_.reply("GET", "/v1/fine_tuning/jobs", 200,
             listOf({job("ftjob-failed", "failed"),
                     job("ftjob-running", "running"),
                     {{"id", "ftjob-untagged"}, {"status", "running"}, {"metadata", {{"ajuste_key", "other"}}}}}));
  auto http = api_.client();
  const auto run = runStage(openai::finetuneInfo(), options(), http, artifacts());
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(creates(http), 0u);
  EXPECT_EQ(run.ctx->artifacts().at("job_id"), "ftjob-running");
  EXPECT_EQ(run.ctx->loadState()->at("jobs").at(ledgerKey()).at("job_id"), "ftjob-running");
}

TEST_F(FinetuneOpenAi, RecordedJobThatFailedLeadsToANewJob) {
  api_.reply("GET", "/v1/fine_tuning/jobs/ftjob-old", 200, job("ftjob-old", "failed"));
  api_.reply("GET", "/v1/fine_tuning/jobs", 200, listOf({job("ftjob-old", "failed")}));
  api_.reply("POST", "/v1/fine_tuning/jobs", 200, job("ftjob-new", "validating_files"));
  auto http = api_.client();
  const json state = {{"jobs", {{ledgerKey(), {{"job_id", "ftjob-old"}}}}}};
  const auto run = runStage(openai::finetuneInfo(), options(), http, artifacts(), state);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(creates(http), 1u);
  EXPECT_EQ(run.ctx->artifacts().at("job_id"), "ftjob-new");
}

TEST_F(FinetuneOpenAi, LostCreateAnswerSearchesAndAdoptsTheJobItMade) {
  bool made = false;
  api_.on("GET", "/v1/fine_tuning/jobs", [&](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    return jsonResponse(200, listOf(made ? json::array({job("ftjob-made", "validating_files")}) : json::array()));
  });
  api_.on("POST", "/v1/fine_tuning/jobs", [&](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    made = true;
    return Status::unknownOutcome("POST /v1/fine_tuning/jobs: the connection failed after the request was sent");
  });
  auto http = api_.client();
  const auto run = runStage(openai::finetuneInfo(), options(), http, artifacts());
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(creates(http), 1u);
  EXPECT_EQ(run.ctx->artifacts().at("job_id"), "ftjob-made");
  EXPECT_TRUE(run.logged("lost request did create the job"));
}

TEST_F(FinetuneOpenAi, LostCreateAnswerWithNoNewJobRetriesOnce) {
  api_.reply("GET", "/v1/fine_tuning/jobs", 200, listOf(json::array()));
  int posts = 0;
  api_.on("POST", "/v1/fine_tuning/jobs", [&](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    if (++posts == 1) return Status::unknownOutcome("POST /v1/fine_tuning/jobs: connection reset");
    return jsonResponse(200, job("ftjob-2", "validating_files"));
  });
  auto http = api_.client();
  const auto run = runStage(openai::finetuneInfo(), options(), http, artifacts());
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(posts, 2);
  EXPECT_EQ(run.ctx->artifacts().at("job_id"), "ftjob-2");
}

TEST_F(FinetuneOpenAi, GivesUpAfterThreeLostAnswersWithUnknownOutcome) {
  api_.reply("GET", "/v1/fine_tuning/jobs", 200, listOf(json::array()));
  api_.on("POST", "/v1/fine_tuning/jobs", [&](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    return Status::unknownOutcome("connection reset");
  });
  auto http = api_.client();
  const auto run = runStage(openai::finetuneInfo(), options(), http, artifacts());
  EXPECT_EQ(run.status.code(), StatusCode::kUnknownOutcome);
  EXPECT_EQ(creates(http), 3u);
  EXPECT_TRUE(run.ctx->loadState()->at("jobs").at(ledgerKey()).contains("pending")) << "a resume searches first";
}

TEST_F(FinetuneOpenAi, AResumedRunWithAPendingCreateAdoptsTheJobThatAppeared) {
  api_.reply("GET", "/v1/fine_tuning/jobs", 200, listOf({job("ftjob-new", "running"), job("ftjob-old", "succeeded")}));
  auto http = api_.client();
  // new_job was set: the old job exists; the earlier run sent a create and crashed.
  const json state = {{"jobs", {{ledgerKey(), {{"pending", {{"attempt", 1}, {"known", {"ftjob-old"}}}}}}}}};
  const auto run = runStage(openai::finetuneInfo(), options({{"new_job", true}}), http, artifacts(), state);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(creates(http), 0u);
  EXPECT_EQ(run.ctx->artifacts().at("job_id"), "ftjob-new");
}

TEST_F(FinetuneOpenAi, NewJobStartsAnotherJobOnceTheRecordedOneEnded) {
  api_.reply("GET", "/v1/fine_tuning/jobs/ftjob-old", 200, job("ftjob-old", "succeeded"));
  api_.reply("GET", "/v1/fine_tuning/jobs", 200, listOf({job("ftjob-old", "succeeded")}));
  api_.reply("POST", "/v1/fine_tuning/jobs", 200, job("ftjob-another", "validating_files"));
  auto http = api_.client();
  const json state = {{"jobs", {{ledgerKey(), {{"job_id", "ftjob-old"}}}}}};
  const auto run = runStage(openai::finetuneInfo(), options({{"new_job", true}}), http, artifacts(), state);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(creates(http), 1u);
  EXPECT_EQ(run.ctx->artifacts().at("job_id"), "ftjob-another");
}

TEST_F(FinetuneOpenAi, NewJobStillAdoptsARecordedJobThatIsRunning) {
  api_.reply("GET", "/v1/fine_tuning/jobs/ftjob-old", 200, job("ftjob-old", "running"));
  auto http = api_.client();
  const json state = {{"jobs", {{ledgerKey(), {{"job_id", "ftjob-old"}}}}}};
  const auto run = runStage(openai::finetuneInfo(), options({{"new_job", true}}), http, artifacts(), state);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(creates(http), 0u);
  EXPECT_EQ(run.ctx->artifacts().at("job_id"), "ftjob-old");
  EXPECT_TRUE(run.logged("still running"));
}

TEST_F(FinetuneOpenAi, ARefusedJobIsAProviderErrorWithTheProviderMessage) {
  api_.reply("GET", "/v1/fine_tuning/jobs", 200, listOf(json::array()));
  api_.on("POST", "/v1/fine_tuning/jobs", [](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    return openAiError(400, "Model gpt-9 is not available for fine-tuning or does not exist.", "model_not_available",
                       "model");
  });
  auto http = api_.client();
  const auto run = runStage(openai::finetuneInfo(), options(), http, artifacts());
  EXPECT_EQ(run.status.code(), StatusCode::kProviderError);
  EXPECT_THAT(run.status.message(), HasSubstr("not available for fine-tuning"));
  EXPECT_THAT(run.status.message(), HasSubstr("code model_not_available, param model"));
}

TEST_F(FinetuneOpenAi, OwnOptionsOverrideTheProviderArtifact) {
  api_.reply("GET", "/v2/fine_tuning/jobs", 200, listOf(json::array()));
  api_.reply("POST", "/v2/fine_tuning/jobs", 200, job("ftjob-1", "queued"));
  auto http = api_.client();
  const auto run = runStage(openai::finetuneInfo(), options({{"base_url", "http://other.test/v2"}}), http, artifacts());
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(http.requests().front().url.rfind("http://other.test/v2/", 0), 0u);
}

}  // namespace
}  // namespace ajuste::provider::testing
