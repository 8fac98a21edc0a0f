#include "score_stage.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "evaluate_common/metrics.hpp"
#include "hashing/sha256.hpp"

namespace ajuste::evaluate_score {
namespace {

using evaluate_common::AnswerExtractor;
using evaluate_common::BreakEven;
using evaluate_common::CostModel;
using evaluate_common::Evaluation;
using evaluate_common::MeanUsage;
using evaluate_common::Scored;
using evaluate_common::TokenPrices;
using Json = nlohmann::json;

constexpr const char* kApproaches[] = {"base_prompt", "fine_tuned"};

constexpr std::string_view kSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "answer_pattern": {"type": "string", "minLength": 1, "default": "(?s)\\S.*",
      "description": "PCRE2 pattern that finds the answer in a reply (and in the expected text): capture group 1 when it has one, else the whole match, trimmed. A reply it does not match is unparsed. Default: the whole reply, trimmed."},
    "labels": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1, "uniqueItems": true,
      "description": "The answers that count, in order. An answer outside the list is unparsed. Default: every answer seen."},
    "ordinal": {"type": "boolean", "default": false,
      "description": "The labels are ordered (their position is their value for the mean absolute error). Numeric labels get a mean absolute error without it."},
    "provider": {"type": "string", "enum": ["openai", "azure"], "default": "openai",
      "description": "Whose prices and hosting charge to apply (Azure bills a deployed fine-tuned model per hour)."},
    "model": {"type": "string", "minLength": 1,
      "description": "Catalogue model whose rates price the fine-tuned requests. Default: the fine-tuned approach's model (ft: names resolve to their base)."},
    "base_prices": {"type": "object", "additionalProperties": false, "required": ["input_per_1m", "output_per_1m"],
      "properties": {"input_per_1m": {"type": "number", "minimum": 0},
                     "cached_input_per_1m": {"type": "number", "minimum": 0},
                     "output_per_1m": {"type": "number", "minimum": 0}},
      "description": "USD per 1M tokens of the base model without fine-tuning. The catalogue lists fine-tuned rates; without this option the base model is priced at those (a warning says so)."},
    "requests_per_day": {"type": "number", "exclusiveMinimum": 0,
      "description": "The expected volume: the recommendation names the cheaper approach at it."},
    "horizon_months": {"type": "number", "exclusiveMinimum": 0, "default": 12,
      "description": "Months the training cost is spread over in the monthly cost."},
    "tie_points": {"type": "number", "minimum": 0, "default": 1,
      "description": "Accuracy difference, in percentage points, within which the two approaches count as equal and cost decides."},
    "training_usd": {"type": "number", "minimum": 0,
      "description": "Training cost. Default: the training_estimate artifact of stats/openai; without either, training counts as 0 (a warning says so)."},
    "catalogue": {"type": "string", "minLength": 1,
      "description": "A YAML file overriding or extending the built-in model catalogue (same format as plugins/model_catalogue/catalogue/models.yaml), relative to the pipeline file."}
  }
})json";

Result<std::unique_ptr<Stage>> makeScore(const Json& with, Context& ctx) {
  ScoreOptions options;
  options.answer_pattern = with.at("answer_pattern").get<std::string>();
  if (auto probe = AnswerExtractor::make(options.answer_pattern, "/answer_pattern"); !probe.ok()) return probe.error();
  if (with.contains("labels")) options.labels = with.at("labels").get<std::vector<std::string>>();
  options.ordinal = with.at("ordinal").get<bool>();
  if (options.ordinal && options.labels.empty()) {
    return Status::configError("/ordinal", "ordinal needs the labels in their order; give labels");
  }
  options.provider = with.at("provider").get<std::string>();
  if (with.contains("model")) options.model = with.at("model").get<std::string>();
  if (with.contains("base_prices")) {
    const Json& prices = with.at("base_prices");
    TokenPrices base{.input_per_1m = prices.at("input_per_1m").get<double>(), .cached_input_per_1m = std::nullopt,
                     .output_per_1m = prices.at("output_per_1m").get<double>()};
    if (prices.contains("cached_input_per_1m")) base.cached_input_per_1m = prices.at("cached_input_per_1m").get<double>();
    options.base_prices = base;
  }
  if (with.contains("requests_per_day")) options.requests_per_day = with.at("requests_per_day").get<double>();
  options.horizon_months = with.at("horizon_months").get<double>();
  options.tie_points = with.at("tie_points").get<double>();
  if (with.contains("training_usd")) options.training_usd = with.at("training_usd").get<double>();
  auto catalogue = model_catalogue::loadCatalogue(
      with.contains("catalogue") ? std::optional<std::string>(with.at("catalogue").get<std::string>()) : std::nullopt,
      ctx, "/catalogue");
  if (!catalogue.ok()) return catalogue.error();
  options.catalogue = std::move(catalogue).value();
  if (options.model) {
    if (auto resolved = options.catalogue->resolve(*options.model); !resolved.ok()) {
      return Status::configError("/model", resolved.error().message());
    }
  }
  return std::unique_ptr<Stage>(std::make_unique<ScoreStage>(std::move(options)));
}

// What one approach's requests add up to.
struct Tally {
  std::vector<Scored> scored;
  std::size_t errors = 0;
  MeanUsage usage;  // sums until finished, then means
  std::size_t with_usage = 0;
};

Json toJson(const Evaluation& e) {
  Json columns = e.confusion.labels;
  columns.push_back("unparsed");
  Json per_label = Json::array();
  for (const auto& m : e.per_label) {
    per_label.push_back({{"label", m.label},
                         {"support", m.support},
                         {"predicted", m.predicted},
                         {"precision", m.precision},
                         {"recall", m.recall},
                         {"f1", m.f1}});
  }
  return {{"n", e.n},
          {"correct", e.correct},
          {"unparsed", e.unparsed},
          {"accuracy", e.accuracy},
          {"accuracy_ci95", {e.interval.low, e.interval.high}},
          {"confusion", {{"rows", e.confusion.labels}, {"columns", columns}, {"counts", e.confusion.counts}}},
          {"per_label", per_label},
          {"mean_absolute_error", e.mean_absolute_error ? Json(*e.mean_absolute_error) : Json(nullptr)}};
}

TokenPrices pricesOf(const model_catalogue::ModelInfo& model) {
  return {.input_per_1m = model.input_per_1m.value_or(0),
          .cached_input_per_1m = model.cached_input_per_1m,
          .output_per_1m = model.output_per_1m.value_or(0)};
}

// Request volumes for the chart: 1-2-5 steps from 10 to 1M a day, plus the break-even and the
// declared volume so both show as points.
std::vector<double> chartVolumes(const BreakEven& even, std::optional<double> requests_per_day) {
  std::set<double> volumes;
  for (double decade = 10; decade <= 1e6; decade *= 10) {
    for (const double step : {1.0, 2.0, 5.0}) {
      if (step * decade <= 1e6) volumes.insert(step * decade);
    }
  }
  if (even.kind == BreakEven::Kind::kAt) volumes.insert(even.requests_per_day);
  if (requests_per_day) volumes.insert(*requests_per_day);
  return {volumes.begin(), volumes.end()};
}

}  // namespace

const StageInfo& ScoreStage::info() {
  static const StageInfo kInfo{
      .name = "evaluate/score",
      .kind = StageKind::kArtifacts,
      .summary = "Scores evaluate/chat's predictions for the prompt-engineered base model and the fine-tuned model: "
                 "answers extracted by a PCRE2 pattern, accuracy with a Wilson 95% interval, confusion matrix with an "
                 "unparsed column, per-label precision/recall/F1, mean absolute error for numeric or ordinal labels. "
                 "Prices both approaches from the model catalogue (measured tokens, hosting, training amortised), "
                 "reports cost per 1,000 requests, monthly cost by volume, the break-even volume and a recommendation.",
      .options_schema = std::string(kSchema),
      .consumes = {"evaluation_predictions", "training_estimate?"},
      .produces = {},
      .parallel = false,
      .make = &makeScore,
  };
  return kInfo;
}

Status ScoreStage::run(Context& ctx) {
  const auto artifact = ctx.artifact("evaluation_predictions");
  if (!artifact || !artifact->is_object() || !artifact->contains("path")) {
    return Status::dataError("no evaluation_predictions artifact with a path; put evaluate/chat before evaluate/score");
  }
  const std::string path = artifact->at("path").get<std::string>();
  if (artifact->contains("sha256")) {
    auto digest = hashing::sha256OfFile(path);
    if (!digest.ok()) return digest.error();
    if (*digest != artifact->at("sha256").get<std::string>()) {
      return Status::dataError("predictions file " + path + " has sha256 " + *digest + ", but evaluate/chat wrote " +
                               artifact->at("sha256").get<std::string>() + "; it changed since, re-run evaluate/chat");
    }
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::ioError("cannot read the predictions file " + path);

  auto extractor = AnswerExtractor::make(options_.answer_pattern, "/answer_pattern");
  if (!extractor.ok()) return extractor.error();
  std::map<std::string, Tally, std::less<>> tallies;
  std::string line;
  std::size_t line_number = 0;
  std::size_t records = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++records;
    const std::string where = path + ":" + std::to_string(line_number);
    const Json record = Json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.is_object()) return Status::dataError(where + ": not a JSON object");
    const std::string approach = record.value("approach", std::string());
    if (std::find(std::begin(kApproaches), std::end(kApproaches), approach) == std::end(kApproaches)) {
      return Status::dataError(where + ": approach '" + approach + "' is neither base_prompt nor fine_tuned");
    }
    if (!record.contains("expected") || !record.at("expected").is_string()) {
      return Status::dataError(where + ": no expected string");
    }
    Tally& tally = tallies[approach];
    const std::string expected_text = record.at("expected").get<std::string>();
    // The expected text goes through the same pattern, so "Answer: 4" in the data and "4" in a
    // label list agree; text the pattern misses is the truth as written.
    std::string expected = extractor->extract(expected_text).value_or(expected_text);
    std::optional<std::string> predicted;
    if (record.contains("output") && record.at("output").is_string()) {
      predicted = extractor->extract(record.at("output").get<std::string>());
    } else {
      ++tally.errors;
    }
    tally.scored.push_back({std::move(expected), std::move(predicted)});
    if (const auto usage = record.find("usage"); usage != record.end() && usage->is_object() &&
                                                 record.contains("output") && record.at("output").is_string()) {
      tally.usage.prompt_tokens += usage->value("prompt_tokens", 0.0);
      tally.usage.cached_tokens += usage->value("cached_tokens", 0.0);
      tally.usage.completion_tokens += usage->value("completion_tokens", 0.0);
      ++tally.with_usage;
    }
  }
  for (const char* approach : kApproaches) {
    if (!tallies.contains(approach) || tallies.at(approach).scored.empty()) {
      return Status::dataError("predictions file " + path + " has no " + approach +
                               " requests; evaluate/score compares base_prompt with fine_tuned");
    }
  }

  // Prices.
  const Json approaches = artifact->value("approaches", Json::object());
  auto modelName = [&](const char* approach) {
    return approaches.contains(approach) ? approaches.at(approach).value("model", std::string()) : std::string();
  };
  const std::string tuned_name = options_.model.value_or(modelName("fine_tuned"));
  auto tuned_model = options_.catalogue->resolve(tuned_name);
  if (!tuned_model.ok()) {
    return Status::dataError("cannot price the fine-tuned model '" + tuned_name + "': " + tuned_model.error().message() +
                             "; set model to a catalogue model");
  }
  TokenPrices base_prices;
  if (options_.base_prices) {
    base_prices = *options_.base_prices;
  } else {
    const std::string base_name = modelName("base_prompt");
    auto base_model = options_.catalogue->resolve(base_name);
    if (!base_model.ok()) {
      return Status::dataError("cannot price the base model '" + base_name + "': " + base_model.error().message() +
                               "; give base_prices");
    }
    base_prices = pricesOf(**base_model);
    ctx.warn("base model " + (*base_model)->id +
             " priced at the catalogue's rates, which are fine-tuned inference rates (usually above the base "
             "model's); give base_prices for its own");
  }
  const model_catalogue::ProviderInfo* provider = options_.catalogue->provider(options_.provider);
  CostModel model{.hosting_per_hour = provider ? provider->hosting_per_hour.value_or(0) : 0,
                  .horizon_months = options_.horizon_months};
  std::string training_source = "option training_usd";
  if (options_.training_usd) {
    model.training_usd = *options_.training_usd;
  } else if (const auto estimate = ctx.artifact("training_estimate"); estimate && estimate->contains("usd")) {
    model.training_usd = estimate->at("usd").get<double>();
    training_source = "training_estimate of " + estimate->value("model", std::string("?"));
  } else {
    training_source = "none";
    ctx.warn("no training cost: neither training_usd nor a training_estimate artifact (stats/openai); counted as 0");
  }

  Json report = {{"simulated", artifact->value("simulated", false)},
                 {"predictions", {{"path", path}, {"records", records}}},
                 {"answer_pattern", options_.answer_pattern}};
  std::map<std::string, Evaluation> evaluations;
  for (const char* approach : kApproaches) {
    Tally& tally = tallies.at(approach);
    if (tally.with_usage > 0) {
      const double n = static_cast<double>(tally.with_usage);
      tally.usage = {.prompt_tokens = tally.usage.prompt_tokens / n,
                     .cached_tokens = tally.usage.cached_tokens / n,
                     .completion_tokens = tally.usage.completion_tokens / n};
    }
    const bool tuned = std::string_view(approach) == "fine_tuned";
    const double per_request = evaluate_common::requestCost(tuned ? pricesOf(**tuned_model) : base_prices, tally.usage);
    (tuned ? model.fine_tuned_per_request : model.base_per_request) = per_request;
    const Evaluation& e = evaluations[approach] = evaluate_common::evaluate(tally.scored, options_.labels, options_.ordinal);
    Json entry = toJson(e);
    entry["model"] = modelName(approach);
    entry["errors"] = tally.errors;
    entry["mean_usage"] = {{"prompt_tokens", tally.usage.prompt_tokens},
                           {"cached_tokens", tally.usage.cached_tokens},
                           {"completion_tokens", tally.usage.completion_tokens}};
    entry["usd_per_request"] = per_request;
    entry["usd_per_1k_requests"] = per_request * 1000;
    report["approaches"][approach] = std::move(entry);
  }
  const BreakEven even = evaluate_common::breakEven(model);
  Json series = Json::array();
  for (const double volume : chartVolumes(even, options_.requests_per_day)) {
    series.push_back({{"requests_per_day", volume},
                      {"base_prompt_monthly_usd", model.baseMonthly(volume)},
                      {"fine_tuned_monthly_usd", model.fineTunedMonthly(volume)}});
  }
  const char* even_kind = even.kind == BreakEven::Kind::kAt ? "at" : even.kind == BreakEven::Kind::kNever ? "never" : "always";
  report["cost"] = {{"provider", options_.provider},
                    {"currency", options_.catalogue->pricing().currency},
                    {"pricing_as_of", options_.catalogue->pricing().as_of},
                    {"fine_tuned_priced_as", (*tuned_model)->id},
                    {"training_usd", model.training_usd},
                    {"training_source", training_source},
                    {"hosting_per_hour", model.hosting_per_hour},
                    {"horizon_months", model.horizon_months},
                    {"fine_tuned_fixed_monthly_usd", model.fineTunedFixedMonthly()},
                    {"break_even", {{"kind", even_kind},
                                    {"requests_per_day", even.kind == BreakEven::Kind::kAt ? Json(even.requests_per_day)
                                                                                           : Json(nullptr)}}},
                    {"requests_per_day", options_.requests_per_day ? Json(*options_.requests_per_day) : Json(nullptr)},
                    {"series", series}};
  const double base_accuracy = evaluations.at("base_prompt").accuracy;
  const double tuned_accuracy = evaluations.at("fine_tuned").accuracy;
  report["accuracy_difference_points"] = (tuned_accuracy - base_accuracy) * 100;
  const std::string recommendation =
      evaluate_common::recommend(base_accuracy, tuned_accuracy, model, options_.requests_per_day, options_.tie_points);
  report["recommendation"] = recommendation;
  ctx.report("evaluation", std::move(report));
  ctx.info(recommendation);
  return Status::ok();
}

}  // namespace ajuste::evaluate_score
