#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ajuste/status.hpp"

namespace ajuste {

namespace model_catalogue {
class Catalogue;
}

// Tokens of one request as the API's `usage` reports them: `input` includes `cached`.
struct RequestTokens {
  double input = 0;
  double cached = 0;
  double output = 0;
};

struct CostCommandOptions {
  std::string model;               // catalogue model: fine-tuned rates, training rate
  std::string provider = "openai"; // openai | azure (hosting per hour)
  RequestTokens base;              // the prompted base model's request (instructions + few-shot)
  RequestTokens tuned;             // the fine-tuned model's request (the short prompt it learned)
  double requests_per_day = 0;
  std::optional<double> training_tokens;  // tokens of the training file, one epoch
  std::optional<int> epochs;
  std::optional<double> training_usd;     // instead of tokens x epochs x the catalogue rate
  // The base model's own USD per 1M tokens; without them it is priced at the catalogue's
  // fine-tuned rates, with a warning.
  std::optional<double> base_input_price;
  std::optional<double> base_cached_price;
  std::optional<double> base_output_price;
  std::optional<double> base_accuracy;   // fractions in [0, 1], both or neither
  std::optional<double> tuned_accuracy;
  double horizon_months = 12;
  double tie_points = 1;
  std::string catalogue;  // YAML overriding the built-in catalogue; empty: built-in only
  bool json = false;
};

// `ajuste cost`'s answer, computed with evaluate_common's cost model from `catalogue`: prices
// used, per-request, per-1,000 and monthly cost of both approaches, training, hosting,
// break-even, recommendation and warnings (the JSON that `--json` prints). A bad combination of
// options or a model the catalogue cannot price is a config error naming the option.
Result<nlohmann::json> costWhatIf(const CostCommandOptions& options, const model_catalogue::Catalogue& catalogue);

// Loads the catalogue (built-in, overridden by options.catalogue), prints the answer (a table,
// or JSON with options.json) on `out`, warnings and errors on `err`. Returns 0, or 2 for a
// usage error (unknown model, unreadable catalogue, inconsistent options). Runs nothing.
int runCostCommand(const CostCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ajuste
