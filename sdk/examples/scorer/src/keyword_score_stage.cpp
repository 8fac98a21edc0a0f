#include "keyword_score_stage.hpp"

#include <map>
#include <string>
#include <utility>

#include "accuracy.hpp"
#include "predictions.hpp"

namespace example {
namespace {

constexpr const char* kApproaches[] = {"base_prompt", "fine_tuned"};

nlohmann::json approachReport(const Tally& tally) {
  const Interval interval = wilson95(tally.correct, tally.n);
  return {{"model", tally.model},
          {"n", tally.n},
          {"correct", tally.correct},
          {"errors", tally.errors},
          {"accuracy", tally.accuracy()},
          {"accuracy_ci95", {interval.low, interval.high}}};
}

// The model evaluate/chat names for an approach, "" when the artifact does not say.
std::string modelOf(const nlohmann::json& artifact, const char* approach) {
  const auto approaches = artifact.find("approaches");
  if (approaches == artifact.end() || !approaches->is_object()) return {};
  const auto entry = approaches->find(approach);
  if (entry == approaches->end() || !entry->is_object()) return {};
  const auto model = entry->find("model");
  return model != entry->end() && model->is_string() ? model->get<std::string>() : std::string();
}

std::string describeMetric(const KeywordScoreOptions& options) {
  std::string text = options.match == MatchMode::kContains
                         ? "keyword match: a reply is right when its words contain the expected answer's words, in order"
                         : "word match: a reply is right when its words are exactly the expected answer's words";
  if (options.normalisation.case_fold) text += "; ASCII case folded";
  if (options.normalisation.strip_punctuation) text += "; punctuation ignored";
  if (!options.normalisation.ignore_words.empty()) {
    text += "; ignoring";
    for (const auto& word : options.normalisation.ignore_words) text += " '" + word + "'";
  }
  return text;
}

}  // namespace

const ajuste::StageInfo& KeywordScoreStage::info() {
  static const ajuste::StageInfo info{
      .name = "example/keyword_score",
      .kind = ajuste::StageKind::kArtifacts,
      .summary = "Scores evaluate/chat's predictions by keyword match: a reply is right when, after case folding and "
                 "without punctuation or the ignored words, it contains the expected answer's words in order. Reports "
                 "`evaluation` (accuracy with a Wilson 95% interval per approach and a recommendation) in place of "
                 "evaluate/score. An example of a third-party scorer to start your own from.",
      .options_schema = R"json({
        "type": "object", "additionalProperties": false,
        "properties": {
          "case_fold": {"type": "boolean", "default": true,
                        "description": "Compare ASCII letters case-insensitively"},
          "strip_punctuation": {"type": "boolean", "default": true,
                                "description": "Treat ASCII punctuation as a space between words"},
          "ignore_words": {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": true,
                           "default": [],
                           "description": "Words dropped from replies and expected answers alike (e.g. the answer format's own words: rating, stars)"},
          "match": {"type": "string", "enum": ["contains", "equals"], "default": "contains",
                    "description": "contains: the expected words appear in the reply, consecutively; equals: they are the whole reply"},
          "tie_points": {"type": "number", "minimum": 0, "default": 1,
                         "description": "Accuracy difference, in percentage points, within which the prompt is kept"}
        }})json",
      .consumes = {"evaluation_predictions"},
      .produces = {},
      .parallel = false,
      .make = &KeywordScoreStage::make,
  };
  return info;
}

// The runner has already checked `with` against the schema and filled in the defaults; left to
// check is what a schema cannot say: an ignored word must stay one word once normalised.
ajuste::Result<std::unique_ptr<ajuste::Stage>> KeywordScoreStage::make(const nlohmann::json& with, ajuste::Context&) {
  KeywordScoreOptions options;
  options.normalisation.case_fold = with.at("case_fold").get<bool>();
  options.normalisation.strip_punctuation = with.at("strip_punctuation").get<bool>();
  options.match = with.at("match").get<std::string>() == "equals" ? MatchMode::kEquals : MatchMode::kContains;
  options.tie_points = with.at("tie_points").get<double>();
  const Normalisation plain{options.normalisation.case_fold, options.normalisation.strip_punctuation, {}};
  const auto& ignore = with.at("ignore_words");
  for (std::size_t i = 0; i < ignore.size(); ++i) {
    const std::string& word = ignore[i].get_ref<const std::string&>();
    auto words = normalisedWords(word, plain);
    if (words.size() != 1) {
      return ajuste::Status::configError("/ignore_words/" + std::to_string(i),
                                         "'" + word + "' is " + std::to_string(words.size()) +
                                             " words once normalised; give one word per entry");
    }
    options.normalisation.ignore_words.push_back(std::move(words.front()));
  }
  return std::unique_ptr<ajuste::Stage>(std::make_unique<KeywordScoreStage>(std::move(options)));
}

bool KeywordScoreStage::isRight(const std::vector<std::string>& expected, const std::string& reply) const {
  const auto words = normalisedWords(reply, options_.normalisation);
  return options_.match == MatchMode::kEquals ? words == expected : containsWords(words, expected);
}

ajuste::Status KeywordScoreStage::run(ajuste::Context& ctx) {
  const auto artifact = ctx.artifact("evaluation_predictions");
  if (!artifact || !artifact->is_object() || !artifact->contains("path") || !(*artifact)["path"].is_string()) {
    return ajuste::Status::dataError(
        "no evaluation_predictions artifact with a path; put evaluate/chat before example/keyword_score");
  }
  const std::string path = (*artifact)["path"].get<std::string>();
  std::map<std::string, Tally> tallies;
  for (const char* approach : kApproaches) {
    tallies[approach].model = modelOf(*artifact, approach);
  }
  std::size_t records = 0;
  ajuste::Status read = readPredictions(path, [&](const Prediction& prediction) {
    const auto expected = normalisedWords(prediction.expected, options_.normalisation);
    if (expected.empty()) {
      return ajuste::Status::dataError(path + ":" + std::to_string(prediction.line) + ": the expected answer \"" +
                                       prediction.expected +
                                       "\" has no words left once normalised; take its words out of ignore_words");
    }
    Tally& tally = tallies[prediction.approach];
    if (tally.model.empty()) tally.model = prediction.model;
    ++records;
    ++tally.n;
    if (!prediction.output) {
      ++tally.errors;
    } else if (isRight(expected, *prediction.output)) {
      ++tally.correct;
    }
    return ajuste::Status::ok();
  });
  if (!read.isOk()) return read;
  for (const char* approach : kApproaches) {
    if (tallies[approach].n == 0) {
      return ajuste::Status::dataError("predictions file " + path + " has no " + approach +
                                       " requests; example/keyword_score compares base_prompt with fine_tuned");
    }
  }

  const Tally& base = tallies["base_prompt"];
  const Tally& tuned = tallies["fine_tuned"];
  const std::string recommendation = recommend(base, tuned, options_.tie_points);
  const auto simulated = artifact->find("simulated");
  ctx.report("evaluation",
             {{"simulated", simulated != artifact->end() && simulated->is_boolean() && simulated->get<bool>()},
              {"scorer", info().name},
              {"metric", describeMetric(options_)},
              {"predictions", {{"path", path}, {"records", records}}},
              {"approaches", {{"base_prompt", approachReport(base)}, {"fine_tuned", approachReport(tuned)}}},
              {"accuracy_difference_points", 100 * (tuned.accuracy() - base.accuracy())},
              {"recommendation", recommendation}});
  ctx.info(recommendation);
  return ajuste::Status::ok();
}

}  // namespace example
