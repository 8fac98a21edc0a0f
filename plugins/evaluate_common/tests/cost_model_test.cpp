#include "evaluate_common/cost_model.hpp"

#include <gtest/gtest.h>

namespace ajuste::evaluate_common {
namespace {

// A small price table (USD per 1M tokens):
//   base model:       input 2.00, cached input 0.50, output 8.00
//   fine-tuned model: input 0.80, (no cached price), output 3.20, training 5.00
// Measured means: base prompt 1,000 tokens of which 400 cached, 50 completion; fine-tuned
// prompt 200 (the long instructions were trained in), 50 completion.
const TokenPrices kBase{.input_per_1m = 2.00, .cached_input_per_1m = 0.50, .output_per_1m = 8.00};
const TokenPrices kTuned{.input_per_1m = 0.80, .cached_input_per_1m = std::nullopt, .output_per_1m = 3.20};
const MeanUsage kBaseUsage{.prompt_tokens = 1000, .cached_tokens = 400, .completion_tokens = 50};
const MeanUsage kTunedUsage{.prompt_tokens = 200, .cached_tokens = 0, .completion_tokens = 50};

TEST(CostModel, PerRequestAndTrainingCost) {
  // (600 x 2.00 + 400 x 0.50 + 50 x 8.00) / 1e6 = (1200 + 200 + 400) / 1e6 = 0.0018.
  EXPECT_DOUBLE_EQ(requestCost(kBase, kBaseUsage), 0.0018);
  // (200 x 0.80 + 50 x 3.20) / 1e6 = 320 / 1e6 = 0.00032.
  EXPECT_DOUBLE_EQ(requestCost(kTuned, kTunedUsage), 0.00032);
  // Without a cached price, cached tokens bill at the input price: (100 + 100) x 0.80 / 1e6.
  EXPECT_DOUBLE_EQ(requestCost(kTuned, {.prompt_tokens = 200, .cached_tokens = 100, .completion_tokens = 0}), 0.00016);
  // 2,000,000 billed tokens (3 epochs already counted) x 5.00 / 1e6 = 10.
  EXPECT_DOUBLE_EQ(trainingCost(2'000'000, 5.00), 10.0);
}

// Azure: hosting 1.70/h. Fixed = 1.70 x 730 + 10 / 12 = 1241 + 0.8333 = 1241.8333 per month.
// Break-even: r x (730/24) x (0.0018 - 0.00032) = 1241.8333  =>  r = 1241.8333 / 0.0450167 = 27,586.08.
TEST(CostModel, MonthlyCostAndBreakEvenWithHosting) {
  const CostModel model{.base_per_request = 0.0018, .fine_tuned_per_request = 0.00032, .hosting_per_hour = 1.70,
                        .training_usd = 10.0, .horizon_months = 12};
  // 1,000/day x 30.4167 days x 0.0018 = 54.75; fine-tuned 1,000 x 30.4167 x 0.00032 + 1241.8333 = 1251.5667.
  EXPECT_NEAR(model.baseMonthly(1000), 54.75, 1e-9);
  EXPECT_NEAR(model.fineTunedMonthly(1000), 1251.566667, 1e-6);
  const BreakEven even = breakEven(model);
  ASSERT_EQ(even.kind, BreakEven::Kind::kAt);
  EXPECT_NEAR(even.requests_per_day, 27586.079, 1e-3);
  EXPECT_NEAR(model.baseMonthly(even.requests_per_day), model.fineTunedMonthly(even.requests_per_day), 1e-6);
}

// OpenAI: no hosting; only the training amortised: 10 / 12 = 0.8333 per month, so
// r = 0.8333 / 0.0450167 = 18.51 requests/day.
TEST(CostModel, BreakEvenWithoutHostingNeverAndAlways) {
  CostModel model{.base_per_request = 0.0018, .fine_tuned_per_request = 0.00032, .hosting_per_hour = 0,
                  .training_usd = 10.0, .horizon_months = 12};
  EXPECT_NEAR(breakEven(model).requests_per_day, 18.5117, 1e-4);
  model.training_usd = 0;  // cheaper requests and nothing fixed
  EXPECT_EQ(breakEven(model).kind, BreakEven::Kind::kAlways);
  model.fine_tuned_per_request = 0.0018;  // requests cost the same: nothing to win back
  EXPECT_EQ(breakEven(model).kind, BreakEven::Kind::kNever);
}

TEST(CostModel, FormatsVolumesAsPeopleSayThem) {
  EXPECT_EQ(formatVolume(18.51), "19");
  EXPECT_EQ(formatVolume(1000), "1.0k");
  EXPECT_EQ(formatVolume(27586.08), "28k");
  EXPECT_EQ(formatVolume(1'500'000), "1.5M");
}

TEST(Recommend, NamesTheChoiceAndItsReason) {
  const CostModel azure{.base_per_request = 0.0018, .fine_tuned_per_request = 0.00032, .hosting_per_hour = 1.70,
                        .training_usd = 10.0, .horizon_months = 12};
  // 85.5 - 85.0 = 0.5 points: a tie, cost decides.
  EXPECT_EQ(recommend(0.85, 0.855, azure, std::nullopt),
            "prompt engineering is within 0.5 points of the fine-tuned model and cheaper below 28k requests/day");
  EXPECT_EQ(recommend(0.85, 0.855, azure, 1000.0),
            "use prompt engineering: it is within 0.5 points of the fine-tuned model and cheaper below 28k "
            "requests/day; at 1.0k requests/day the prompt costs $54.75/month against $1251.57");
  EXPECT_EQ(recommend(0.85, 0.855, azure, 40000.0),
            "use the fine-tuned model: it is within 0.5 points of prompt engineering and cheaper above 28k "
            "requests/day; at 40k requests/day the fine-tuned model costs $1631.17/month against $2190.00");
  EXPECT_EQ(recommend(0.80, 0.90, azure, std::nullopt),
            "use the fine-tuned model: it is 10.0 points more accurate and cheaper above 28k requests/day");
  CostModel pricier = azure;
  pricier.fine_tuned_per_request = 0.002;
  EXPECT_EQ(recommend(0.90, 0.80, pricier, std::nullopt),
            "use prompt engineering: it is 10.0 points more accurate than the fine-tuned model and cheaper at any "
            "volume");
}

TEST(Recommend, OnCostAloneNamesTheCheaperApproachOnConditionOfAccuracy) {
  const CostModel azure{.base_per_request = 0.0018, .fine_tuned_per_request = 0.00032, .hosting_per_hour = 1.70,
                        .training_usd = 10.0, .horizon_months = 12};
  EXPECT_EQ(recommendOnCost(azure, 1000.0),
            "use prompt engineering unless the fine-tuned model is clearly more accurate: the prompt is cheaper "
            "below 28k requests/day; at 1.0k requests/day the prompt costs $54.75/month against $1251.57");
  EXPECT_EQ(recommendOnCost(azure, 40000.0),
            "use the fine-tuned model if it is at least as accurate: it is cheaper above 28k requests/day; at 40k "
            "requests/day the fine-tuned model costs $1631.17/month against $2190.00");
}

}  // namespace
}  // namespace ajuste::evaluate_common
