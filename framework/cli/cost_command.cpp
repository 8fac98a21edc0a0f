#include "cli/cost_command.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/exit_codes.hpp"
#include "evaluate_common/cost_model.hpp"
#include "model_catalogue/catalogue.hpp"

namespace ajuste {
namespace {

using evaluate_common::BreakEven;
using evaluate_common::CostModel;
using evaluate_common::TokenPrices;
using Json = nlohmann::json;

// "1,020,685": a whole number with thousands separators.
std::string count(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.0f", value);
  std::string digits(text);
  for (std::size_t i = digits.size(); i > 3; i -= 3) digits.insert(i - 3, ",");
  return digits;
}

Status checkTokens(const RequestTokens& tokens, const std::string& prefix) {
  if (tokens.cached > tokens.input) {
    return Status::configError("--" + prefix + "-cached-tokens",
                               "cached tokens are part of the input tokens, so at most --" + prefix + "-input-tokens (" +
                                   count(tokens.input) + "), got " + count(tokens.cached));
  }
  return Status::ok();
}

Json pricesJson(const TokenPrices& prices) {
  return {{"input_per_1m", prices.input_per_1m},
          {"cached_input_per_1m", prices.cached_input_per_1m ? Json(*prices.cached_input_per_1m) : Json(nullptr)},
          {"output_per_1m", prices.output_per_1m}};
}

Json approachJson(const RequestTokens& tokens, double per_request, double monthly) {
  return {{"tokens", {{"input", tokens.input}, {"cached", tokens.cached}, {"output", tokens.output}}},
          {"usd_per_request", per_request},
          {"usd_per_1k_requests", per_request * 1000},
          {"monthly_usd", monthly}};
}

// "$1,241.00", "$0.000320": dollars with thousands separators and `decimals` places.
std::string usd(double value, int decimals = 2) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, std::abs(value));
  std::string digits(text);
  const std::size_t point = digits.find('.');
  for (std::size_t i = point == std::string::npos ? digits.size() : point; i > 3; i -= 3) digits.insert(i - 3, ",");
  return (value < 0 ? "-$" : "$") + digits;
}

void printText(const Json& answer, std::ostream& out) {
  const Json& base = answer.at("approaches").at("base_prompt");
  const Json& tuned = answer.at("approaches").at("fine_tuned");
  const Json& cost = answer.at("cost");
  out << "What-if: " << answer.at("model").get<std::string>() << " on " << answer.at("provider").get<std::string>()
      << " at " << count(answer.at("requests_per_day").get<double>()) << " requests/day (prices as of "
      << answer.at("pricing_as_of").get<std::string>() << ", " << answer.at("currency").get<std::string>() << ")\n";
  const auto row = [&](const char* name, const Json& approach) {
    const Json& tokens = approach.at("tokens");
    out << "  " << name << usd(approach.at("usd_per_request").get<double>(), 6) << " per request ("
        << count(tokens.at("input").get<double>()) << " in, of which " << count(tokens.at("cached").get<double>())
        << " cached, " << count(tokens.at("output").get<double>()) << " out), "
        << usd(approach.at("usd_per_1k_requests").get<double>(), 4) << " per 1,000, "
        << usd(approach.at("monthly_usd").get<double>()) << "/month\n";
  };
  row("prompted base model: ", base);
  row("fine-tuned model:    ", tuned);
  const Json& training = cost.at("training");
  out << "  training: " << usd(training.at("usd").get<double>());
  if (training.at("billed_tokens").is_number()) {
    out << " (" << count(training.at("tokens").get<double>()) << " tokens x " << training.at("epochs").get<int>()
        << " epoch(s) at " << usd(training.at("per_1m").get<double>()) << "/1M)";
  }
  out << ", spread over " << cost.at("horizon_months").get<double>() << " months: "
      << usd(cost.at("training_monthly_usd").get<double>()) << "/month\n";
  out << "  hosting: " << usd(cost.at("hosting_per_hour").get<double>()) << "/hour = "
      << usd(cost.at("hosting_monthly_usd").get<double>()) << "/month"
      << (cost.at("hosting_per_hour").get<double>() > 0 ? " (per deployed fine-tuned model, even idle)" : "") << '\n';
  const Json& even = cost.at("break_even");
  const std::string kind = even.at("kind").get<std::string>();
  out << "  break-even: "
      << (kind == "at"      ? count(std::ceil(even.at("requests_per_day").get<double>())) +
                             " requests/day (the fine-tuned model is cheaper above it)"
          : kind == "never" ? std::string("none (the fine-tuned model is never cheaper)")
                            : std::string("none (the fine-tuned model is cheaper at any volume)"))
      << '\n';
  out << "recommendation: " << answer.at("recommendation").get<std::string>() << '\n';
}

}  // namespace

Result<Json> costWhatIf(const CostCommandOptions& options, const model_catalogue::Catalogue& catalogue) {
  if (Status status = checkTokens(options.base, "base"); !status.isOk()) return status;
  if (Status status = checkTokens(options.tuned, "tuned"); !status.isOk()) return status;
  if (options.base_accuracy.has_value() != options.tuned_accuracy.has_value()) {
    return Status::configError(options.base_accuracy ? "--tuned-accuracy" : "--base-accuracy",
                               "give both accuracies (--base-accuracy and --tuned-accuracy) or neither");
  }
  if (options.base_input_price.has_value() != options.base_output_price.has_value() ||
      (options.base_cached_price && !options.base_input_price)) {
    return Status::configError(options.base_input_price ? "--base-output-price" : "--base-input-price",
                               "the base model's prices need at least --base-input-price and --base-output-price");
  }
  auto resolved = catalogue.resolve(options.model);
  if (!resolved.ok()) return Status::configError("--model", resolved.error().message());
  const model_catalogue::ModelInfo& model = **resolved;
  if (!model.input_per_1m || !model.output_per_1m) {
    return Status::configError("--model", "the catalogue has no inference prices for " + model.id +
                                              "; add them with --catalogue");
  }

  Json warnings = Json::array();
  const TokenPrices tuned_prices{.input_per_1m = *model.input_per_1m,
                                 .cached_input_per_1m = model.cached_input_per_1m,
                                 .output_per_1m = *model.output_per_1m};
  TokenPrices base_prices = tuned_prices;
  std::string base_source = "options";
  if (options.base_input_price) {
    base_prices = {.input_per_1m = *options.base_input_price,
                   .cached_input_per_1m = options.base_cached_price,
                   .output_per_1m = *options.base_output_price};
  } else {
    base_source = "catalogue (fine-tuned rates)";
    warnings.push_back("the base model is priced at the catalogue's rates for " + model.id +
                       ", which are fine-tuned inference rates (usually above the base model's own); give "
                       "--base-input-price and --base-output-price from your provider's price page");
  }

  Json training = {{"tokens", nullptr}, {"epochs", nullptr}, {"billed_tokens", nullptr}, {"per_1m", nullptr}};
  double training_usd = 0;
  if (options.training_usd) {
    training_usd = *options.training_usd;
    training["source"] = "--training-usd";
  } else if (options.training_tokens) {
    if (!model.training_per_1m) {
      return Status::configError("--training-tokens", "the catalogue has no per-token training price for " + model.id +
                                                          "; give --training-usd");
    }
    if (!options.epochs) {
      return Status::configError("--epochs", "training is billed for every epoch: give --epochs with --training-tokens");
    }
    const int epochs = *options.epochs;
    const double billed = *options.training_tokens * epochs;
    training_usd = evaluate_common::trainingCost(billed, *model.training_per_1m);
    training.update({{"tokens", *options.training_tokens},
                     {"epochs", epochs},
                     {"billed_tokens", billed},
                     {"per_1m", *model.training_per_1m},
                     {"source", "catalogue"}});
  } else {
    training["source"] = "none";
    warnings.push_back("no training cost: give --training-tokens and --epochs, or --training-usd; counted as 0");
  }
  training["usd"] = training_usd;

  const model_catalogue::ProviderInfo* provider = catalogue.provider(options.provider);
  const CostModel cost{.base_per_request = evaluate_common::requestCost(
                           base_prices, {.prompt_tokens = options.base.input,
                                         .cached_tokens = options.base.cached,
                                         .completion_tokens = options.base.output}),
                       .fine_tuned_per_request = evaluate_common::requestCost(
                           tuned_prices, {.prompt_tokens = options.tuned.input,
                                          .cached_tokens = options.tuned.cached,
                                          .completion_tokens = options.tuned.output}),
                       .hosting_per_hour = provider != nullptr ? provider->hosting_per_hour.value_or(0) : 0,
                       .training_usd = training_usd,
                       .horizon_months = options.horizon_months};
  const BreakEven even = evaluate_common::breakEven(cost);
  const double r = options.requests_per_day;
  const std::string recommendation =
      options.base_accuracy
          ? evaluate_common::recommend(*options.base_accuracy, *options.tuned_accuracy, cost, r, options.tie_points)
          : evaluate_common::recommendOnCost(cost, r);
  return Json{
      {"model", model.id},
      {"provider", options.provider},
      {"currency", catalogue.pricing().currency},
      {"pricing_as_of", catalogue.pricing().as_of},
      {"pricing_source", catalogue.pricing().source},
      {"requests_per_day", r},
      {"prices", {{"fine_tuned", pricesJson(tuned_prices)}, {"base_prompt", pricesJson(base_prices)}, {"base_prompt_source", base_source}}},
      {"approaches",
       {{"base_prompt", approachJson(options.base, cost.base_per_request, cost.baseMonthly(r))},
        {"fine_tuned", approachJson(options.tuned, cost.fine_tuned_per_request, cost.fineTunedMonthly(r))}}},
      {"cost",
       {{"training", training},
        {"horizon_months", options.horizon_months},
        {"training_monthly_usd", training_usd / options.horizon_months},
        {"hosting_per_hour", cost.hosting_per_hour},
        {"hosting_monthly_usd", cost.hosting_per_hour * evaluate_common::kHoursPerMonth},
        {"fine_tuned_fixed_monthly_usd", cost.fineTunedFixedMonthly()},
        {"break_even",
         {{"kind", even.kind == BreakEven::Kind::kAt ? "at" : even.kind == BreakEven::Kind::kNever ? "never" : "always"},
          {"requests_per_day", even.kind == BreakEven::Kind::kAt ? Json(even.requests_per_day) : Json(nullptr)}}}}},
      {"accuracy", options.base_accuracy ? Json{{"base_prompt", *options.base_accuracy}, {"fine_tuned", *options.tuned_accuracy}}
                                         : Json(nullptr)},
      {"recommendation", recommendation},
      {"warnings", warnings},
  };
}

int runCostCommand(const CostCommandOptions& options, std::ostream& out, std::ostream& err) {
  auto built_in = model_catalogue::Catalogue::builtIn();
  if (!built_in.ok()) {
    err << "ajuste cost: " << built_in.error().message() << '\n';
    return kExitInternal;
  }
  std::optional<model_catalogue::Catalogue> overridden;
  if (!options.catalogue.empty()) {
    std::ifstream in(options.catalogue, std::ios::binary);
    if (!in) {
      err << "ajuste cost: --catalogue: cannot read " << options.catalogue << '\n';
      return kExitUsage;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = model_catalogue::Catalogue::parse(text.str(), options.catalogue, built_in->get());
    if (!parsed.ok()) {
      err << "ajuste cost: --catalogue: " << parsed.error().message() << '\n';
      return kExitUsage;
    }
    overridden = std::move(parsed).value();
  }
  auto answer = costWhatIf(options, overridden ? *overridden : **built_in);
  if (!answer.ok()) {
    err << "ajuste cost: " << answer.error().pointer() << ": " << answer.error().message() << '\n';
    return kExitUsage;
  }
  for (const Json& warning : answer->at("warnings")) err << "warning: " << warning.get<std::string>() << '\n';
  if (options.json) {
    out << answer->dump(2) << '\n';
  } else {
    printText(*answer, out);
  }
  return kExitOk;
}

}  // namespace ajuste
