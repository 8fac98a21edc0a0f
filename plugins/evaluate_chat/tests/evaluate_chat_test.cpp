// evaluate/chat against the in-process ajuste emulator through the framework's real HTTP
// client: what is sent, what is written, and that a re-run in the same run folder sends nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>

#include "ajuste/testing/recording_context.hpp"
#include "ajuste/testing/scripted_http.hpp"
#include "ajuste/testing/stage_harness.hpp"
#include "evaluate_chat_stage.hpp"
#include "faults.hpp"
#include "hashing/sha256.hpp"
#include "provider_chain.hpp"
#include "test_files.hpp"

namespace ajuste::evaluate_chat {
namespace {

using nlohmann::json;
using provider::testing::chatJsonl;
using provider::testing::EmulatorHarness;
using provider::testing::readFile;
using provider::testing::TempFiles;
using ::testing::HasSubstr;

constexpr const char* kKey = "sk-evaluate-secret";

std::vector<json> readLines(const std::filesystem::path& path) {
  std::vector<json> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

class EvaluateChatOnEmulator : public ::testing::Test {
 protected:
  void SetUp() override {
    train_ = files_.write("train.jsonl", chatJsonl(12));
    valid_ = files_.write("valid.jsonl", chatJsonl(4, " (held out)"));
  }

  std::unique_ptr<ajuste::testing::RecordingContext> context(EmulatorHarness& harness) const {
    auto ctx = std::make_unique<ajuste::testing::RecordingContext>("evaluate");
    ctx->setHttp(&harness.http());
    ctx->setSecret("OPENAI_API_KEY", kKey);
    ctx->setSecret("AZURE_OPENAI_API_KEY", kKey);
    ctx->setArtifact("valid_file", valid_.string());
    ctx->setArtifact("train_file", train_.string());
    ctx->setArtifact("fine_tuned_model", "gpt-4.1-mini");
    return ctx;
  }

  static json openAi(EmulatorHarness& harness, json extra = json::object()) {
    json with = {{"base_url", harness.baseUrl() + "/v1"},
                 {"base_model", "gpt-4.1-nano"},
                 {"instructions", "Answer with the star rating."},
                 {"few_shot", 2},
                 {"concurrency", 3}};
    with.update(extra);
    return with;
  }

  static Status run(ajuste::testing::RecordingContext& ctx, const json& with) {
    auto options = ajuste::testing::checkOptions(EvaluateChatStage::info(), with);
    if (!options.ok()) return options.error();
    auto made = EvaluateChatStage::info().make(*options, ctx);
    if (!made.ok()) return made.error();
    return (*made)->asArtifacts()->run(ctx);
  }

  TempFiles files_;
  std::filesystem::path train_;
  std::filesystem::path valid_;
};

TEST_F(EvaluateChatOnEmulator, AsksBothModelsForEveryExampleAndWritesThePredictionsInOrder) {
  EmulatorHarness harness;
  auto ctx = context(harness);
  const Status status = run(*ctx, openAi(harness));
  ASSERT_TRUE(status.isOk()) << status.toString();
  EXPECT_EQ(harness.counters()["chat_completions"], 8);

  const json artifact = ctx->artifacts().at("evaluation_predictions");
  const std::filesystem::path path = artifact["path"].get<std::string>();
  EXPECT_EQ(path, ctx->runDir() / "evaluate.predictions.jsonl");
  EXPECT_EQ(artifact["records"], 8);
  EXPECT_EQ(artifact["sha256"], *hashing::sha256OfFile(path));
  EXPECT_EQ(artifact["simulated"], true);
  EXPECT_EQ(artifact["approaches"]["base_prompt"]["model"], "gpt-4.1-nano");
  EXPECT_EQ(artifact["approaches"]["base_prompt"]["requests"], 4);
  EXPECT_EQ(artifact["approaches"]["base_prompt"]["few_shot"], 2);
  EXPECT_EQ(artifact["approaches"]["fine_tuned"]["model"], "gpt-4.1-mini");
  EXPECT_EQ(artifact["approaches"]["fine_tuned"]["requests"], 4);
  EXPECT_EQ(artifact["approaches"]["fine_tuned"]["few_shot"], 0);
  EXPECT_EQ(ctx->reports()["evaluate_chat"], artifact);
  EXPECT_EQ(ctx->reports()["simulated"], true);  // what makes summary.json and the HTML report say so

  const auto lines = readLines(path);
  ASSERT_EQ(lines.size(), 8U);
  std::int64_t base_prompt_tokens = 0;
  std::int64_t tuned_prompt_tokens = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const json& line = lines[i];
    EXPECT_EQ(line["example"], i / 2);
    EXPECT_EQ(line["approach"], i % 2 == 0 ? "base_prompt" : "fine_tuned");
    EXPECT_EQ(line["simulated"], true);
    ASSERT_TRUE(line["output"].is_string()) << line.dump();
    EXPECT_FALSE(line["output"].get<std::string>().empty());
    EXPECT_FALSE(line.contains("error"));
    EXPECT_GT(line["usage"]["completion_tokens"].get<std::int64_t>(), 0);
    EXPECT_EQ(line["usage"]["cached_tokens"], 0);
    (i % 2 == 0 ? base_prompt_tokens : tuned_prompt_tokens) += line["usage"]["prompt_tokens"].get<std::int64_t>();
  }
  EXPECT_EQ(lines[0]["expected"], "Rating: 5 stars");
  EXPECT_EQ(lines[3]["expected"], "Rating: 1 star");
  // The base model also reads the instructions and two worked examples.
  EXPECT_GT(base_prompt_tokens, tuned_prompt_tokens);
  EXPECT_EQ(artifact["approaches"]["base_prompt"]["prompt_tokens"], base_prompt_tokens);
  EXPECT_EQ(artifact["approaches"]["fine_tuned"]["prompt_tokens"], tuned_prompt_tokens);

  // The key went into request headers only.
  std::string everything = readFile(path) + readFile(ctx->runDir() / "evaluate.chat-cache.jsonl") +
                           ctx->reports().dump();
  for (const auto& line : ctx->logs()) everything += line.message;
  EXPECT_THAT(everything, ::testing::Not(HasSubstr(kKey)));
}

TEST_F(EvaluateChatOnEmulator, ARerunInTheSameRunFolderSendsNothingAndWritesTheSameFile) {
  EmulatorHarness harness;
  auto ctx = context(harness);
  ASSERT_TRUE(run(*ctx, openAi(harness)).isOk());
  const std::string first = readFile(ctx->runDir() / "evaluate.predictions.jsonl");

  const Status again = run(*ctx, openAi(harness));
  ASSERT_TRUE(again.isOk()) << again.toString();
  EXPECT_EQ(harness.counters()["chat_completions"], 8);
  const json artifact = ctx->artifacts().at("evaluation_predictions");
  EXPECT_EQ(artifact["approaches"]["base_prompt"]["requests"], 0);
  EXPECT_EQ(artifact["approaches"]["base_prompt"]["cached_responses"], 4);
  EXPECT_EQ(artifact["simulated"], true);
  EXPECT_EQ(readFile(artifact["path"].get<std::string>()), first);
}

TEST_F(EvaluateChatOnEmulator, ThePredictionsDoNotDependOnConcurrency) {
  EmulatorHarness harness;
  auto one = context(harness);
  auto many = context(harness);
  ASSERT_TRUE(run(*one, openAi(harness, {{"concurrency", 1}})).isOk());
  ASSERT_TRUE(run(*many, openAi(harness, {{"concurrency", 8}})).isOk());
  EXPECT_EQ(readFile(one->runDir() / "evaluate.predictions.jsonl"),
            readFile(many->runDir() / "evaluate.predictions.jsonl"));
}

TEST_F(EvaluateChatOnEmulator, AnUnknownModelIsRecordedAsAnErrorAndAskedAgainByARerun) {
  EmulatorHarness harness;
  auto ctx = context(harness);
  const json with = openAi(harness, {{"fine_tuned_model", "ft:gpt-4.1-mini:nobody::gone"}, {"max_examples", 2}});
  ASSERT_TRUE(run(*ctx, with).isOk());
  const json artifact = ctx->artifacts().at("evaluation_predictions");
  EXPECT_EQ(artifact["approaches"]["fine_tuned"]["errors"], 2);
  EXPECT_EQ(artifact["approaches"]["base_prompt"]["errors"], 0);
  const auto lines = readLines(artifact["path"].get<std::string>());
  ASSERT_EQ(lines.size(), 4U);
  EXPECT_TRUE(lines[1]["output"].is_null());
  EXPECT_THAT(lines[1]["error"].get<std::string>(), HasSubstr("HTTP 404"));
  EXPECT_THAT(lines[1]["error"].get<std::string>(), HasSubstr("model_not_found"));
  const auto sent = harness.counters()["errors"].get<std::int64_t>();

  // A 404 is not cached: the model or its deployment may exist by the next run.
  ASSERT_TRUE(run(*ctx, with).isOk());
  EXPECT_EQ(harness.counters()["errors"], sent + 2);
  EXPECT_EQ(harness.counters()["chat_completions"], 2);  // the base model's answers came from the cache
}

TEST_F(EvaluateChatOnEmulator, OnAzureTheDatedApiNamesTheDeploymentInThePath) {
  EmulatorHarness harness;
  auto ctx = context(harness);
  ctx->setArtifact("deployment", {{"name", "gpt-4.1-mini"}, {"model", "gpt-4.1-mini"}});
  const json with = {{"provider", "azure"},   {"endpoint", harness.baseUrl()},
                     {"base_model", "gpt-4.1-nano"}, {"few_shot", 0}, {"max_examples", 1}};
  const Status status = run(*ctx, with);
  ASSERT_TRUE(status.isOk()) << status.toString();
  EXPECT_EQ(harness.counters()["chat_completions"], 2);
  std::string log;
  for (const auto& line : harness.httpLog()) log += line + "\n";
  EXPECT_THAT(log, HasSubstr("/openai/deployments/gpt-4.1-mini/chat/completions?api-version=2024-10-21"));
  EXPECT_THAT(log, HasSubstr("/openai/deployments/gpt-4.1-nano/chat/completions?api-version=2024-10-21"));
  const auto lines = readLines(ctx->artifacts().at("evaluation_predictions")["path"].get<std::string>());
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[1]["model"], "gpt-4.1-mini");
  EXPECT_TRUE(lines[1]["output"].is_string());
}

TEST_F(EvaluateChatOnEmulator, TestFileRunsWithoutAnySplitOrUpload) {
  EmulatorHarness harness;
  ajuste::testing::RecordingContext ctx("evaluate");
  ctx.setHttp(&harness.http());
  ctx.setSecret("OPENAI_API_KEY", kKey);
  const Status status = run(ctx, openAi(harness, {{"test_file", valid_.string()}, {"fine_tuned_model", "gpt-4.1-mini"}}));
  ASSERT_TRUE(status.isOk()) << status.toString();
  EXPECT_EQ(harness.counters()["chat_completions"], 8);
  EXPECT_EQ(ctx.artifacts().at("evaluation_predictions")["approaches"]["base_prompt"]["few_shot"], 0);
}

TEST_F(EvaluateChatOnEmulator, ServerErrorsAreRetriedByTheHttpClient) {
  EmulatorHarness harness({emulator::parseFault(json{{"path", "*/chat/completions"}, {"status", 503}, {"first", 2}})});
  auto ctx = context(harness);
  const Status status = run(*ctx, openAi(harness, {{"max_examples", 1}, {"concurrency", 1}}));
  ASSERT_TRUE(status.isOk()) << status.toString();
  EXPECT_EQ(harness.counters()["chat_completions"], 2);
  const auto lines = readLines(ctx->artifacts().at("evaluation_predictions")["path"].get<std::string>());
  EXPECT_TRUE(lines[0]["output"].is_string());
}

TEST_F(EvaluateChatOnEmulator, A429IsRetriedAfterTheRetryAfterItAsksFor) {
  // 1.2 s, where the client's own backoff would have waited 0.4-0.5 s.
  EmulatorHarness harness({emulator::parseFault(json{
      {"path", "*/chat/completions"}, {"status", 429}, {"retry_after", 1.2}, {"first", 1}})});
  auto ctx = context(harness);
  const Status status = run(*ctx, openAi(harness, {{"max_examples", 1}, {"concurrency", 1}}));
  ASSERT_TRUE(status.isOk()) << status.toString();
  std::string log;
  for (const auto& line : harness.httpLog()) log += line + "\n";
  EXPECT_THAT(log, HasSubstr("HTTP 429"));
  EXPECT_THAT(log, HasSubstr("retry 1/6 in 1.2 s"));
  EXPECT_EQ(harness.counters()["faults_injected"], 1);
  EXPECT_EQ(harness.counters()["chat_completions"], 2);
  const json artifact = ctx->artifacts().at("evaluation_predictions");
  EXPECT_EQ(artifact["approaches"]["base_prompt"]["errors"], 0);
  EXPECT_EQ(artifact["approaches"]["fine_tuned"]["errors"], 0);
}

// A provider that is not the emulator, scripted to the byte: what the stage does with the
// usage it reports, its rate-limit headers and a 429 that outlived the client's retries.
class EvaluateChatScripted : public ::testing::Test {
 protected:
  static ajuste::testing::ScriptedHttpClient::Handler provider(std::atomic<int>& calls) {
    return [&calls](const HttpRequest& request) -> Result<HttpResponse> {
      if (calls++ == 0) {
        auto limited = ajuste::testing::ScriptedHttpClient::json(
            429, {{"error", {{"message", "Rate limit reached for requests"}, {"code", "rate_limit_exceeded"}}}});
        limited.headers.push_back({"retry-after", "2"});
        limited.headers.push_back({"x-ratelimit-remaining-requests", "0"});
        limited.headers.push_back({"x-ratelimit-reset-requests", "1.5s"});
        return limited;
      }
      const json body = json::parse(request.body);
      auto answer = ajuste::testing::ScriptedHttpClient::json(
          200, {{"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", "Rating: 4 stars"}}}}}},
                {"model", body.value("model", "")},
                {"usage", {{"prompt_tokens", 321}, {"completion_tokens", 7}, {"total_tokens", 328},
                           {"prompt_tokens_details", {{"cached_tokens", 256}}}}}});
      answer.headers.push_back({"x-ratelimit-remaining-requests", "999"});
      return answer;
    };
  }

  TempFiles files_;
};

TEST_F(EvaluateChatScripted, UsageIsTheApisRateLimitsAreHonouredAndNothingIsCalledSimulated) {
  const auto valid = files_.write("valid.jsonl", chatJsonl(1));
  std::atomic<int> calls{0};
  ajuste::testing::ScriptedHttpClient http(provider(calls));
  ajuste::testing::RecordingContext ctx("evaluate");
  ctx.setHttp(&http);
  ctx.setSecret("OPENAI_API_KEY", kKey);
  ctx.setArtifact("valid_file", valid.string());
  const json with = {{"base_url", "https://api.example.test/v1"}, {"base_model", "gpt-4.1-nano"},
                     {"fine_tuned_model", "ft:gpt-4.1-nano:acme::x1"}, {"few_shot", 0}, {"concurrency", 1}};
  auto options = ajuste::testing::checkOptions(EvaluateChatStage::info(), with);
  ASSERT_TRUE(options.ok()) << options.error().toString();
  auto made = EvaluateChatStage::info().make(*options, ctx);
  ASSERT_TRUE(made.ok());
  const Status status = (*made)->asArtifacts()->run(ctx);
  ASSERT_TRUE(status.isOk()) << status.toString();

  // The 429's x-ratelimit-reset-requests held the worker back 1.5 s; the 200 (999 left) did not.
  EXPECT_EQ(ctx.waited(), std::chrono::milliseconds(1500));
  const json artifact = ctx.artifacts().at("evaluation_predictions");
  const auto lines = readLines(artifact["path"].get<std::string>());
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_TRUE(lines[0]["output"].is_null());
  EXPECT_THAT(lines[0]["error"].get<std::string>(), HasSubstr("HTTP 429"));
  EXPECT_THAT(lines[0]["error"].get<std::string>(), HasSubstr("rate_limit_exceeded"));
  EXPECT_EQ(lines[1]["output"], "Rating: 4 stars");
  EXPECT_EQ(lines[1]["usage"], json({{"prompt_tokens", 321}, {"completion_tokens", 7}, {"cached_tokens", 256}}));
  EXPECT_EQ(lines[1]["simulated"], false);
  EXPECT_EQ(artifact["simulated"], false);
  EXPECT_FALSE(ctx.reports().contains("simulated"));
  EXPECT_EQ(artifact["approaches"]["fine_tuned"]["prompt_tokens"], 321);
  EXPECT_EQ(artifact["approaches"]["fine_tuned"]["completion_tokens"], 7);
  EXPECT_EQ(artifact["approaches"]["fine_tuned"]["cached_tokens"], 256);
  EXPECT_EQ(artifact["approaches"]["base_prompt"]["errors"], 1);
  EXPECT_EQ(artifact["approaches"]["base_prompt"]["prompt_tokens"], 0);

  // The throttled request was not cached: a re-run asks it again, and only it.
  auto again = EvaluateChatStage::info().make(*options, ctx);
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*again)->asArtifacts()->run(ctx).isOk());
  EXPECT_EQ(calls.load(), 3);
  const auto rerun = readLines(ctx.artifacts().at("evaluation_predictions")["path"].get<std::string>());
  EXPECT_EQ(rerun[0]["output"], "Rating: 4 stars");
  EXPECT_EQ(rerun[1], lines[1]);
}

TEST_F(EvaluateChatOnEmulator, WithoutAFineTunedModelItSaysWhereOneComesFrom) {
  EmulatorHarness harness;
  ajuste::testing::RecordingContext ctx("evaluate");
  ctx.setHttp(&harness.http());
  ctx.setSecret("OPENAI_API_KEY", kKey);
  ctx.setArtifact("valid_file", valid_.string());
  const Status status = run(ctx, openAi(harness));
  EXPECT_EQ(status.code(), StatusCode::kDataError);
  EXPECT_THAT(status.message(), HasSubstr("no fine_tuned_model artifact"));
  EXPECT_EQ(harness.counters()["chat_completions"], 0);
}

TEST(EvaluateChatOptions, AzureOptionsOnOpenAiAreRefusedByName) {
  ajuste::testing::RecordingContext ctx("evaluate");
  auto options = ajuste::testing::checkOptions(
      EvaluateChatStage::info(), {{"base_model", "gpt-4.1-nano"}, {"endpoint", "https://x.openai.azure.com"}});
  ASSERT_TRUE(options.ok()) << options.error().toString();
  auto made = EvaluateChatStage::info().make(*options, ctx);
  ASSERT_TRUE(made.ok());
  const Status status = (*made)->asArtifacts()->run(ctx);
  EXPECT_EQ(status.code(), StatusCode::kConfigError);
  EXPECT_EQ(status.pointer(), "/endpoint");

  auto deployment = ajuste::testing::checkOptions(
      EvaluateChatStage::info(), {{"provider", "openai"}, {"base_model", "m"}, {"deployment", "d"}});
  ASSERT_TRUE(deployment.ok());
  auto refused = EvaluateChatStage::info().make(*deployment, ctx);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().pointer(), "/deployment");
}

}  // namespace
}  // namespace ajuste::evaluate_chat
