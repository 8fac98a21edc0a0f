#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ajuste::evaluate_common {

// Hours in the month hosting is billed over (8,760 / 12), and the days of that month, so
// per-request and per-hour charges cover the same period.
inline constexpr double kHoursPerMonth = 730.0;
inline constexpr double kDaysPerMonth = kHoursPerMonth / 24.0;

// USD per 1,000,000 tokens. Without a cached-input price, cached tokens bill at the input price.
struct TokenPrices {
  double input_per_1m = 0;
  std::optional<double> cached_input_per_1m;
  double output_per_1m = 0;
};

// Mean tokens of one request as measured: prompt_tokens includes cached_tokens.
struct MeanUsage {
  double prompt_tokens = 0;
  double cached_tokens = 0;
  double completion_tokens = 0;
};

// USD for one request of `usage` at `prices`.
double requestCost(const TokenPrices& prices, const MeanUsage& usage);

// Training cost: billed tokens (already counting every epoch) x price per 1M.
double trainingCost(double billed_tokens, double training_per_1m);

// What the two approaches cost per month at r requests/day:
//   base(r)       = r x kDaysPerMonth x base_per_request
//   fine_tuned(r) = r x kDaysPerMonth x fine_tuned_per_request + hosting_per_hour x kHoursPerMonth
//                   + training_usd / horizon_months
struct CostModel {
  double base_per_request = 0;
  double fine_tuned_per_request = 0;
  double hosting_per_hour = 0;  // 0 where the provider does not charge for a deployment
  double training_usd = 0;
  double horizon_months = 12;

  [[nodiscard]] double baseMonthly(double requests_per_day) const;
  [[nodiscard]] double fineTunedMonthly(double requests_per_day) const;
  // The fixed part of fineTunedMonthly: hosting plus amortised training.
  [[nodiscard]] double fineTunedFixedMonthly() const;
};

// Requests/day where both monthly costs are equal. kNever: the fine-tuned model is never the
// cheaper one (its requests cost at least as much and it has fixed costs, or the two are
// identical); kAlways: it is cheaper at any volume (cheaper requests, no fixed cost).
struct BreakEven {
  enum class Kind { kAt, kNever, kAlways };
  Kind kind = Kind::kNever;
  double requests_per_day = 0;  // meaningful for kAt: above it the fine-tuned model is cheaper
};
BreakEven breakEven(const CostModel& model);

// "40k", "1.5M", "850": a request volume as people say it.
std::string formatVolume(double requests_per_day);

// One sentence choosing an approach, with its reason. Accuracies are fractions in [0, 1];
// within `tie_points` percentage points the two count as equally accurate and cost decides.
// `requests_per_day`, when given, names the cheaper approach at that volume.
std::string recommend(double base_accuracy, double fine_tuned_accuracy, const CostModel& model,
                      std::optional<double> requests_per_day, double tie_points = 1.0);

// The same choice when only the cost is known (`ajuste cost` without accuracies): the cheaper
// approach at `requests_per_day`, on the condition that it is at least as accurate.
std::string recommendOnCost(const CostModel& model, double requests_per_day);

}  // namespace ajuste::evaluate_common
