#include "cli/cost_command.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "model_catalogue/catalogue.hpp"

namespace ajuste {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

const model_catalogue::Catalogue& builtIn() { return **model_catalogue::Catalogue::builtIn(); }

// gpt-4.1-mini on Azure. Catalogue (fine-tuned) rates: input 0.80, cached 0.20, output 3.20,
// training 5.00 per 1M; hosting 1.70/h. The base model's own rates given: 0.40, 0.10, 1.60.
//   base request:  1,000 in (400 cached), 50 out: (600 x 0.40 + 400 x 0.10 + 50 x 1.60) / 1e6 = 0.00036
//   tuned request: 200 in, 50 out: (200 x 0.80 + 50 x 3.20) / 1e6 = 0.00032
//   training: 1,000,000 tokens x 2 epochs x 5.00 / 1e6 = 10; fixed 1.70 x 730 + 10 / 12 = 1241.8333/month
//   at 40,000/day (30.4167 days): base 438.00, tuned 389.3333 + 1241.8333 = 1631.1667
//   break-even: 1241.8333 / (30.4167 x 0.00004) = 1,020,684.93 requests/day
CostCommandOptions azureWhatIf() {
  CostCommandOptions options;
  options.model = "gpt-4.1-mini";
  options.provider = "azure";
  options.base = {.input = 1000, .cached = 400, .output = 50};
  options.tuned = {.input = 200, .cached = 0, .output = 50};
  options.requests_per_day = 40000;
  options.training_tokens = 1'000'000;
  options.epochs = 2;
  options.base_input_price = 0.40;
  options.base_cached_price = 0.10;
  options.base_output_price = 1.60;
  return options;
}

TEST(CostCommand, PricesBothApproachesTrainingHostingAndTheBreakEvenOnAzure) {
  const auto answer = costWhatIf(azureWhatIf(), builtIn());
  ASSERT_TRUE(answer.ok()) << answer.error().message();
  const json& a = *answer;
  EXPECT_EQ(a.at("model"), "gpt-4.1-mini-2025-04-14");
  EXPECT_EQ(a.at("pricing_as_of"), "2025-08-15");
  EXPECT_DOUBLE_EQ(a.at("approaches").at("base_prompt").at("usd_per_request").get<double>(), 0.00036);
  EXPECT_DOUBLE_EQ(a.at("approaches").at("base_prompt").at("usd_per_1k_requests").get<double>(), 0.36);
  EXPECT_DOUBLE_EQ(a.at("approaches").at("fine_tuned").at("usd_per_request").get<double>(), 0.00032);
  EXPECT_NEAR(a.at("approaches").at("base_prompt").at("monthly_usd").get<double>(), 438.0, 1e-9);
  EXPECT_NEAR(a.at("approaches").at("fine_tuned").at("monthly_usd").get<double>(), 1631.166667, 1e-6);
  const json& cost = a.at("cost");
  EXPECT_EQ(cost.at("training").at("billed_tokens"), 2'000'000.0);
  EXPECT_DOUBLE_EQ(cost.at("training").at("usd").get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(cost.at("hosting_per_hour").get<double>(), 1.70);
  EXPECT_NEAR(cost.at("hosting_monthly_usd").get<double>(), 1241.0, 1e-9);
  EXPECT_EQ(cost.at("break_even").at("kind"), "at");
  EXPECT_NEAR(cost.at("break_even").at("requests_per_day").get<double>(), 1020684.93, 1e-2);
  EXPECT_EQ(a.at("recommendation"),
            "use prompt engineering unless the fine-tuned model is clearly more accurate: the prompt is cheaper below "
            "1.0M requests/day; at 40k requests/day the prompt costs $438.00/month against $1631.17");
  EXPECT_EQ(a.at("warnings"), json::array());
}

// OpenAI, the base priced at the catalogue's rates (warned): (600 x 0.80 + 400 x 0.20 + 50 x 3.20) / 1e6
// = 0.00072; no hosting, training 10 / 12 a month; break-even 0.8333 / (30.4167 x 0.0004) = 68.49/day.
// At 1,000/day: base 21.90, tuned 9.7333 + 0.8333 = 10.5667. Accuracies 85 % and 85.5 %: a tie.
TEST(CostCommand, OnOpenAIWithAccuraciesAndCatalogueRatesForTheBaseItWarns) {
  CostCommandOptions options = azureWhatIf();
  options.provider = "openai";
  options.base_input_price.reset();
  options.base_cached_price.reset();
  options.base_output_price.reset();
  options.requests_per_day = 1000;
  options.base_accuracy = 0.85;
  options.tuned_accuracy = 0.855;
  const auto answer = costWhatIf(options, builtIn());
  ASSERT_TRUE(answer.ok()) << answer.error().message();
  EXPECT_DOUBLE_EQ(answer->at("approaches").at("base_prompt").at("usd_per_request").get<double>(), 0.00072);
  EXPECT_EQ(answer->at("prices").at("base_prompt_source"), "catalogue (fine-tuned rates)");
  EXPECT_DOUBLE_EQ(answer->at("cost").at("hosting_per_hour").get<double>(), 0.0);
  EXPECT_NEAR(answer->at("cost").at("break_even").at("requests_per_day").get<double>(), 68.4932, 1e-4);
  EXPECT_EQ(answer->at("recommendation"),
            "use the fine-tuned model: it is within 0.5 points of prompt engineering and cheaper above 69 "
            "requests/day; at 1.0k requests/day the fine-tuned model costs $10.57/month against $21.90");
  ASSERT_EQ(answer->at("warnings").size(), 1u);
  EXPECT_THAT(answer->at("warnings").at(0).get<std::string>(), HasSubstr("which are fine-tuned inference rates"));
}

TEST(CostCommand, InconsistentOptionsAreConfigErrorsNamingTheOption) {
  struct Case {
    void (*edit)(CostCommandOptions&);
    std::string option;
    std::string message;
  };
  const Case cases[] = {
      {[](CostCommandOptions& o) { o.base.cached = 1001; }, "--base-cached-tokens",
       "cached tokens are part of the input tokens, so at most --base-input-tokens (1,000), got 1,001"},
      {[](CostCommandOptions& o) { o.base_accuracy = 0.9; }, "--tuned-accuracy",
       "give both accuracies (--base-accuracy and --tuned-accuracy) or neither"},
      {[](CostCommandOptions& o) { o.base_output_price.reset(); }, "--base-output-price",
       "the base model's prices need at least --base-input-price and --base-output-price"},
      {[](CostCommandOptions& o) { o.epochs.reset(); }, "--epochs",
       "training is billed for every epoch: give --epochs with --training-tokens"},
      {[](CostCommandOptions& o) { o.model = "o4-mini"; }, "--training-tokens",
       "the catalogue has no per-token training price for o4-mini-2025-04-16; give --training-usd"},
  };
  for (const Case& c : cases) {
    CostCommandOptions options = azureWhatIf();
    c.edit(options);
    const auto answer = costWhatIf(options, builtIn());
    ASSERT_FALSE(answer.ok()) << c.option;
    EXPECT_EQ(answer.error().pointer(), c.option);
    EXPECT_EQ(answer.error().message(), c.message);
  }
  CostCommandOptions unknown = azureWhatIf();
  unknown.model = "gpt-4.1-mni";
  const auto answer = costWhatIf(unknown, builtIn());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().pointer(), "--model");
  EXPECT_THAT(answer.error().message(), HasSubstr("did you mean \"gpt-4.1-mini\"?"));
}

TEST(CostCommand, PrintsATableAndExitsZero) {
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_EQ(runCostCommand(azureWhatIf(), out, err), 0) << err.str();
  EXPECT_EQ(out.str(),
            "What-if: gpt-4.1-mini-2025-04-14 on azure at 40,000 requests/day (prices as of 2025-08-15, USD)\n"
            "  prompted base model: $0.000360 per request (1,000 in, of which 400 cached, 50 out), $0.3600 per 1,000, "
            "$438.00/month\n"
            "  fine-tuned model:    $0.000320 per request (200 in, of which 0 cached, 50 out), $0.3200 per 1,000, "
            "$1,631.17/month\n"
            "  training: $10.00 (1,000,000 tokens x 2 epoch(s) at $5.00/1M), spread over 12 months: $0.83/month\n"
            "  hosting: $1.70/hour = $1,241.00/month (per deployed fine-tuned model, even idle)\n"
            "  break-even: 1,020,685 requests/day (the fine-tuned model is cheaper above it)\n"
            "recommendation: use prompt engineering unless the fine-tuned model is clearly more accurate: the prompt "
            "is cheaper below 1.0M requests/day; at 40k requests/day the prompt costs $438.00/month against $1631.17\n");
  EXPECT_EQ(err.str(), "");
}

TEST(CostCommand, AnOverridingCatalogueChangesThePricesAndABadOneIsAUsageError) {
  const auto dir = std::filesystem::temp_directory_path() / ("ajuste-cost-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "prices.yaml") << "models:\n  - id: gpt-4.1-mini-2025-04-14\n    input_per_1m: 1.00\n";
  CostCommandOptions options = azureWhatIf();
  options.catalogue = (dir / "prices.yaml").string();
  options.json = true;
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_EQ(runCostCommand(options, out, err), 0) << err.str();
  // (200 x 1.00 + 50 x 3.20) / 1e6: only the input rate replaced.
  EXPECT_DOUBLE_EQ(json::parse(out.str()).at("approaches").at("fine_tuned").at("usd_per_request").get<double>(),
                   0.00036);
  options.catalogue = (dir / "missing.yaml").string();
  std::ostringstream err2;
  EXPECT_EQ(runCostCommand(options, out, err2), 2);
  EXPECT_EQ(err2.str(), "ajuste cost: --catalogue: cannot read " + options.catalogue + "\n");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ajuste
