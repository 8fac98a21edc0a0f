// The azure stages against a scripted Azure OpenAI: URLs with api-version, the api-key header,
// 201 answers, Azure's file and job statuses, the suffix tag, Microsoft-shaped errors.
#include "azure_stages.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "scripted_api.hpp"
#include "stage_run.hpp"
#include "test_files.hpp"

namespace ajuste::provider::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kEndpoint = "https://res.openai.azure.com";

HttpResponse microsoftError(long status, const std::string& code, const std::string& message,
                            const std::string& target) {
  return jsonResponse(
      status, {{"error", {{"code", code}, {"message", message}, {"target", target}, {"details", json::array()}}}});
}

std::map<std::string, json> providerArtifact(const std::string& version = "2024-10-21") {
  return {{"provider",
           {{"provider", "azure"},
            {"endpoint", kEndpoint},
            {"api_version", version},
            {"auth", "api-key"},
            {"credential_env", "AZURE_OPENAI_API_KEY"}}}};
}

class AzureStages : public ::testing::Test {
 protected:
  void SetUp() override { train_ = files_.write("train.jsonl", "{\"messages\": []}\n"); }
  TempFiles files_;
  std::filesystem::path train_;
  ScriptedApi api_;
};

TEST_F(AzureStages, UploadSpeaksTheDatedApiAndWaitsThroughPendingAndRunning) {
  int polls = 0;
  api_.reply("GET", "/openai/files", 200, listOf(json::array()));
  api_.reply("POST", "/openai/files", 201, {{"id", "file-az"}, {"status", "pending"}});
  api_.on("GET", "/openai/files/file-az", [&](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    const char* status = ++polls == 1 ? "pending" : polls == 2 ? "running" : "processed";
    return jsonResponse(200, {{"id", "file-az"}, {"status", status}});
  });
  auto http = api_.client();
  const auto run = runStage(azure::uploadInfo(), {{"endpoint", kEndpoint}}, http, {{"train_file", train_.string()}});
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(polls, 3);
  for (const auto& request : http.requests()) {
    EXPECT_EQ(queryParam(request.url, "api-version"), "2024-10-21") << request.url;
    EXPECT_EQ(request.headers[0].name, "api-key");
    EXPECT_EQ(request.headers[0].value, kTestSecret);
  }
  EXPECT_EQ(http.requests()[1].url, "https://res.openai.azure.com/openai/files?api-version=2024-10-21");
  EXPECT_EQ(run.ctx->artifacts().at("provider"), providerArtifact().at("provider"));
  EXPECT_THAT(run.everything(), Not(HasSubstr(kTestSecret)));
}

TEST_F(AzureStages, AFileAzureRejectsFailsWithItsStatusDetails) {
  api_.reply("GET", "/openai/files", 200, listOf(json::array()));
  api_.reply("POST", "/openai/files", 201, {{"id", "file-az"}, {"status", "pending"}});
  api_.reply("GET", "/openai/files/file-az", 200,
             {{"id", "file-az"}, {"status", "error"}, {"status_details", "Line 1: messages must not be empty"}});
  auto http = api_.client();
  const auto run = runStage(azure::uploadInfo(), {{"endpoint", kEndpoint}}, http, {{"train_file", train_.string()}});
  EXPECT_EQ(run.status.code(), StatusCode::kProviderError);
  EXPECT_THAT(run.status.message(), HasSubstr("Line 1: messages must not be empty"));
}

TEST_F(AzureStages, MicrosoftShapedRefusalsKeepCodeMessageAndTarget) {
  api_.on("GET", "/openai/files", [](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    return microsoftError(401, "401", "Access denied due to invalid subscription key.", "");
  });
  auto http = api_.client();
  const auto run = runStage(azure::uploadInfo(), {{"endpoint", kEndpoint}}, http, {{"train_file", train_.string()}});
  EXPECT_EQ(run.status.code(), StatusCode::kProviderError);
  EXPECT_THAT(run.status.message(), HasSubstr("HTTP 401: Access denied due to invalid subscription key. (code 401"));
}

TEST_F(AzureStages, AnEntraTokenIsSentAsBearer) {
  api_.reply("GET", "/openai/files", 200, listOf(json::array()));
  api_.reply("POST", "/openai/files", 201, {{"id", "file-az"}});
  api_.reply("GET", "/openai/files/file-az", 200, {{"id", "file-az"}, {"status", "processed"}});
  auto http = api_.client();
  const auto run =
      runStage(azure::uploadInfo(), {{"endpoint", kEndpoint}, {"bearer_token_env", "AZURE_OPENAI_AD_TOKEN"}}, http,
               {{"train_file", train_.string()}}, std::nullopt, false, {{"AZURE_OPENAI_AD_TOKEN", "entra-token"}});
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(http.requests()[0].headers[0].name, "Authorization");
  EXPECT_EQ(http.requests()[0].headers[0].value, "Bearer entra-token");
  EXPECT_EQ(run.ctx->artifacts().at("provider")["credential_env"], "AZURE_OPENAI_AD_TOKEN");
}

TEST_F(AzureStages, FinetuneOnTheDatedApiTagsTheSuffixAndSendsNumbersOnly) {
  api_.reply("GET", "/openai/fine_tuning/jobs", 200, listOf(json::array()));
  api_.reply("POST", "/openai/fine_tuning/jobs", 201, {{"id", "ftjob-az"}, {"status", "pending"}});
  auto http = api_.client();
  auto artifacts = providerArtifact();
  artifacts["train_file"] = train_.string();
  artifacts["training_file_id"] = "file-t";
  artifacts["validation_file_id"] = nullptr;
  const auto run =
      runStage(azure::finetuneInfo(), {{"model", "gpt-4o-mini-2024-07-18"}, {"suffix", "reviews"}, {"n_epochs", 2}},
               http, artifacts);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  HttpRequest post;
  for (const auto& request : http.requests()) {
    if (request.method == "POST") post = request;
  }
  EXPECT_EQ(post.url, "https://res.openai.azure.com/openai/fine_tuning/jobs?api-version=2024-10-21");
  const json body = json::parse(post.body);
  EXPECT_FALSE(body.contains("metadata"));
  EXPECT_FALSE(body.contains("validation_file"));
  EXPECT_EQ(body["hyperparameters"], (json{{"n_epochs", 2}}));
  const std::string suffix = body["suffix"];
  EXPECT_EQ(suffix.rfind("reviews-aj", 0), 0u);
  EXPECT_EQ(suffix.size(), std::string("reviews-aj").size() + 12);
  EXPECT_EQ(run.ctx->artifacts().at("job_id"), "ftjob-az");
}

TEST_F(AzureStages, FinetuneAdoptsAJobCarryingTheSuffixTag) {
  auto artifacts = providerArtifact();
  artifacts["train_file"] = train_.string();
  artifacts["training_file_id"] = "file-t";
  // The first run creates and learns the tag; a run elsewhere finds the job by it.
  api_.reply("GET", "/openai/fine_tuning/jobs", 200, listOf(json::array()));
  std::string suffix;
  api_.on("POST", "/openai/fine_tuning/jobs",
          [&](const HttpRequest& request, const std::smatch&) -> Result<HttpResponse> {
            suffix = json::parse(request.body)["suffix"];
            return jsonResponse(201, {{"id", "ftjob-first"}, {"status", "pending"}});
          });
  auto http = api_.client();
  ASSERT_TRUE(runStage(azure::finetuneInfo(), {{"model", "m"}}, http, artifacts).status.isOk());

  ScriptedApi elsewhere;
  elsewhere.reply("GET", "/openai/fine_tuning/jobs", 200,
                  listOf({{{"id", "ftjob-other"}, {"status", "running"}, {"suffix", "unrelated"}},
                          {{"id", "ftjob-first"}, {"status", "running"}, {"suffix", suffix}}}));
  auto http2 = elsewhere.client();
  const auto run = runStage(azure::finetuneInfo(), {{"model", "m"}}, http2, artifacts);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_EQ(run.ctx->artifacts().at("job_id"), "ftjob-first");
  for (const auto& request : http2.requests()) EXPECT_NE(request.method, "POST");
}

TEST_F(AzureStages, V1CarriesMetadataWithoutApiVersion) {
  api_.reply("GET", "/openai/v1/fine_tuning/jobs", 200, listOf(json::array()));
  api_.reply("POST", "/openai/v1/fine_tuning/jobs", 200, {{"id", "ftjob-v1"}, {"status", "validating_files"}});
  auto http = api_.client();
  auto artifacts = providerArtifact("v1");
  artifacts["train_file"] = train_.string();
  artifacts["training_file_id"] = "file-t";
  const auto run = runStage(azure::finetuneInfo(), {{"model", "m"}, {"suffix", "a-suffix-longer-than-twenty-five"}},
                            http, artifacts);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  for (const auto& request : http.requests()) EXPECT_EQ(request.url.find("api-version"), std::string::npos);
  const json body = json::parse(http.requests().back().body);
  EXPECT_TRUE(body.contains("metadata"));
  EXPECT_EQ(body["suffix"], "a-suffix-longer-than-twenty-five");
}

TEST_F(AzureStages, MonitorReadsAzureStatusesAndColumnNames) {
  int polls = 0;
  api_.on("GET", "/openai/fine_tuning/jobs/ftjob-az",
          [&](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
            const char* status = ++polls == 1 ? "pending" : polls == 2 ? "running" : "succeeded";
            json job = {{"id", "ftjob-az"}, {"status", status}, {"model", "gpt-4o-mini-2024-07-18"}};
            if (polls >= 3) {
              job.update({{"fine_tuned_model", "gpt-4o-mini-2024-07-18.ft-abc"},
                          {"trained_tokens", 900},
                          {"result_files", {"file-res"}}});
            }
            return jsonResponse(200, job);
          });
  api_.reply("GET", "/openai/fine_tuning/jobs/ftjob-az/events", 200,
             listOf({{{"id", "e2"}, {"type", "message"}, {"level", "warning"}, {"message", "Quota is low"}},
                     {{"id", "e1"}, {"type", "message"}, {"level", "info"}, {"message", "Job enqueued"}}}));
  api_.reply("GET", "/openai/fine_tuning/jobs/ftjob-az/checkpoints", 200, listOf(json::array()));
  api_.on("GET", "/openai/files/file-res/content",
          [](const HttpRequest& request, const std::smatch&) -> Result<HttpResponse> {
            std::ofstream(request.download_to)
                << "step,train_loss,train_mean_token_accuracy,valid_loss,"
                   "validation_mean_token_accuracy,full_valid_loss,full_valid_mean_token_accuracy\n"
                   "1,1.5,0.6,1.6,0.55,,\n2,1.0,0.8,1.2,0.7,1.1,0.72\n";
            HttpResponse response;
            response.status = 200;
            return response;
          });
  auto http = api_.client();
  auto artifacts = providerArtifact();
  artifacts["job_id"] = "ftjob-az";
  const auto run = runStage(azure::monitorInfo(), {{"poll_interval_s", 1}}, http, artifacts);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  const json reports = run.ctx->reports();
  EXPECT_EQ(reports["job"]["provider"], "azure");
  EXPECT_EQ(reports["job"]["simulated"], false);
  EXPECT_EQ(reports["metrics"]["train_accuracy"], json::array({0.6, 0.8}));
  EXPECT_EQ(reports["metrics"]["valid_accuracy"], json::array({0.55, 0.7}));
  EXPECT_TRUE(run.logged("job ftjob-az: pending -> running"));
  bool warned = false;
  for (const auto& line : run.ctx->logs()) {
    warned = warned || (line.level == LogLevel::kWarn && line.message.find("Quota is low") != std::string::npos);
  }
  EXPECT_TRUE(warned);
  EXPECT_EQ(run.ctx->artifacts().at("fine_tuned_model"), "gpt-4o-mini-2024-07-18.ft-abc");
}

}  // namespace
}  // namespace ajuste::provider::testing
