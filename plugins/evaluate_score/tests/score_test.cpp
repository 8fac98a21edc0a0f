#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/stage_harness.hpp"
#include "score_stage.hpp"

namespace ajuste::evaluate_score {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// tests/data/predictions.jsonl, five examples per approach (labels negative, neutral, positive):
//   base_prompt: 0 positive ok, 1 negative ok, 2 neutral unparsed ("I think it is neutral"),
//                3 positive -> negative, 4 negative failed (output null): 2/5 correct.
//                Usage 1,000 prompt (400 cached) + 50 completion on the four that answered.
//   fine_tuned:  0-3 correct, 4 negative -> neutral: 4/5. Usage 200 prompt + 50 completion.
const std::string kPredictions = std::string(AJUSTE_EVALUATE_SCORE_DATA) + "/predictions.jsonl";
constexpr const char* kSha256 = "a76bf65b09322c42b1f783e4cd5e209a5d9b6e32de34187b40d07c0599a2e3b6";

json predictionsArtifact(const std::string& sha256 = kSha256) {
  return {{"path", kPredictions},
          {"records", 10},
          {"sha256", sha256},
          {"simulated", true},
          {"approaches",
           {{"base_prompt", {{"model", "gpt-4.1-mini-2025-04-14"}}},
            {"fine_tuned", {{"model", "ft:gpt-4.1-mini-2025-04-14:acme:sentiment:abc123"}}}}}};
}

constexpr const char* kAzureOptions = R"json({
  "answer_pattern": "Answer:\\s*(\\w+)",
  "labels": ["negative", "neutral", "positive"],
  "provider": "azure",
  "base_prices": {"input_per_1m": 2.00, "cached_input_per_1m": 0.50, "output_per_1m": 8.00},
  "requests_per_day": 1000
})json";

TEST(EvaluateScore, ScoresBothApproachesAndPricesThemOnAzure) {
  testing::StageHarness h{ScoreStage::info(), kAzureOptions};
  h.context().setArtifact("evaluation_predictions", predictionsArtifact());
  h.context().setArtifact("training_estimate", {{"model", "gpt-4.1-mini-2025-04-14"}, {"usd", 10.0}});
  ASSERT_TRUE(h.runArtifacts().isOk());
  const json e = h.context().reports().at("evaluation");
  EXPECT_EQ(e.at("simulated"), true);

  const json& base = e.at("approaches").at("base_prompt");
  EXPECT_EQ(base.at("n"), 5);
  EXPECT_EQ(base.at("correct"), 2);
  EXPECT_EQ(base.at("unparsed"), 2);  // the unmatched reply and the failed request
  EXPECT_EQ(base.at("errors"), 1);
  EXPECT_DOUBLE_EQ(base.at("accuracy").get<double>(), 0.4);
  // Wilson 2/5: 0.1176 .. 0.7693.
  EXPECT_NEAR(base.at("accuracy_ci95").at(0).get<double>(), 0.11762, 1e-5);
  EXPECT_NEAR(base.at("accuracy_ci95").at(1).get<double>(), 0.76928, 1e-5);
  EXPECT_EQ(base.at("confusion").at("columns"), json({"negative", "neutral", "positive", "unparsed"}));
  EXPECT_EQ(base.at("confusion").at("counts"), json({{1, 0, 0, 1}, {0, 0, 0, 1}, {1, 0, 1, 0}}));
  // negative: predicted twice (examples 1 and 3), right once; expected twice, found once.
  EXPECT_DOUBLE_EQ(base.at("per_label").at(0).at("precision").get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(base.at("per_label").at(0).at("recall").get<double>(), 0.5);
  // Mean over the four answered requests only: (600 x 2.00 + 400 x 0.50 + 50 x 8.00) / 1e6.
  EXPECT_DOUBLE_EQ(base.at("mean_usage").at("prompt_tokens").get<double>(), 1000);
  EXPECT_DOUBLE_EQ(base.at("usd_per_request").get<double>(), 0.0018);
  EXPECT_DOUBLE_EQ(base.at("usd_per_1k_requests").get<double>(), 1.8);

  const json& tuned = e.at("approaches").at("fine_tuned");
  EXPECT_DOUBLE_EQ(tuned.at("accuracy").get<double>(), 0.8);
  EXPECT_NEAR(tuned.at("accuracy_ci95").at(0).get<double>(), 0.37553, 1e-5);  // Wilson 4/5
  EXPECT_NEAR(tuned.at("accuracy_ci95").at(1).get<double>(), 0.96378, 1e-5);
  EXPECT_EQ(tuned.at("confusion").at("counts"), json({{1, 1, 0, 0}, {0, 1, 0, 0}, {0, 0, 2, 0}}));
  // Catalogue gpt-4.1-mini (fine-tuned rates): (200 x 0.80 + 50 x 3.20) / 1e6 = 0.00032.
  EXPECT_DOUBLE_EQ(tuned.at("usd_per_request").get<double>(), 0.00032);

  const json& cost = e.at("cost");
  EXPECT_EQ(cost.at("fine_tuned_priced_as"), "gpt-4.1-mini-2025-04-14");
  EXPECT_DOUBLE_EQ(cost.at("training_usd").get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(cost.at("hosting_per_hour").get<double>(), 1.70);
  // 1.70 x 730 + 10 / 12 = 1241.8333 a month; / (730/24 x (0.0018 - 0.00032)) = 27,586.08 a day.
  EXPECT_NEAR(cost.at("fine_tuned_fixed_monthly_usd").get<double>(), 1241.8333, 1e-4);
  EXPECT_EQ(cost.at("break_even").at("kind"), "at");
  EXPECT_NEAR(cost.at("break_even").at("requests_per_day").get<double>(), 27586.08, 1e-2);
  // 1-2-5 steps from 10 to 1M (16 points) plus the break-even and the declared 1,000 (already one).
  const json& series = cost.at("series");
  ASSERT_EQ(series.size(), 17u);
  EXPECT_DOUBLE_EQ(series.at(0).at("requests_per_day").get<double>(), 10);
  EXPECT_NEAR(series.at(6).at("base_prompt_monthly_usd").get<double>(), 54.75, 1e-9);  // 1,000/day
  EXPECT_NEAR(series.at(6).at("fine_tuned_monthly_usd").get<double>(), 1251.5667, 1e-4);

  EXPECT_NEAR(e.at("accuracy_difference_points").get<double>(), 40.0, 1e-9);
  EXPECT_EQ(e.at("recommendation"),
            "use the fine-tuned model: it is 40.0 points more accurate and cheaper above 28k requests/day; at 1.0k "
            "requests/day the prompt costs $54.75/month against $1251.57");
}

TEST(EvaluateScore, OnOpenAIWithoutHostingAndCatalogueRatesForTheBaseItWarns) {
  testing::StageHarness h{ScoreStage::info(), R"json({"answer_pattern": "Answer:\\s*(\\w+)", "training_usd": 10})json"};
  h.context().setArtifact("evaluation_predictions", predictionsArtifact());
  ASSERT_TRUE(h.runArtifacts().isOk());
  const json cost = h.context().reports().at("evaluation").at("cost");
  EXPECT_DOUBLE_EQ(cost.at("hosting_per_hour").get<double>(), 0.0);
  EXPECT_EQ(cost.at("training_source"), "option training_usd");
  // Base at the catalogue's gpt-4.1-mini rates: (600 x 0.80 + 400 x 0.20 + 50 x 3.20) / 1e6 = 0.00072.
  EXPECT_DOUBLE_EQ(h.context().reports().at("evaluation").at("approaches").at("base_prompt").at("usd_per_request").get<double>(),
                   0.00072);
  bool warned = false;
  for (const auto& line : h.context().logs()) warned |= line.message.find("give base_prices") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(EvaluateScore, AChangedPredictionsFileIsADataError) {
  testing::StageHarness h{ScoreStage::info(), kAzureOptions};
  h.context().setArtifact("evaluation_predictions", predictionsArtifact(std::string(64, '0')));
  const Status status = h.runArtifacts();
  ASSERT_FALSE(status.isOk());
  EXPECT_THAT(status.message(), HasSubstr("changed since, re-run evaluate/chat"));
}

TEST(EvaluateScore, RefusesABadPatternAndOrdinalWithoutLabels) {
  EXPECT_THROW((testing::StageHarness{ScoreStage::info(), R"json({"answer_pattern": "(open"})json"}), std::invalid_argument);
  EXPECT_THROW((testing::StageHarness{ScoreStage::info(), R"({"ordinal": true})"}), std::invalid_argument);
  EXPECT_THROW((testing::StageHarness{ScoreStage::info(), R"({"model": "gpt-9"})"}), std::invalid_argument);
}

// Writes `lines` as a predictions file in the run folder and returns its artifact (no sha256:
// the check is optional, as for a user-made file).
json writePredictions(testing::StageHarness& h, const std::string& lines) {
  const auto path = h.context().runDir() / "predictions.jsonl";
  std::ofstream(path, std::ios::binary) << lines;
  return {{"path", path.string()},
          {"approaches",
           {{"base_prompt", {{"model", "gpt-4o-mini"}}},
            {"fine_tuned", {{"model", "gpt-4o-mini-2024-07-18.ft-0123456789abcdef-ajuste-emulator"}}}}}};
}

std::string prediction(const char* approach, const char* expected, const char* output) {
  return json({{"approach", approach},
               {"expected", expected},
               {"output", output},
               {"usage", {{"prompt_tokens", 100}, {"completion_tokens", 10}, {"cached_tokens", 0}}}})
             .dump() +
         "\n";
}

TEST(EvaluateScore, StarRatingsGetAMeanAbsoluteErrorAndAnAzureFineTunedNameIsPricedAsItsBase) {
  // Issue 7's example: the stars out of "Avaliação: 4 estrelas".
  testing::StageHarness h{ScoreStage::info(), R"json({
    "answer_pattern": "(\\d) estrelas?",
    "labels": ["1", "2", "3", "4", "5"],
    "base_prices": {"input_per_1m": 0.15, "output_per_1m": 0.60},
    "training_usd": 0
  })json"};
  h.context().setArtifact("evaluation_predictions",
                          writePredictions(h, prediction("base_prompt", "Avaliação: 4 estrelas", "São 2 estrelas") +
                                                  prediction("base_prompt", "Avaliação: 1 estrela", "1 estrela") +
                                                  prediction("fine_tuned", "Avaliação: 4 estrelas", "Avaliação: 5 estrelas") +
                                                  prediction("fine_tuned", "Avaliação: 1 estrela", "Avaliação: 1 estrela")));
  ASSERT_TRUE(h.runArtifacts().isOk());
  const json e = h.context().reports().at("evaluation");
  // |2 - 4| and |1 - 1| over two; |5 - 4| and 0 over two.
  EXPECT_DOUBLE_EQ(e.at("approaches").at("base_prompt").at("mean_absolute_error").get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(e.at("approaches").at("fine_tuned").at("mean_absolute_error").get<double>(), 0.5);
  EXPECT_EQ(e.at("predictions").at("records"), 4);
  EXPECT_EQ(e.at("cost").at("fine_tuned_priced_as"), "gpt-4o-mini-2024-07-18");
  // (100 x 0.15 + 10 x 0.60) / 1e6 per base request.
  EXPECT_DOUBLE_EQ(e.at("approaches").at("base_prompt").at("usd_per_request").get<double>(), 0.000021);
  // OpenAI: no hosting, no training: the cheaper requests win at any volume.
  EXPECT_EQ(e.at("cost").at("training_source"), "option training_usd");
}

TEST(EvaluateScore, WithoutThePredictionsArtifactItSaysWhatToPutBefore) {
  testing::StageHarness h{ScoreStage::info(), "{}"};
  const Status status = h.runArtifacts();
  ASSERT_FALSE(status.isOk());
  EXPECT_EQ(status.code(), StatusCode::kDataError);
  EXPECT_EQ(status.message(),
            "no evaluation_predictions artifact with a path; put evaluate/chat before evaluate/score");
}

TEST(EvaluateScore, ABadLineIsADataErrorNamingFileAndLine) {
  struct Case {
    std::string lines;
    std::string message;
  };
  const std::string good = prediction("base_prompt", "a", "a");
  const Case cases[] = {
      {good + "\n{not json\n", ":3: not a JSON object"},
      {good + R"({"approach": "few_shot", "expected": "a"})" "\n", ":2: approach 'few_shot' is neither base_prompt nor fine_tuned"},
      {good + R"({"approach": "fine_tuned", "expected": 4})" "\n", ":2: no expected string"},
      {good, " has no fine_tuned requests; evaluate/score compares base_prompt with fine_tuned"},
  };
  for (const Case& c : cases) {
    testing::StageHarness h{ScoreStage::info(), R"({"training_usd": 0})"};
    const json artifact = writePredictions(h, c.lines);
    h.context().setArtifact("evaluation_predictions", artifact);
    const Status status = h.runArtifacts();
    ASSERT_FALSE(status.isOk()) << c.lines;
    EXPECT_EQ(status.code(), StatusCode::kDataError);
    const std::string path = artifact.at("path").get<std::string>();
    EXPECT_EQ(status.message(), (c.message.starts_with(":") ? path : "predictions file " + path) + c.message);
  }
}

TEST(EvaluateScore, AModelTheCatalogueCannotPriceIsADataErrorThatSaysWhichOptionHelps) {
  testing::StageHarness h{ScoreStage::info(), R"({"training_usd": 0})"};
  json artifact = writePredictions(h, prediction("base_prompt", "a", "a") + prediction("fine_tuned", "a", "a"));
  artifact["approaches"]["base_prompt"]["model"] = "my-own-model";
  h.context().setArtifact("evaluation_predictions", artifact);
  const Status status = h.runArtifacts();
  ASSERT_FALSE(status.isOk());
  EXPECT_THAT(status.message(), HasSubstr("cannot price the base model 'my-own-model': unknown model"));
  EXPECT_THAT(status.message(), HasSubstr("; give base_prices"));
}

}  // namespace
}  // namespace ajuste::evaluate_score
