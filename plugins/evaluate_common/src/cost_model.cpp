#include "evaluate_common/cost_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ajuste::evaluate_common {
namespace {

constexpr double kPerMillion = 1e6;

std::string usd(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "$%.2f", value);
  return text;
}

std::string points(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

// "cheaper below 40k requests/day" etc.: where the cheaper side of the break-even lies.
std::string costClause(const BreakEven& even, bool for_base) {
  switch (even.kind) {
    case BreakEven::Kind::kNever:
      return for_base ? "cheaper at any volume" : "more expensive at any volume";
    case BreakEven::Kind::kAlways:
      return for_base ? "more expensive at any volume" : "cheaper at any volume";
    case BreakEven::Kind::kAt:
      break;
  }
  return std::string(for_base ? "cheaper below " : "cheaper above ") + formatVolume(even.requests_per_day) +
         " requests/day";
}

// "; at 20k requests/day the prompt costs $X/month against $Y": both monthly costs, cheaper first.
std::string atVolume(const CostModel& model, double requests_per_day) {
  const double base = model.baseMonthly(requests_per_day);
  const double tuned = model.fineTunedMonthly(requests_per_day);
  return "; at " + formatVolume(requests_per_day) + " requests/day the " +
         (base <= tuned ? "prompt costs " + usd(base) + "/month against " + usd(tuned)
                        : "fine-tuned model costs " + usd(tuned) + "/month against " + usd(base));
}

}  // namespace

double requestCost(const TokenPrices& prices, const MeanUsage& usage) {
  const double uncached = std::max(0.0, usage.prompt_tokens - usage.cached_tokens);
  const double cached_price = prices.cached_input_per_1m.value_or(prices.input_per_1m);
  return (uncached * prices.input_per_1m + usage.cached_tokens * cached_price +
          usage.completion_tokens * prices.output_per_1m) /
         kPerMillion;
}

double trainingCost(double billed_tokens, double training_per_1m) { return billed_tokens * training_per_1m / kPerMillion; }

double CostModel::baseMonthly(double requests_per_day) const { return requests_per_day * kDaysPerMonth * base_per_request; }

double CostModel::fineTunedFixedMonthly() const {
  return hosting_per_hour * kHoursPerMonth + (horizon_months > 0 ? training_usd / horizon_months : 0.0);
}

double CostModel::fineTunedMonthly(double requests_per_day) const {
  return requests_per_day * kDaysPerMonth * fine_tuned_per_request + fineTunedFixedMonthly();
}

BreakEven breakEven(const CostModel& model) {
  // base(r) = fine_tuned(r)  <=>  r x D x (base - fine_tuned) = fixed.
  const double saving = model.base_per_request - model.fine_tuned_per_request;
  const double fixed = model.fineTunedFixedMonthly();
  if (saving <= 0) return {.kind = BreakEven::Kind::kNever};
  if (fixed <= 0) return {.kind = BreakEven::Kind::kAlways};
  return {.kind = BreakEven::Kind::kAt, .requests_per_day = fixed / (kDaysPerMonth * saving)};
}

std::string formatVolume(double requests_per_day) {
  char text[32];
  if (requests_per_day >= 1e6) {
    std::snprintf(text, sizeof text, "%.1fM", requests_per_day / 1e6);
  } else if (requests_per_day >= 1e4) {
    std::snprintf(text, sizeof text, "%.0fk", requests_per_day / 1e3);
  } else if (requests_per_day >= 1e3) {
    std::snprintf(text, sizeof text, "%.1fk", requests_per_day / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%.0f", std::ceil(requests_per_day));
  }
  return text;
}

std::string recommend(double base_accuracy, double fine_tuned_accuracy, const CostModel& model,
                      std::optional<double> requests_per_day, double tie_points) {
  const double gap = (fine_tuned_accuracy - base_accuracy) * 100.0;
  const BreakEven even = breakEven(model);
  const std::string at_volume = requests_per_day ? atVolume(model, *requests_per_day) : std::string();
  if (std::abs(gap) <= tie_points) {
    if (!requests_per_day) {
      return "prompt engineering is within " + points(std::abs(gap)) + " points of the fine-tuned model and " +
             costClause(even, true);
    }
    if (model.baseMonthly(*requests_per_day) <= model.fineTunedMonthly(*requests_per_day)) {
      return "use prompt engineering: it is within " + points(std::abs(gap)) + " points of the fine-tuned model and " +
             costClause(even, true) + at_volume;
    }
    return "use the fine-tuned model: it is within " + points(std::abs(gap)) + " points of prompt engineering and " +
           costClause(even, false) + at_volume;
  }
  if (gap > 0) {
    return "use the fine-tuned model: it is " + points(gap) + " points more accurate and " + costClause(even, false) +
           at_volume;
  }
  return "use prompt engineering: it is " + points(-gap) + " points more accurate than the fine-tuned model and " +
         costClause(even, true) + at_volume;
}

std::string recommendOnCost(const CostModel& model, double requests_per_day) {
  const BreakEven even = breakEven(model);
  if (model.baseMonthly(requests_per_day) <= model.fineTunedMonthly(requests_per_day)) {
    return "use prompt engineering unless the fine-tuned model is clearly more accurate: the prompt is " +
           costClause(even, true) + atVolume(model, requests_per_day);
  }
  return "use the fine-tuned model if it is at least as accurate: it is " + costClause(even, false) +
         atVolume(model, requests_per_day);
}

}  // namespace ajuste::evaluate_common
