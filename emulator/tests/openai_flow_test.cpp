// The whole OpenAI flow a provider drives: upload, wait for processing, create a job, follow
// it to the end, read its events, checkpoints and metrics file, then use the model.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "support.hpp"

namespace ajuste::emulator::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using nlohmann::json;

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(OpenAiFlow, UploadTrainMonitorAndUseTheModel) {
  Emulator emulator(testOptions());
  Api api(emulator);

  const std::string data = reviewsJsonl(20);
  const Response uploaded = api.uploadFile("reviews.jsonl", data);
  ASSERT_EQ(uploaded.status, 200) << uploaded.text;
  EXPECT_THAT(uploaded.body["id"].get<std::string>(), StartsWith("file-"));
  EXPECT_EQ(uploaded.body["object"], "file");
  EXPECT_EQ(uploaded.body["bytes"], data.size());
  EXPECT_EQ(uploaded.body["purpose"], "fine-tune");
  EXPECT_EQ(uploaded.body["status"], "uploaded");
  const std::string file_id = uploaded.body["id"];

  advance(emulator, 30);
  EXPECT_EQ(api.get("/files/" + file_id).body["status"], "processed");
  EXPECT_EQ(api.get("/files/" + file_id + "/content").text, data);

  const Response created = api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"},
                                                          {"training_file", file_id},
                                                          {"suffix", "reviews"},
                                                          {"seed", 42},
                                                          {"metadata", {{"ajuste_run", "r1"}}}});
  ASSERT_EQ(created.status, 200) << created.text;
  const json& job = created.body;
  EXPECT_EQ(job["object"], "fine_tuning.job");
  EXPECT_THAT(job["id"].get<std::string>(), StartsWith("ftjob-"));
  EXPECT_EQ(job["model"], "gpt-4o-mini-2024-07-18");
  EXPECT_EQ(job["status"], "validating_files");
  EXPECT_EQ(job["hyperparameters"]["n_epochs"], "auto");
  EXPECT_TRUE(job["fine_tuned_model"].is_null());
  EXPECT_TRUE(job["finished_at"].is_null());
  EXPECT_TRUE(job["trained_tokens"].is_null());
  EXPECT_EQ(job["result_files"], json::array());
  EXPECT_EQ(job["organization_id"], "org-ajuste-emulator");
  EXPECT_EQ(job["seed"], 42);
  EXPECT_EQ(job["metadata"]["ajuste_run"], "r1");
  EXPECT_EQ(job["method"]["type"], "supervised");
  for (const char* key : {"created_at", "error", "finished_at", "fine_tuned_model", "hyperparameters", "id", "model",
                          "object", "organization_id", "result_files", "status", "trained_tokens", "training_file",
                          "validation_file", "seed"}) {
    EXPECT_TRUE(job.contains(key)) << "FineTuningJob requires " << key;
  }
  const std::string job_id = job["id"];

  advance(emulator, 40);
  const json queued = api.get("/fine_tuning/jobs/" + job_id).body;
  EXPECT_EQ(queued["status"], "queued");
  // 20 examples: OpenAI's rule gives 100 // 20 = 5 epochs; batch size 1.
  EXPECT_EQ(queued["hyperparameters"]["n_epochs"], 5);
  EXPECT_EQ(queued["hyperparameters"]["batch_size"], 1);
  EXPECT_EQ(queued["method"]["supervised"]["hyperparameters"]["n_epochs"], 5);

  advance(emulator, 60);
  const json running = api.get("/fine_tuning/jobs/" + job_id).body;
  EXPECT_EQ(running["status"], "running");
  EXPECT_TRUE(running["estimated_finish"].is_number());

  const json done = runJobToEnd(emulator, api, job_id);
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  const std::string model = done["fine_tuned_model"];
  EXPECT_THAT(model, StartsWith("ft:gpt-4o-mini-2024-07-18:ajuste-emulator:reviews:"));
  EXPECT_TRUE(done["finished_at"].is_number());
  EXPECT_EQ(done["result_files"].size(), 1U);
  // trained_tokens = estimated tokens of the file (bytes/4 per example) x epochs.
  std::uint64_t tokens = 0;
  for (const auto& line : lines(data)) tokens += (line.size() + 3) / 4;
  EXPECT_EQ(done["trained_tokens"], tokens * 5);

  // Events, newest first, tell the story in the service's words.
  const json events = api.get("/fine_tuning/jobs/" + job_id + "/events?limit=1000").body;
  EXPECT_EQ(events["object"], "list");
  EXPECT_FALSE(events["has_more"]);
  std::vector<std::string> messages;
  for (const auto& event : events["data"]) {
    EXPECT_EQ(event["object"], "fine_tuning.job.event");
    EXPECT_THAT(event["id"].get<std::string>(), StartsWith("ftevent-"));
    messages.insert(messages.begin(), event["message"].get<std::string>());
  }
  EXPECT_EQ(messages.front(), "Created fine-tuning job: " + job_id);
  EXPECT_EQ(messages[1], "Validating training file: " + file_id);
  EXPECT_EQ(messages[2], "Files validated, moving job to queued state");
  EXPECT_EQ(messages[3], "Fine-tuning job started");
  EXPECT_EQ(messages.back(), "The job has successfully completed");
  EXPECT_NE(std::find(messages.begin(), messages.end(), "New fine-tuned model created"), messages.end());
  const json& first_metrics = events["data"][events["data"].size() - 5];
  EXPECT_EQ(first_metrics["type"], "metrics");
  EXPECT_EQ(first_metrics["data"]["step"], 1);
  EXPECT_EQ(first_metrics["data"]["total_steps"], 100);
  EXPECT_TRUE(first_metrics["data"]["train_loss"].is_number());
  EXPECT_THAT(first_metrics["message"].get<std::string>(), StartsWith("Step 1/100: training loss="));

  // Checkpoints at the ends of the last three epochs; the last one is the model itself.
  const json checkpoints = api.get("/fine_tuning/jobs/" + job_id + "/checkpoints").body;
  ASSERT_EQ(checkpoints["data"].size(), 3U);
  EXPECT_EQ(checkpoints["data"][0]["step_number"], 100);
  EXPECT_EQ(checkpoints["data"][0]["fine_tuned_model_checkpoint"], model);
  EXPECT_EQ(checkpoints["data"][1]["fine_tuned_model_checkpoint"], model + ":ckpt-step-80");
  EXPECT_EQ(checkpoints["data"][2]["step_number"], 60);
  EXPECT_EQ(checkpoints["data"][0]["object"], "fine_tuning.job.checkpoint");
  EXPECT_THAT(checkpoints["data"][0]["id"].get<std::string>(), StartsWith("ftckpt_"));
  EXPECT_TRUE(checkpoints["data"][0]["metrics"].contains("train_loss"));

  // The metrics file: OpenAI's columns, one row per step, clean CSV.
  const std::string result_id = done["result_files"][0];
  const json result_file = api.get("/files/" + result_id).body;
  EXPECT_EQ(result_file["purpose"], "fine-tune-results");
  EXPECT_EQ(result_file["filename"], "simulated_step_metrics.csv");
  const auto csv = lines(api.get("/files/" + result_id + "/content").text);
  ASSERT_EQ(csv.size(), 101U);
  EXPECT_EQ(csv[0], "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy");
  EXPECT_THAT(csv[1], StartsWith("1,"));
  EXPECT_THAT(csv[100], StartsWith("100,"));

  // The model is listed and answers, with usage.
  const json models = api.get("/models").body;
  bool listed = false;
  for (const auto& item : models["data"]) listed = listed || item["id"] == model;
  EXPECT_TRUE(listed);
  EXPECT_EQ(api.get("/models/" + model).body["owned_by"], "org-ajuste-emulator");
  const Response chat = api.post("/chat/completions",
                                 {{"model", model},
                                  {"messages", {{{"role", "system"}, {"content", "You are a product review classifier."}},
                                                {{"role", "user"}, {"content", "Absolutely love this blender!"}}}}});
  ASSERT_EQ(chat.status, 200) << chat.text;
  EXPECT_EQ(chat.body["object"], "chat.completion");
  EXPECT_EQ(chat.body["model"], model);
  EXPECT_THAT(chat.body["choices"][0]["message"]["content"].get<std::string>(), StartsWith("Rating: "));
  const json& usage = chat.body["usage"];
  EXPECT_GT(usage["prompt_tokens"].get<int>(), 0);
  EXPECT_EQ(usage["total_tokens"].get<int>(), usage["prompt_tokens"].get<int>() + usage["completion_tokens"].get<int>());

  const json counters = emulator.world().counters();
  EXPECT_EQ(counters["files_created"], 1);
  EXPECT_EQ(counters["jobs_created"], 1);
  EXPECT_EQ(counters["jobs_succeeded"], 1);
  EXPECT_EQ(counters["chat_completions"], 1);
}

TEST(OpenAiFlow, ValidationFileAddsValidLossEverywhere) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const std::string train = api.processedFile(reviewsJsonl(40));
  const std::string valid = api.processedFile(reviewsJsonl(10, 3), "valid.jsonl");
  const Response created = api.post("/fine_tuning/jobs", {{"model", "gpt-4.1-mini"},
                                                          {"training_file", train},
                                                          {"validation_file", valid},
                                                          {"method", {{"type", "supervised"},
                                                                      {"supervised", {{"hyperparameters", {{"n_epochs", 2}}}}}}}});
  ASSERT_EQ(created.status, 200) << created.text;
  const json done = runJobToEnd(emulator, api, created.body["id"]);
  ASSERT_EQ(done["status"], "succeeded");
  EXPECT_EQ(done["validation_file"], valid);
  EXPECT_EQ(done["hyperparameters"]["n_epochs"], 2);
  const json events = api.get("/fine_tuning/jobs/" + done["id"].get<std::string>() + "/events?limit=5").body;
  bool saw_valid = false;
  for (const auto& event : events["data"]) {
    if (event["type"] == "metrics") saw_valid = event["data"].contains("valid_loss");
  }
  EXPECT_TRUE(saw_valid);
  const auto csv = lines(api.get("/files/" + done["result_files"][0].get<std::string>() + "/content").text);
  ASSERT_EQ(csv.size(), 81U);
  EXPECT_THAT(csv[1], ::testing::Not(::testing::EndsWith(",,")));
  // Two epochs: checkpoints at the end of each.
  EXPECT_EQ(api.get("/fine_tuning/jobs/" + done["id"].get<std::string>() + "/checkpoints").body["data"].size(), 2U);
}

TEST(OpenAiFlow, DefaultTimeScaleFinishesAJobInAboutASecond) {
  Options options = testOptions();
  options.time_scale = 1000;
  options.start_time = 0;
  Emulator emulator(options);
  Api api(emulator);
  const Response uploaded = api.uploadFile("train.jsonl", reviewsJsonl(30));
  std::string status;
  for (int i = 0; i < 100 && status != "processed"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    status = api.get("/files/" + uploaded.body["id"].get<std::string>()).body["status"];
  }
  ASSERT_EQ(status, "processed");
  const auto started = std::chrono::steady_clock::now();
  const Response created = api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", uploaded.body["id"]}});
  ASSERT_EQ(created.status, 200) << created.text;
  for (int i = 0; i < 200 && status != "succeeded"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = api.get("/fine_tuning/jobs/" + created.body["id"].get<std::string>()).body["status"];
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(status, "succeeded");
  EXPECT_LT(seconds, 4.0);
}

TEST(OpenAiFlow, CancelStopsARunningJob) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const std::string file = api.processedFile(reviewsJsonl(50));
  const std::string job = api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", file}}).body["id"];
  advance(emulator, 150);
  ASSERT_EQ(api.get("/fine_tuning/jobs/" + job).body["status"], "running");
  const Response cancelled = api.postEmpty("/fine_tuning/jobs/" + job + "/cancel");
  ASSERT_EQ(cancelled.status, 200) << cancelled.text;
  EXPECT_EQ(cancelled.body["status"], "cancelled");
  advance(emulator, 100000);
  const json after = api.get("/fine_tuning/jobs/" + job).body;
  EXPECT_EQ(after["status"], "cancelled");
  EXPECT_TRUE(after["fine_tuned_model"].is_null());
  EXPECT_EQ(api.get("/fine_tuning/jobs/" + job + "/events?limit=1").body["data"][0]["message"], "Fine-tuning job cancelled");
  const Response again = api.postEmpty("/fine_tuning/jobs/" + job + "/cancel");
  EXPECT_EQ(again.status, 400);
  EXPECT_THAT(again.body["error"]["message"].get<std::string>(), HasSubstr("cannot be cancelled"));
  EXPECT_EQ(emulator.world().counters()["jobs_cancelled"], 1);
}

TEST(OpenAiFlow, DpoJobEchoesItsMethodAndResolvesBeta) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const std::string file = api.processedFile(preferenceJsonl(12), "prefs.jsonl");
  const json method = {{"type", "dpo"}, {"dpo", {{"hyperparameters", {{"beta", "auto"}, {"n_epochs", 1}}}}}};
  const Response refused = api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", file}, {"method", method}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body["error"]["param"], "method.type");
  const Response created = api.post("/fine_tuning/jobs", {{"model", "gpt-4.1-mini"}, {"training_file", file}, {"method", method}});
  ASSERT_EQ(created.status, 200) << created.text;
  const json done = runJobToEnd(emulator, api, created.body["id"]);
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  EXPECT_EQ(done["method"]["type"], "dpo");
  EXPECT_DOUBLE_EQ(done["method"]["dpo"]["hyperparameters"]["beta"].get<double>(), 0.1);
  EXPECT_EQ(done["method"]["dpo"]["hyperparameters"]["n_epochs"], 1);
}

TEST(OpenAiFlow, SupervisedJobOnAPreferenceFileFailsValidation) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const std::string file = api.processedFile(preferenceJsonl(12), "prefs.jsonl");
  const std::string job = api.post("/fine_tuning/jobs", {{"model", "gpt-4.1-mini"}, {"training_file", file}}).body["id"];
  const json done = runJobToEnd(emulator, api, job);
  EXPECT_EQ(done["status"], "failed");
  EXPECT_EQ(done["error"]["code"], "invalid_training_file");
  EXPECT_THAT(done["error"]["message"].get<std::string>(), HasSubstr("needs chat examples"));
}

TEST(OpenAiFlow, CreateChecksItsArguments) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const Response early = api.uploadFile("train.jsonl", reviewsJsonl(12));
  const Response not_ready = api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", early.body["id"]}});
  EXPECT_EQ(not_ready.status, 400);
  EXPECT_EQ(not_ready.body["error"]["code"], "file_not_ready");
  advance(emulator, 60);
  const std::string file = early.body["id"];
  struct Case {
    json body;
    std::string param;
  };
  const std::vector<Case> cases = {
      {{{"training_file", file}}, "model"},
      {{{"model", "gpt-4o-mini"}}, "training_file"},
      {{{"model", "gpt-9"}, {"training_file", file}}, "model"},
      {{{"model", "gpt-4o-mini"}, {"training_file", "file-nope"}}, "training_file"},
      {{{"model", "gpt-4o-mini"}, {"training_file", file}, {"suffix", std::string(65, 'x')}}, "suffix"},
      {{{"model", "gpt-4o-mini"}, {"training_file", file}, {"seed", -1}}, "seed"},
      {{{"model", "gpt-4o-mini"}, {"training_file", file}, {"hyperparameters", {{"n_epochs", 0}}}}, "hyperparameters.n_epochs"},
      {{{"model", "gpt-4o-mini"}, {"training_file", file}, {"hyperparameters", {{"batch_size", 300}}}}, "hyperparameters.batch_size"},
      {{{"model", "gpt-4o-mini"}, {"training_file", file}, {"hyperparameters", {{"learning_rate_multiplier", 0}}}},
       "hyperparameters.learning_rate_multiplier"},
      {{{"model", "gpt-4o-mini"}, {"training_file", file}, {"metadata", {{"k", 1}}}}, "metadata.k"},
  };
  for (const auto& c : cases) {
    const Response response = api.post("/fine_tuning/jobs", c.body);
    EXPECT_EQ(response.status, 400) << c.body.dump();
    EXPECT_EQ(response.body["error"]["type"], "invalid_request_error");
    EXPECT_EQ(response.body["error"]["param"], c.param) << response.text;
  }
  EXPECT_EQ(emulator.world().counters()["jobs_created"], 0);
}

TEST(OpenAiFlow, FilesCanBeDeleted) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const std::string file = api.processedFile(reviewsJsonl(12));
  const Response deleted = api.del("/files/" + file);
  ASSERT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body, (json{{"id", file}, {"object", "file"}, {"deleted", true}}));
  const Response gone = api.get("/files/" + file);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.body["error"]["message"], "No such File object: " + file);
  EXPECT_EQ(api.get("/files/" + file + "/content").status, 404);
}

TEST(OpenAiFlow, FilesApiChecksPurposeAndExtension) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const Response csv = api.uploadFile("train.csv", "a,b\n");
  EXPECT_EQ(csv.status, 400);
  EXPECT_EQ(csv.body["error"]["message"], "Invalid file format for Fine-Tuning API. Must be .jsonl");
  const Response purpose = api.uploadFile("train.jsonl", "{}\n", "bogus");
  EXPECT_EQ(purpose.status, 400);
  EXPECT_EQ(purpose.body["error"]["param"], "purpose");
  const Response other = api.uploadFile("notes.txt", "hello", "user_data");
  EXPECT_EQ(other.status, 200);
}

}  // namespace
}  // namespace ajuste::emulator::testing
