#include "../src/keyword_score_stage.hpp"

#include <fstream>
#include <stdexcept>
#include <string>

#include <ajuste/testing/stage_harness.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../src/accuracy.hpp"
#include "../src/normalise.hpp"

namespace example {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using nlohmann::json;

constexpr const char* kIgnoreFormat = R"({"ignore_words": ["Rating", "stars", "star"]})";

// Four reviews, each asked of both models, with a blank line after the first pair.
constexpr const char* kPredictions =
    R"({"example": 0, "approach": "base_prompt", "model": "gpt-4o-mini", "expected": "Rating: 4 stars", "output": "I would rate this review 4 out of 5 stars."}
{"example": 0, "approach": "fine_tuned", "model": "ft:gpt-4o-mini:acme::x1", "expected": "Rating: 4 stars", "output": "Rating: 4 stars"}

{"example": 1, "approach": "base_prompt", "model": "gpt-4o-mini", "expected": "Rating: 1 star", "output": "I'd say 2 out of 5."}
{"example": 1, "approach": "fine_tuned", "model": "ft:gpt-4o-mini:acme::x1", "expected": "Rating: 1 star", "output": "RATING: 1 STAR"}
{"example": 2, "approach": "base_prompt", "model": "gpt-4o-mini", "expected": "Rating: 5 stars", "output": "I would rate this review 4 out of 5 stars."}
{"example": 2, "approach": "fine_tuned", "model": "ft:gpt-4o-mini:acme::x1", "expected": "Rating: 5 stars", "output": "Rating: 15 stars"}
{"example": 3, "approach": "base_prompt", "model": "gpt-4o-mini", "expected": "Rating: 3 stars", "output": null, "error": "HTTP 500"}
{"example": 3, "approach": "fine_tuned", "model": "ft:gpt-4o-mini:acme::x1", "expected": "Rating: 3 stars", "output": "Rating: 3 stars."}
)";

// Writes `predictions` into the harness's run folder and publishes it as evaluate/chat would.
std::string givePredictions(ajuste::testing::StageHarness& harness, const std::string& predictions,
                            json artifact = json::object()) {
  const auto path = harness.context().runDir() / "evaluate.predictions.jsonl";
  std::ofstream(path, std::ios::binary) << predictions;
  artifact["path"] = path.string();
  harness.context().setArtifact("evaluation_predictions", std::move(artifact));
  return path.string();
}

json evaluationOf(ajuste::testing::StageHarness& harness) { return harness.context().reports()["evaluation"]; }

// A reported approach against its hand-computed counts (exact) and Wilson interval.
void expectApproach(const json& approach, const json& counts, double low, double high) {
  for (const auto& [key, value] : counts.items()) EXPECT_EQ(approach[key], value) << key;
  EXPECT_NEAR(approach["accuracy_ci95"][0].get<double>(), low, 1e-6);
  EXPECT_NEAR(approach["accuracy_ci95"][1].get<double>(), high, 1e-6);
}

TEST(Normalise, FoldsCaseDropsPunctuationAndIgnoredWords) {
  const Normalisation format{true, true, {"rating", "stars"}};
  EXPECT_EQ(normalisedWords("Rating: 4 Stars!", format), std::vector<std::string>{"4"});
  EXPECT_EQ(normalisedWords("  Avaliação:\t4 estrelas ", format), (std::vector<std::string>{"avaliação", "4", "estrelas"}));
  const Normalisation as_written{false, false, {}};
  EXPECT_EQ(normalisedWords("Rating: 4", as_written), (std::vector<std::string>{"Rating:", "4"}));
}

TEST(Normalise, ContainsMatchesWholeWordsInOrder) {
  const std::vector<std::string> reply{"rate", "it", "4", "out", "of", "5"};
  EXPECT_TRUE(containsWords(reply, {"4"}));
  EXPECT_TRUE(containsWords(reply, {"out", "of"}));
  EXPECT_FALSE(containsWords(reply, {"of", "out"}));
  EXPECT_FALSE(containsWords({"rate", "it", "14"}, {"4"}));
  EXPECT_FALSE(containsWords(reply, {}));  // nothing expected is never "contained"
}

TEST(Wilson95, MatchesTheHandComputedInterval) {
  // 3 of 4: p = 0.75, z^2 = 3.841459, z^2/n = 0.960365;
  // centre = (0.75 + 0.480182) / 1.960365 = 0.627528;
  // half = 1.959964 / 1.960365 * sqrt(0.75 * 0.25 / 4 + 3.841459 / 64) = 0.326886.
  const Interval three_of_four = wilson95(3, 4);
  EXPECT_NEAR(three_of_four.low, 0.300642, 1e-6);
  EXPECT_NEAR(three_of_four.high, 0.954413, 1e-6);
  // 2 of 4: centred on 0.5; half = 0.999796 * sqrt(0.0625 + 0.060023) = 0.349961.
  EXPECT_NEAR(wilson95(2, 4).low, 0.150039, 1e-6);
  EXPECT_NEAR(wilson95(2, 4).high, 0.849961, 1e-6);
  EXPECT_EQ(wilson95(0, 4).low, 0.0);
  EXPECT_EQ(wilson95(4, 4).high, 1.0);
  EXPECT_EQ(wilson95(0, 0).low, 0.0);
  EXPECT_EQ(wilson95(0, 0).high, 1.0);
}

TEST(KeywordScore, CountsRepliesThatContainTheExpectedAnswer) {
  ajuste::testing::StageHarness harness{KeywordScoreStage::info(), kIgnoreFormat};
  const std::string path = givePredictions(
      harness, kPredictions,
      {{"simulated", true},
       {"approaches", {{"base_prompt", {{"model", "gpt-4o-mini"}}}, {"fine_tuned", {{"model", "ft:gpt-4o-mini:acme::x1"}}}}}});
  ASSERT_TRUE(harness.runArtifacts().isOk());
  const json evaluation = evaluationOf(harness);

  // Base: review 0 says 4 (right), 1 says 2 (wrong), 2 mentions "5" in "out of 5" (right: the
  // lenient side of keyword match), 3 failed. Fine-tuned: "15" is not "5"; "3 stars." is 3.
  expectApproach(evaluation["approaches"]["base_prompt"],
                 {{"model", "gpt-4o-mini"}, {"n", 4}, {"correct", 2}, {"errors", 1}, {"accuracy", 0.5}}, 0.150039,
                 0.849961);
  expectApproach(evaluation["approaches"]["fine_tuned"],
                 {{"model", "ft:gpt-4o-mini:acme::x1"}, {"n", 4}, {"correct", 3}, {"errors", 0}, {"accuracy", 0.75}},
                 0.300642, 0.954413);

  EXPECT_DOUBLE_EQ(evaluation["accuracy_difference_points"].get<double>(), 25.0);
  EXPECT_EQ(evaluation["recommendation"],
            "use the fine-tuned model: it is 25.0 points more accurate on keyword match (fine-tuned 75.0%, prompt "
            "50.0%); the 95% intervals overlap, so more examples would make it surer");
  EXPECT_EQ(evaluation["simulated"], true);
  EXPECT_EQ(evaluation["scorer"], "example/keyword_score");
  EXPECT_EQ(evaluation["predictions"], (json{{"path", path}, {"records", 8}}));
  EXPECT_EQ(evaluation["metric"],
            "keyword match: a reply is right when its words contain the expected answer's words, in order; ASCII case "
            "folded; punctuation ignored; ignoring 'rating' 'stars' 'star'");
  ASSERT_FALSE(harness.context().logs().empty());
  EXPECT_EQ(harness.context().logs().back().message, evaluation["recommendation"]);
}

TEST(KeywordScore, EqualsNeedsTheWholeReplyAndModelsComeFromTheLinesWithoutAnArtifactList) {
  ajuste::testing::StageHarness harness{KeywordScoreStage::info(),
                                        R"({"ignore_words": ["rating", "stars", "star"], "match": "equals"})"};
  givePredictions(harness, kPredictions);
  ASSERT_TRUE(harness.runArtifacts().isOk());
  const json evaluation = evaluationOf(harness);
  EXPECT_EQ(evaluation["approaches"]["base_prompt"]["correct"], 0);
  EXPECT_EQ(evaluation["approaches"]["base_prompt"]["model"], "gpt-4o-mini");
  EXPECT_EQ(evaluation["approaches"]["fine_tuned"]["correct"], 3);
  EXPECT_EQ(evaluation["simulated"], false);
  EXPECT_DOUBLE_EQ(evaluation["accuracy_difference_points"].get<double>(), 75.0);
  // 0 of 4 is at most 49.0%, 3 of 4 at least 30.1%: the intervals overlap.
  EXPECT_EQ(evaluation["recommendation"],
            "use the fine-tuned model: it is 75.0 points more accurate on keyword match (fine-tuned 75.0%, prompt "
            "0.0%); the 95% intervals overlap, so more examples would make it surer");
}

TEST(KeywordScore, WithoutCaseFoldingCaseCounts) {
  ajuste::testing::StageHarness harness{KeywordScoreStage::info(), R"({"case_fold": false})"};
  givePredictions(harness,
                  R"({"approach": "base_prompt", "expected": "positive", "output": "Positive"}
{"approach": "fine_tuned", "expected": "positive", "output": "it is positive."}
)");
  ASSERT_TRUE(harness.runArtifacts().isOk());
  const json evaluation = evaluationOf(harness);
  EXPECT_EQ(evaluation["approaches"]["base_prompt"]["correct"], 0);
  EXPECT_EQ(evaluation["approaches"]["fine_tuned"]["correct"], 1);
  EXPECT_EQ(evaluation["recommendation"],
            "use the fine-tuned model: it is 100.0 points more accurate on keyword match (fine-tuned 100.0%, prompt "
            "0.0%); the 95% intervals overlap, so more examples would make it surer");
}

TEST(KeywordScore, AClearWinHasNoCaveat) {
  // 10 of 10 is at least 72.2%, 0 of 10 at most 27.8%: the intervals are apart.
  std::string predictions;
  for (int i = 0; i < 10; ++i) {
    predictions += R"({"approach": "base_prompt", "expected": "yes", "output": "no"})" "\n"
                   R"({"approach": "fine_tuned", "expected": "yes", "output": "yes"})" "\n";
  }
  ajuste::testing::StageHarness harness{KeywordScoreStage::info(), "{}"};
  givePredictions(harness, predictions);
  ASSERT_TRUE(harness.runArtifacts().isOk());
  EXPECT_EQ(evaluationOf(harness)["recommendation"],
            "use the fine-tuned model: it is 100.0 points more accurate on keyword match (fine-tuned 100.0%, prompt "
            "0.0%)");
}

TEST(KeywordScore, WithinTiePointsThePromptIsKept) {
  ajuste::testing::StageHarness harness{KeywordScoreStage::info(), R"({"tie_points": 50})"};
  givePredictions(harness,
                  R"({"approach": "base_prompt", "expected": "yes", "output": "Yes."}
{"approach": "fine_tuned", "expected": "yes", "output": "No."}
{"approach": "base_prompt", "expected": "no", "output": "yes"}
{"approach": "fine_tuned", "expected": "no", "output": "no"}
)");
  ASSERT_TRUE(harness.runArtifacts().isOk());
  EXPECT_EQ(evaluationOf(harness)["recommendation"],
            "keep the prompt: the fine-tuned model is within 50.0 points of it on keyword match (fine-tuned 50.0%, "
            "prompt 50.0%), and the prompt needs no training or hosting");

  ajuste::testing::StageHarness better_prompt{KeywordScoreStage::info(), "{}"};
  givePredictions(better_prompt,
                  R"({"approach": "base_prompt", "expected": "yes", "output": "yes"}
{"approach": "fine_tuned", "expected": "yes", "output": "no"}
)");
  ASSERT_TRUE(better_prompt.runArtifacts().isOk());
  EXPECT_EQ(evaluationOf(better_prompt)["recommendation"],
            "keep the prompt: it is 100.0 points more accurate than the fine-tuned model on keyword match (fine-tuned "
            "0.0%, prompt 100.0%)");
}

// Each bad line is refused with the file and the line (blank lines count as lines).
TEST(KeywordScore, ABadPredictionsLineNamesFileAndLine) {
  const std::string good = R"({"approach": "base_prompt", "expected": "yes", "output": "yes"})";
  const std::pair<std::string, std::string> cases[] = {
      {"[1, 2]", "not a JSON object"},
      {"{\"approach\": \"base_prompt\", \"expected\": ", "not a JSON object"},
      {R"({"approach": "judge", "expected": "yes", "output": "yes"})",
       R"(approach "judge" is neither "base_prompt" nor "fine_tuned")"},
      {R"({"expected": "yes", "output": "yes"})", R"(approach missing is neither "base_prompt" nor "fine_tuned")"},
      {R"({"approach": "fine_tuned", "expected": 4, "output": "4"})", "no expected string"},
      {R"({"approach": "fine_tuned", "expected": "4", "output": 4})", "output is 4, neither a string nor null"},
      {R"({"approach": "fine_tuned", "expected": "Stars!", "output": "4"})",
       "the expected answer \"Stars!\" has no words left once normalised; take its words out of ignore_words"},
  };
  for (const auto& [line, message] : cases) {
    ajuste::testing::StageHarness harness{KeywordScoreStage::info(), kIgnoreFormat};
    const std::string path = givePredictions(harness, good + "\n\n" + line + "\n");
    const ajuste::Status status = harness.runArtifacts();
    EXPECT_EQ(status.code(), ajuste::StatusCode::kDataError) << line;
    EXPECT_EQ(status.message(), path + ":3: " + message) << line;
  }
}

TEST(KeywordScore, NeedsThePredictionsAndBothApproaches) {
  ajuste::testing::StageHarness missing{KeywordScoreStage::info(), "{}"};
  EXPECT_EQ(missing.runArtifacts().message(),
            "no evaluation_predictions artifact with a path; put evaluate/chat before example/keyword_score");

  ajuste::testing::StageHarness gone{KeywordScoreStage::info(), "{}"};
  gone.context().setArtifact("evaluation_predictions", {{"path", (gone.context().runDir() / "none.jsonl").string()}});
  const ajuste::Status unreadable = gone.runArtifacts();
  EXPECT_EQ(unreadable.code(), ajuste::StatusCode::kIoError);
  EXPECT_THAT(unreadable.message(), HasSubstr("cannot read the predictions file "));

  ajuste::testing::StageHarness one_sided{KeywordScoreStage::info(), "{}"};
  const std::string path =
      givePredictions(one_sided, R"({"approach": "base_prompt", "expected": "yes", "output": "yes"})" "\n");
  EXPECT_EQ(one_sided.runArtifacts().message(),
            "predictions file " + path +
                " has no fine_tuned requests; example/keyword_score compares base_prompt with fine_tuned");
}

TEST(KeywordScore, OptionsAreCheckedAgainstTheSchemaAndIgnoredWordsMustBeOneWord) {
  EXPECT_THROW((ajuste::testing::StageHarness{KeywordScoreStage::info(), R"({"match": "fuzzy"})"}), std::invalid_argument);
  EXPECT_THROW((ajuste::testing::StageHarness{KeywordScoreStage::info(), R"({"ignore_word": []})"}), std::invalid_argument);
  EXPECT_THROW((ajuste::testing::StageHarness{KeywordScoreStage::info(), R"({"tie_points": -1})"}), std::invalid_argument);
  const auto two_words = [] {
    ajuste::testing::StageHarness{KeywordScoreStage::info(), R"({"ignore_words": ["stars", "out of"]})"};
  };
  EXPECT_THAT(two_words, ThrowsMessage<std::invalid_argument>(AllOf(
                             HasSubstr("/ignore_words/1"),
                             HasSubstr("'out of' is 2 words once normalised; give one word per entry"))));
  // Without punctuation stripping "Rating:" is a word of its own, so it may be ignored as such.
  EXPECT_NO_THROW((ajuste::testing::StageHarness{KeywordScoreStage::info(),
                                                 R"({"strip_punctuation": false, "ignore_words": ["Rating:"]})"}));
}

}  // namespace
}  // namespace example
