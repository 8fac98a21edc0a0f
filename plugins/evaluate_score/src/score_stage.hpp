#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ajuste/stage.hpp"
#include "evaluate_common/cost_model.hpp"
#include "model_catalogue/catalogue.hpp"

namespace ajuste::evaluate_score {

struct ScoreOptions {
  std::string answer_pattern;
  std::vector<std::string> labels;  // empty: every answer seen
  bool ordinal = false;
  std::string provider;             // prices and hosting of this provider
  std::optional<std::string> model;  // catalogue model pricing the fine-tuned requests
  std::optional<evaluate_common::TokenPrices> base_prices;  // the base model's own rates
  std::optional<double> requests_per_day;
  double horizon_months = 12;
  double tie_points = 1;
  std::optional<double> training_usd;
  std::shared_ptr<const model_catalogue::Catalogue> catalogue;
};

// evaluate/score: scores the predictions evaluate/chat wrote (accuracy with a Wilson interval,
// confusion matrix, per-label P/R/F1, MAE) for the prompt-engineered base model and the
// fine-tuned one, prices both from the model catalogue, and reports the break-even volume and
// a recommendation.
class ScoreStage : public ArtifactStage {
 public:
  static const StageInfo& info();
  explicit ScoreStage(ScoreOptions options) : options_(std::move(options)) {}
  Status run(Context& ctx) override;

 private:
  ScoreOptions options_;
};

}  // namespace ajuste::evaluate_score
