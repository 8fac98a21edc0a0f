// The Azure OpenAI faces: the dated API (/openai/...?api-version=) and the v1 API (/openai/v1/...).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support.hpp"

namespace ajuste::emulator::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using nlohmann::json;

TEST(Azure, ApiVersionIsRequiredAndChecked) {
  Emulator emulator(testOptions());
  Api missing(emulator, "/openai", "");
  const Response none = missing.get("/files");
  EXPECT_EQ(none.status, 400);
  EXPECT_EQ(none.body["error"]["code"], "MissingApiVersionParameter");
  EXPECT_TRUE(none.body["error"].contains("message"));
  EXPECT_FALSE(none.body["error"].contains("type")) << "Azure's shape, not OpenAI's";
  Api unknown(emulator, "/openai", "1999-01-01");
  const Response old = unknown.get("/files");
  EXPECT_EQ(old.status, 400);
  EXPECT_EQ(old.body["error"]["code"], "UnsupportedApiVersion");
  EXPECT_THAT(old.body["error"]["message"].get<std::string>(), HasSubstr("2024-10-21"));
  for (const char* version : {"2024-10-21", "2025-04-01-preview", "2024-06-01"}) {
    Api api(emulator, "/openai", version);
    EXPECT_EQ(api.get("/files").status, 200) << version;
  }
}

TEST(Azure, AcceptsApiKeyOrBearerAndAnswers401InItsShape) {
  Emulator emulator(testOptions());
  Api api(emulator, "/openai");
  EXPECT_EQ(api.get("/fine_tuning/jobs").status, 200);
  api.headers().clear();
  const Response denied = api.get("/fine_tuning/jobs");
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.body["error"]["code"], "401");
  EXPECT_THAT(denied.body["error"]["message"].get<std::string>(), StartsWith("Access denied due to invalid subscription key"));
  api.headers().emplace("Authorization", "Bearer entra-token");
  EXPECT_EQ(api.get("/fine_tuning/jobs").status, 200);
}

TEST(Azure, FullFlowWith201sAndAzureStates) {
  Emulator emulator(testOptions());
  Api api(emulator, "/openai");
  const std::string data = reviewsJsonl(20);
  const Response uploaded = api.uploadFile("train.jsonl", data);
  ASSERT_EQ(uploaded.status, 201) << uploaded.text;
  const std::string file = uploaded.body["id"];
  EXPECT_EQ(uploaded.header("Location"), "/openai/files/" + file + "?api-version=2024-10-21");
  EXPECT_EQ(uploaded.body["status"], "pending");
  EXPECT_FALSE(uploaded.header("apim-request-id").empty());
  advance(emulator, 6);
  EXPECT_EQ(api.get("/files/" + file).body["status"], "running");
  advance(emulator, 60);
  EXPECT_EQ(api.get("/files/" + file).body["status"], "processed");

  const Response created = api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini-2024-07-18"}, {"training_file", file}, {"suffix", "rev"}});
  ASSERT_EQ(created.status, 201) << created.text;
  const std::string job = created.body["id"];
  EXPECT_EQ(created.header("Location"), "/openai/fine_tuning/jobs/" + job + "?api-version=2024-10-21");
  EXPECT_EQ(created.body["status"], "pending");
  EXPECT_TRUE(created.body["hyperparameters"]["n_epochs"].is_number()) << "no \"auto\" on Azure";
  EXPECT_EQ(created.body["organisation_id"], "org-ajuste-emulator");
  EXPECT_EQ(created.body["suffix"], "rev");
  advance(emulator, 100);
  EXPECT_EQ(api.get("/fine_tuning/jobs/" + job).body["status"], "running");

  const json done = runJobToEnd(emulator, api, job);
  ASSERT_EQ(done["status"], "succeeded");
  const std::string model = done["fine_tuned_model"];
  EXPECT_THAT(model, StartsWith("gpt-4o-mini-2024-07-18.ft-"));
  EXPECT_THAT(model, ::testing::EndsWith("-ajuste-emulator-rev"));
  const std::string csv = api.get("/files/" + done["result_files"][0].get<std::string>() + "/content").text;
  EXPECT_THAT(csv, StartsWith("step,train_loss,train_mean_token_accuracy,valid_loss,validation_mean_token_accuracy,"
                              "full_valid_loss,full_valid_mean_token_accuracy\n"));
  EXPECT_EQ(api.get("/files/" + done["result_files"][0].get<std::string>()).body["filename"], "simulated_results.csv");

  // Azure serves a model through a deployment named in the path.
  const Response chat = api.post("/deployments/" + model + "/chat/completions",
                                 {{"messages", {{{"role", "user"}, {"content", "Review: Terrible kettle. Returned it."}}}}});
  ASSERT_EQ(chat.status, 200) << chat.text;
  EXPECT_EQ(chat.body["model"], model);
  const Response missing = api.post("/deployments/nope/chat/completions", {{"messages", {{{"role", "user"}, {"content", "hi"}}}}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["error"]["code"], "DeploymentNotFound");

  const Response deleted = api.del("/fine_tuning/jobs/" + job);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_EQ(api.get("/fine_tuning/jobs/" + job).status, 404);
}

TEST(Azure, ErrorsUseTheMicrosoftShape) {
  Emulator emulator(testOptions());
  Api api(emulator, "/openai");
  const Response missing = api.get("/files/file-nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["error"]["code"], "notFound");
  EXPECT_TRUE(missing.body["error"].contains("target"));
  EXPECT_TRUE(missing.body["error"]["details"].is_array());
  const std::string file = api.processedFile(reviewsJsonl(10));
  const Response long_suffix =
      api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", file}, {"suffix", std::string(41, 's')}});
  EXPECT_EQ(long_suffix.status, 400);
  EXPECT_THAT(long_suffix.body["error"]["message"].get<std::string>(), HasSubstr("maximum length 40"));
}

TEST(Azure, V1FormIsOpenAiCompatibleWithoutApiVersion) {
  Emulator emulator(testOptions());
  Api api(emulator, "/openai/v1");
  const Response uploaded = api.uploadFile("train.jsonl", reviewsJsonl(10));
  ASSERT_EQ(uploaded.status, 200) << uploaded.text;
  EXPECT_EQ(uploaded.body["status"], "uploaded");
  advance(emulator, 60);
  const Response created = api.post("/fine_tuning/jobs", {{"model", "gpt-4.1-nano"}, {"training_file", uploaded.body["id"]}});
  ASSERT_EQ(created.status, 200) << created.text;
  EXPECT_EQ(created.body["status"], "validating_files");
  const Response bad = api.get("/fine_tuning/jobs/ftjob-nope");
  EXPECT_EQ(bad.body["error"]["type"], "invalid_request_error");
}

}  // namespace
}  // namespace ajuste::emulator::testing
