// monitor/openai against a scripted provider: polling, events, thinned progress, results,
// failures and interrupts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "openai_stages.hpp"
#include "scripted_api.hpp"
#include "stage_run.hpp"

namespace ajuste::provider::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kBase = "http://fake.test/v1";

std::map<std::string, json> artifacts() {
  return {{"job_id", "ftjob-1"},
          {"provider",
           {{"provider", "openai"}, {"base_url", kBase}, {"auth", "bearer"}, {"credential_env", "OPENAI_API_KEY"}}}};
}

// A job that moves one status per poll through `statuses`, with events that appear as it goes.
class ScriptedJob {
 public:
  explicit ScriptedJob(std::vector<std::string> statuses, json final_fields = json::object())
      : statuses_(std::move(statuses)), final_fields_(std::move(final_fields)) {}

  json job() {
    const std::string status = statuses_[std::min(poll_, statuses_.size() - 1)];
    ++poll_;
    json out = {{"id", "ftjob-1"},  {"object", "fine_tuning.job"},  {"model", "gpt-4o-mini-2024-07-18"},
                {"status", status}, {"fine_tuned_model", nullptr},  {"trained_tokens", nullptr},
                {"error", nullptr}, {"result_files", json::array()}};
    if (poll_ >= statuses_.size()) out.update(final_fields_);
    return out;
  }
  // Events so far, newest first: a message, then 300 metric steps spread over the polls.
  json events() const {
    json all = json::array();
    all.push_back({{"id", "ev-0"}, {"type", "message"}, {"level", "info"}, {"message", "Fine-tuning job started"}});
    const std::size_t steps = std::min<std::size_t>(300, poll_ * 100);
    for (std::size_t step = 1; step <= steps; ++step) {
      all.push_back({{"id", "ev-" + std::to_string(step)},
                     {"type", "metrics"},
                     {"level", "info"},
                     {"message", "Step " + std::to_string(step)},
                     {"data",
                      {{"step", step},
                       {"total_steps", 300},
                       {"train_loss", 1.0 / static_cast<double>(step)},
                       {"valid_loss", 1.1 / static_cast<double>(step)}}}});
    }
    std::reverse(all.begin(), all.end());
    return all;
  }

 private:
  std::vector<std::string> statuses_;
  json final_fields_;
  std::size_t poll_ = 0;
};

// Serves the job, its events (newest first, paged by `after`), checkpoints and the result file.
void serve(ScriptedApi& api, ScriptedJob& job, const std::string& csv) {
  api.on("GET", "/v1/fine_tuning/jobs/ftjob-1", [&job](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    HttpResponse response = jsonResponse(200, job.job());
    response.headers.push_back({"x-ajuste-emulator", "simulated"});
    return response;
  });
  api.on(
      "GET", "/v1/fine_tuning/jobs/ftjob-1/events",
      [&job](const HttpRequest& request, const std::smatch&) -> Result<HttpResponse> {
        const json all = job.events();
        const std::string after = queryParam(request.url, "after");
        const std::size_t limit = std::stoul(queryParam(request.url, "limit"));
        std::size_t begin = 0;
        if (!after.empty()) {
          while (begin < all.size() && all[begin]["id"] != after) ++begin;
          ++begin;
        }
        json page = json::array();
        for (std::size_t i = begin; i < all.size() && page.size() < limit; ++i) page.push_back(all[i]);
        return jsonResponse(200, {{"object", "list"}, {"data", page}, {"has_more", begin + page.size() < all.size()}});
      });
  api.reply(
      "GET", "/v1/fine_tuning/jobs/ftjob-1/checkpoints", 200,
      listOf({{{"id", "ckpt-3"}, {"step_number", 300}, {"fine_tuned_model_checkpoint", "ft:m:o::x"}},
              {{"id", "ckpt-2"}, {"step_number", 200}, {"fine_tuned_model_checkpoint", "ft:m:o::x:ckpt-step-200"}}}));
  api.on("GET", "/v1/files/file-results/content",
         [csv](const HttpRequest& request, const std::smatch&) -> Result<HttpResponse> {
           std::ofstream(request.download_to, std::ios::binary) << csv;
           HttpResponse response;
           response.status = 200;
           return response;
         });
}

const json kSucceeded = {
    {"fine_tuned_model", "ft:m:o::x"}, {"trained_tokens", 12000}, {"result_files", {"file-results"}}};

TEST(MonitorOpenAi, FollowsTheJobToSuccessAndReportsTheContract) {
  ScriptedJob job({"validating_files", "queued", "running", "running", "succeeded"}, kSucceeded);
  ScriptedApi api;
  serve(api, job,
        "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n1,2.0,0.5,2.2,0.4\n2,1.0,0.7,,\n");
  auto http = api.client();
  const auto run = runStage(openai::monitorInfo(), {{"poll_interval_s", 0.05}}, http, artifacts());
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();

  const json reports = run.ctx->reports();
  EXPECT_EQ(reports["job"],
            (json{{"provider", "openai"},
                  {"job_id", "ftjob-1"},
                  {"status", "succeeded"},
                  {"base_model", "gpt-4o-mini-2024-07-18"},
                  {"fine_tuned_model", "ft:m:o::x"},
                  {"trained_tokens", 12000},
                  {"estimated_billed_tokens", nullptr},
                  {"estimated_usd", nullptr},
                  {"actual_usd", nullptr},
                  {"simulated", true},
                  {"error", nullptr},
                  {"checkpoints",
                   {{{"step", 200}, {"model", "ft:m:o::x:ckpt-step-200"}}, {{"step", 300}, {"model", "ft:m:o::x"}}}}}));
  EXPECT_EQ(reports["metrics"], (json{{"step", {1, 2}},
                                      {"train_loss", {2, 1}},
                                      {"valid_loss", {2.2, nullptr}},
                                      {"train_accuracy", {0.5, 0.7}},
                                      {"valid_accuracy", {0.4, nullptr}}}));
  const auto& published = run.ctx->artifacts();
  EXPECT_EQ(published.at("fine_tuned_model"), "ft:m:o::x");
  EXPECT_EQ(published.at("checkpoints").size(), 2u);
  const std::filesystem::path metrics = published.at("metrics_file").get<std::string>();
  EXPECT_EQ(metrics, run.ctx->runDir() / "metrics.csv");
  EXPECT_TRUE(std::filesystem::exists(metrics));
  EXPECT_EQ(run.ctx->waited(), std::chrono::milliseconds(200)) << "four waits of poll_interval_s between five polls";

  EXPECT_TRUE(run.logged("SIMULATED (ajuste-emulator)"));
  EXPECT_TRUE(run.logged("job ftjob-1 is validating_files"));
  EXPECT_TRUE(run.logged("job ftjob-1: queued -> running"));
  EXPECT_TRUE(run.logged("job ftjob-1: Fine-tuning job started"));
  EXPECT_TRUE(run.logged("step 120/300 train loss 0.00833 valid loss 0.00917") ||
              run.logged("step 30/300 train loss 0.0333 valid loss 0.0367"));
  int metric_lines = 0;
  for (const auto& line : run.ctx->logs()) metric_lines += line.message.rfind("step ", 0) == 0 ? 1 : 0;
  EXPECT_LE(metric_lines, 12) << "300 metric events, thinned to the first, each 10% and the last";
  EXPECT_GE(metric_lines, 10);
}

TEST(MonitorOpenAi, AFailedJobIsAProviderErrorWithCodeMessageAndParam) {
  ScriptedJob job({"validating_files", "failed"},
                  {{"error",
                    {{"code", "invalid_training_file"},
                     {"message", "The job failed due to an invalid training file. Line 12, message 2: bad role"},
                     {"param", "training_file"}}}});
  ScriptedApi api;
  serve(api, job, "");
  auto http = api.client();
  const auto run = runStage(openai::monitorInfo(), json::object(), http, artifacts());
  ASSERT_EQ(run.status.code(), StatusCode::kProviderError);
  EXPECT_THAT(run.status.message(),
              HasSubstr("fine-tuning job ftjob-1 failed: The job failed due to an invalid training "
                        "file. Line 12, message 2: bad role (code invalid_training_file, param "
                        "training_file)"));
  const json reported = run.ctx->reports()["job"];
  EXPECT_EQ(reported["status"], "failed");
  EXPECT_EQ(reported["error"],
            (json{{"code", "invalid_training_file"},
                  {"message", "The job failed due to an invalid training file. Line 12, message 2: bad role"},
                  {"param", "training_file"}}));
  EXPECT_EQ(run.ctx->reports()["metrics"]["step"], json::array());
  EXPECT_FALSE(run.ctx->artifacts().contains("fine_tuned_model"));
}

TEST(MonitorOpenAi, AnInterruptLeavesTheJobRunning) {
  ScriptedJob job({"running"});
  ScriptedApi api;
  serve(api, job, "");
  auto http = api.client();
  const auto run = runStage(openai::monitorInfo(), json::object(), http, artifacts(), std::nullopt, /*cancelled=*/true);
  EXPECT_EQ(run.status.code(), StatusCode::kCancelled);
  for (const auto& request : http.requests()) EXPECT_NE(pathOf(request.url), "/v1/fine_tuning/jobs/ftjob-1/cancel");
  EXPECT_TRUE(run.logged("keeps running on the provider"));
  EXPECT_EQ(run.ctx->reports()["job"]["status"], "running");
}

TEST(MonitorOpenAi, CancelOnInterruptCancelsTheJob) {
  ScriptedJob job({"running"});
  ScriptedApi api;
  serve(api, job, "");
  api.reply("POST", "/v1/fine_tuning/jobs/ftjob-1/cancel", 200, {{"id", "ftjob-1"}, {"status", "cancelled"}});
  auto http = api.client();
  const auto run =
      runStage(openai::monitorInfo(), {{"cancel_on_interrupt", true}}, http, artifacts(), std::nullopt, true);
  EXPECT_EQ(run.status.code(), StatusCode::kCancelled);
  bool cancelled = false;
  for (const auto& request : http.requests()) {
    if (request.method == "POST" && pathOf(request.url) == "/v1/fine_tuning/jobs/ftjob-1/cancel") {
      cancelled = true;
      EXPECT_EQ(request.idempotency, Idempotency::kIdempotent);
    }
  }
  EXPECT_TRUE(cancelled);
  EXPECT_TRUE(run.logged("cancelled job ftjob-1"));
}

TEST(MonitorOpenAi, AResumedMonitorDoesNotRepeatEventsItAlreadyLogged) {
  ScriptedJob job({"running", "running", "succeeded"}, kSucceeded);
  ScriptedApi api;
  serve(api, job, "step\n1\n");
  auto http = api.client();
  const json state = {{"monitor", {{"ftjob-1", {{"last_event_id", "ev-0"}, {"status", "running"}}}}}};
  const auto run = runStage(openai::monitorInfo(), json::object(), http, artifacts(), state);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  EXPECT_FALSE(run.logged("Fine-tuning job started"));
  EXPECT_EQ(run.ctx->loadState()->at("monitor").at("ftjob-1").at("last_event_id"), "ev-300");
}

TEST(MonitorOpenAi, ACancelledJobIsAProviderError) {
  ScriptedJob job({"running", "cancelled"});
  ScriptedApi api;
  serve(api, job, "");
  auto http = api.client();
  const auto run = runStage(openai::monitorInfo(), json::object(), http, artifacts());
  EXPECT_EQ(run.status.code(), StatusCode::kProviderError);
  EXPECT_THAT(run.status.message(), HasSubstr("was cancelled"));
}

}  // namespace
}  // namespace ajuste::provider::testing
