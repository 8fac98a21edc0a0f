// stats/openai: statistics, cost, findings and gates, run after validate/openai as in a pipeline.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/stage_harness.hpp"
#include "ajuste/tokenizer/encoding.hpp"

#include "distribution.hpp"
#include "stats_stage.hpp"
#include "validate_stage.hpp"

namespace ajuste::validate_openai {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

struct PipelineRun {
  testing::StageOutput validated;
  testing::StageOutput stats;
  Json reports;
  std::vector<testing::RecordingContext::LogLine> logs;

  [[nodiscard]] const Json& statistics() const { return reports.at("statistics"); }
  [[nodiscard]] Json finding(const std::string& kind) const {
    for (const Json& f : reports.at("findings")) {
      if (f.at("kind") == kind) return f;
    }
    return nullptr;
  }
  [[nodiscard]] std::vector<std::string> kinds() const {
    std::vector<std::string> out;
    for (const Json& f : reports.at("findings")) out.push_back(f.at("kind").get<std::string>());
    return out;
  }
};

// validate/openai then stats/openai with the same options, as a pipeline runs them.
PipelineRun run(const std::string& options, const std::string& jsonl, std::size_t batch_size = 64) {
  testing::StageHarness validate{OpenAIValidator::info(), options};
  validate.setBatchSize(batch_size);
  PipelineRun out;
  out.validated = validate.run(jsonl);
  testing::StageHarness stats{OpenAIStats::info(), options};
  stats.setBatchSize(batch_size);
  std::vector<Record> records;
  for (const Record& r : out.validated.kept) records.push_back(r);
  out.stats = stats.run(std::move(records));
  out.reports = stats.context().reports();
  out.logs = stats.context().logs();
  return out;
}

std::string chat(const std::string& system, const std::string& user, const std::string& answer) {
  Json messages = Json::array();
  if (!system.empty()) messages.push_back({{"role", "system"}, {"content", system}});
  messages.push_back({{"role", "user"}, {"content", user}});
  messages.push_back({{"role", "assistant"}, {"content", answer}});
  return Json{{"messages", messages}}.dump() + "\n";
}

// `n` distinct reviews with one system prompt and ratings 1-5.
std::string reviews(int n, const std::string& system = "You are a review classifier") {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += chat(system, "Review " + std::to_string(i) + ": " + std::string(static_cast<std::size_t>(i % 7 + 1), 'x'),
                "Rating: " + std::to_string(i % 5 + 1) + " stars");
  }
  return out;
}

constexpr const char* kMini = R"({"model": "gpt-4o-mini", "today": "2026-06-01"})";

TEST(Statistics, DistributionsBilledTokensAndCostOfAKnownDataset) {
  const std::string data = reviews(120);
  const PipelineRun r = run(kMini, data);
  ASSERT_TRUE(r.stats.status.isOk()) << r.stats.status.toString();
  ASSERT_EQ(r.stats.kept.size(), 120u) << "records pass through unchanged";
  EXPECT_EQ(r.stats.kept[7].value, r.validated.kept[7].value);

  // Recount independently with the tokenizer.
  std::vector<std::uint32_t> tokens;
  std::uint64_t total = 0;
  const Encoding& e = Encoding::get(EncodingName::kO200kBase);
  for (const Record& record : testing::StageHarness::parseJsonl(data)) {
    std::uint64_t n = 3;
    for (const Json& m : record.value["messages"]) {
      n += 3 + e.countOrdinary(m["role"].get<std::string>()) + e.countOrdinary(m["content"].get<std::string>());
    }
    tokens.push_back(static_cast<std::uint32_t>(n));
    total += n;
  }
  const Distribution expected = describe(tokens);
  const Json& s = r.statistics();
  EXPECT_EQ(s["model"], "gpt-4o-mini-2024-07-18");
  EXPECT_EQ(s["model_requested"], "gpt-4o-mini");
  EXPECT_EQ(s["encoding"], "o200k_base");
  EXPECT_EQ(s["examples"], 120);
  EXPECT_EQ(s["context_limit"], 65536);
  EXPECT_EQ(s["messages_per_example"]["min"], 3);
  EXPECT_EQ(s["messages_per_example"]["max"], 3);
  EXPECT_EQ(s["tokens_per_example"]["sum"], total);
  EXPECT_EQ(s["tokens_per_example"]["min"], expected.min);
  EXPECT_EQ(s["tokens_per_example"]["max"], expected.max);
  EXPECT_DOUBLE_EQ(s["tokens_per_example"]["p5"].get<double>(), expected.p5);
  EXPECT_DOUBLE_EQ(s["tokens_per_example"]["p95"].get<double>(), expected.p95);
  EXPECT_DOUBLE_EQ(s["tokens_per_example"]["median"].get<double>(), expected.median);
  EXPECT_EQ(s["assistant_tokens_per_example"]["min"], e.countOrdinary("Rating: 1 stars"));
  EXPECT_EQ(s["examples_over_limit"], 0);
  EXPECT_EQ(s["n_epochs"], 3);
  EXPECT_EQ(s["n_epochs_rule"], "auto");
  EXPECT_EQ(s["billed_tokens_per_epoch"], total);
  EXPECT_EQ(s["billed_tokens"], 3 * total);

  const Json& cost = s["cost"];
  EXPECT_EQ(cost["currency"], "USD");
  EXPECT_EQ(cost["pricing_as_of"], "2025-08-15");
  std::vector<std::string> models;
  for (const Json& estimate : cost["estimates"]) models.push_back(estimate["model"].get<std::string>());
  EXPECT_EQ(models, (std::vector<std::string>{"gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14", "gpt-4.1-mini-2025-04-14",
                                              "gpt-4.1-nano-2025-04-14", "gpt-4o-2024-08-06"}))
      << "the chosen model first, then the catalogue's other supervised chat models with the same tokenizer";
  EXPECT_EQ(cost["estimates"][0]["chosen"], true);
  EXPECT_DOUBLE_EQ(cost["estimates"][0]["usd"].get<double>(), static_cast<double>(3 * total) * 3.0 / 1e6);
  EXPECT_DOUBLE_EQ(cost["estimates"][1]["usd"].get<double>(), static_cast<double>(3 * total) * 25.0 / 1e6);

  // Five ratings over 120 examples: a label distribution (classification-like data).
  EXPECT_EQ(s["labels"]["distinct"], 5);
  EXPECT_EQ(s["labels"]["top"][0], Json({{"label", "Rating: 1 stars"}, {"count", 24}, {"share", 0.2}}));
  EXPECT_EQ(r.kinds(), std::vector<std::string>{}) << r.reports.dump(2);
}

TEST(Statistics, EpochsGivenAndClippedBillingForKeptOverLongExamples) {
  std::string data = reviews(12);
  std::string words;
  for (int i = 0; i < 5000; ++i) words += " hello";
  data += chat("You are a review classifier", words, "Rating: 3 stars");
  const PipelineRun r = run(R"({"model": "gpt-3.5-turbo-0613", "over_long": "keep", "n_epochs": 2, "today": "2026-06-01"})", data);
  ASSERT_TRUE(r.stats.status.isOk()) << r.stats.status.toString();
  const Json& s = r.statistics();
  EXPECT_EQ(s["examples_over_limit"], 1);
  EXPECT_EQ(s["n_epochs"], 2);
  EXPECT_EQ(s["n_epochs_rule"], "given");
  const std::uint64_t sum = s["tokens_per_example"]["sum"].get<std::uint64_t>();
  const std::uint64_t max = s["tokens_per_example"]["max"].get<std::uint64_t>();
  EXPECT_EQ(s["billed_tokens_per_epoch"], sum - (max - 4096)) << "the long example is billed up to the limit";
  EXPECT_EQ(s["billed_tokens"], 2 * (sum - (max - 4096)));
  EXPECT_EQ(r.finding("over_long_kept")["message"],
            "1 of 13 examples are over the limit of 4096 tokens per example and were kept (over_long: keep); OpenAI "
            "truncates them, so their ends are not learned (<inline>:13)");
}

TEST(Findings, TooFewExamplesFailsTheGate) {
  const PipelineRun r = run(kMini, reviews(5));
  EXPECT_EQ(r.stats.status.code(), StatusCode::kGateFailed);
  EXPECT_EQ(r.stats.status.message(),
            "1 finding blocks the fine-tuning job: too_few_examples: 5 examples reached the end of validation; "
            "gpt-4o-mini-2024-07-18 needs at least 10 to start a fine-tuning job (OpenAI and Azure refuse smaller "
            "training files)");
  EXPECT_EQ(r.finding("too_few_examples")["severity"], "error");
  EXPECT_EQ(r.statistics()["n_epochs"], 20) << "100 / 5";
  EXPECT_EQ(r.stats.kept.size(), 5u) << "records still pass; the gate is the status";
}

TEST(Findings, FewExamplesWarnsAndFailOnPromotesIt) {
  const PipelineRun warned = run(kMini, reviews(40));
  ASSERT_TRUE(warned.stats.status.isOk());
  EXPECT_EQ(warned.finding("few_examples"),
            Json({{"severity", "warning"},
                  {"kind", "few_examples"},
                  {"message",
                   "only 40 examples; OpenAI sees clear improvements from 50 to 100 well-crafted examples and advises "
                   "a few hundred (quality grows about linearly with each doubling)"}}));
  bool logged = false;
  for (const auto& line : warned.logs) logged = logged || (line.level == LogLevel::kWarn && line.message.starts_with("few_examples: "));
  EXPECT_TRUE(logged);

  const PipelineRun promoted = run(R"({"model": "gpt-4o-mini", "today": "2026-06-01", "fail_on": ["few_examples"]})", reviews(40));
  EXPECT_EQ(promoted.stats.status.code(), StatusCode::kGateFailed);
  EXPECT_THAT(promoted.stats.status.message(), HasSubstr("1 finding blocks the fine-tuning job: few_examples: only 40"));
  EXPECT_EQ(promoted.finding("few_examples")["severity"], "error");
  EXPECT_EQ(promoted.finding("few_examples")["promoted"], true);

  const PipelineRun all = run(R"({"model": "gpt-4o-mini", "today": "2026-06-01", "fail_on": ["all_warnings"]})", reviews(40));
  EXPECT_EQ(all.stats.status.code(), StatusCode::kGateFailed);
}

TEST(Findings, InconsistentSystemPromptsAndMissingUserMessages) {
  std::string data = reviews(100);
  data += chat("You are a helpful assistant", "Review a: ok", "Rating: 3 stars");
  data += chat("", "Review b: fine", "Rating: 4 stars");
  data += R"({"messages":[{"role":"system","content":"You are a review classifier"},{"role":"assistant","content":"Rating: 5 stars"}]})" "\n";
  const PipelineRun r = run(kMini, data);
  ASSERT_TRUE(r.stats.status.isOk());
  EXPECT_EQ(r.finding("inconsistent_system_prompts")["message"],
            "2 distinct system prompts (the most common, \"You are a review classifier\", in 101 of 103 examples), "
            "and 1 of 103 examples have none; train and infer with the same system message (Azure fine-tuning "
            "troubleshooting)");
  EXPECT_EQ(r.finding("missing_user_message")["message"], "1 of 103 examples have no user message (<inline>:103)");
}

TEST(Findings, NoSystemPromptAtAllIsOnlyInformation) {
  const PipelineRun r = run(kMini, reviews(100, ""));
  EXPECT_EQ(r.finding("no_system_prompt")["severity"], "info");
  EXPECT_TRUE(r.finding("inconsistent_system_prompts").is_null());
}

TEST(Findings, DuplicatesNameTheirLines) {
  std::string data = reviews(100);
  data += chat("You are a review classifier", "Review 3: xxxx", "Rating: 4 stars");  // = line 4
  data += chat("You are a review classifier", "Review 3: xxxx", "Rating: 4 stars");
  const PipelineRun r = run(kMini, data);
  EXPECT_EQ(r.finding("duplicate_examples")["message"],
            "2 of 102 examples repeat an earlier example (line 101 repeats line 4, line 102 repeats line 4); "
            "duplicates over-weight those examples and leak into validation: remove them");
}

TEST(Findings, RetiredAndRetiringBaseModels) {
  const auto at = [](const std::string& today, const std::string& provider = "openai") {
    return run(R"({"model": "gpt-4o-mini", "provider": ")" + provider + R"(", "today": ")" + today + "\"}",
               reviews(100));
  };
  const PipelineRun fine = at("2026-06-01");
  EXPECT_TRUE(fine.stats.status.isOk());
  EXPECT_TRUE(fine.finding("model_retiring").is_null());

  const PipelineRun soon = at("2026-11-01");
  EXPECT_TRUE(soon.stats.status.isOk());
  ASSERT_EQ(soon.kinds(), (std::vector<std::string>{"model_retiring", "model_retiring"}));
  EXPECT_EQ(soon.reports["findings"][0]["message"],
            "openai accepts new fine-tuning jobs only until 2027-01-06 (66 days from 2026-11-01; "
            "https://developers.openai.com/api/docs/deprecations (notice of 7 May 2026)); plan the move to Azure "
            "(provider: azure)");
  EXPECT_EQ(soon.reports["findings"][1]["message"],
            "gpt-4o-mini-2024-07-18 shuts down on openai on 2027-01-14 (in 74 days), and the models fine-tuned from "
            "it stop working with it");

  const PipelineRun closed = at("2027-01-10");
  EXPECT_EQ(closed.stats.status.code(), StatusCode::kGateFailed);
  EXPECT_EQ(closed.kinds(), (std::vector<std::string>{"model_retired", "model_retiring"}));

  const PipelineRun gone = at("2027-01-14");
  EXPECT_EQ(gone.kinds(), (std::vector<std::string>{"model_retired", "model_retired"}));
  EXPECT_EQ(gone.reports["findings"][1]["message"],
            "gpt-4o-mini-2024-07-18 was shut down on openai on 2027-01-14 (today is 2027-01-14); choose another "
            "model or provider");

  const PipelineRun azure = at("2027-06-01", "azure");
  EXPECT_TRUE(azure.stats.status.isOk()) << "Azure keeps fine-tuning these models";
  EXPECT_EQ(azure.statistics()["cost"]["hosting_per_hour"], 1.70);
}

TEST(Findings, DpoOnAModelWithoutDpoIsAnError) {
  std::string data;
  for (int i = 0; i < 20; ++i) {
    data += R"({"input":{"messages":[{"role":"user","content":"q)" + std::to_string(i) +
            R"("}]},"preferred_output":[{"role":"assistant","content":"good"}],"non_preferred_output":[{"role":"assistant","content":"bad"}]})" "\n";
  }
  const PipelineRun r = run(R"({"model": "gpt-4o-mini", "method": "dpo", "today": "2026-06-01"})", data);
  EXPECT_EQ(r.stats.status.code(), StatusCode::kGateFailed);
  EXPECT_EQ(r.finding("method_not_supported")["message"],
            "gpt-4o-mini-2024-07-18 cannot be fine-tuned with method dpo (its methods: supervised); models with dpo: "
            "gpt-4.1-2025-04-14, gpt-4.1-mini-2025-04-14, gpt-4.1-nano-2025-04-14");
  const PipelineRun ok = run(R"({"model": "gpt-4.1-nano", "method": "dpo", "today": "2026-06-01"})", data);
  EXPECT_TRUE(ok.stats.status.isOk()) << ok.stats.status.toString();
  EXPECT_EQ(ok.statistics()["format"], "preference");
  EXPECT_EQ(ok.statistics()["messages_per_example"]["max"], 3);
}

TEST(Gates, OverBudgetStopsTheRunWithItsOwnStatus) {
  const PipelineRun within = run(R"({"model": "gpt-4o-mini", "today": "2026-06-01", "max_cost": 100})", reviews(100));
  EXPECT_TRUE(within.stats.status.isOk());
  EXPECT_EQ(within.statistics()["cost"]["over_budget"], false);

  const PipelineRun over = run(R"({"model": "gpt-4.1", "today": "2026-06-01", "max_cost": 0.01, "n_epochs": 4})", reviews(100));
  EXPECT_EQ(over.stats.status.code(), StatusCode::kBudgetExceeded);
  const Json& s = over.statistics();
  const auto billed = s["billed_tokens"].get<std::uint64_t>();
  char usd[32];
  std::snprintf(usd, sizeof usd, "$%.2f", static_cast<double>(billed) * 25.0 / 1e6);
  EXPECT_EQ(over.stats.status.message(),
            "estimated training cost " + std::string(usd) + " for gpt-4.1-2025-04-14 (" + std::to_string(billed) +
                " billed tokens = 4 epochs x " + std::to_string(billed / 4) +
                " tokens at $25.00 per 1M, prices as of 2025-08-15) is over max_cost $0.01; lower n_epochs, trim the "
                "data or raise max_cost");
  EXPECT_EQ(s["cost"]["over_budget"], true);
}

TEST(Gates, ErrorFindingsComeBeforeTheBudget) {
  const PipelineRun r = run(R"({"model": "gpt-4.1", "today": "2026-06-01", "max_cost": 0.000001})", reviews(3));
  EXPECT_EQ(r.stats.status.code(), StatusCode::kGateFailed);
}

TEST(Determinism, TheReportIsTheSameForEveryBatchSize) {
  std::string data = reviews(150);
  data += chat("Other", "Review 3: xxxx", "Rating: 4 stars");
  data += chat("You are a review classifier", "Review 3: xxxx", "Rating: 4 stars");
  const Json reference = run(kMini, data, 64).reports;
  for (const std::size_t batch_size : {1u, 7u, 1000u}) {
    EXPECT_EQ(run(kMini, data, batch_size).reports, reference) << "batch size " << batch_size;
  }
}

TEST(Contract, StatsWithoutValidateIsADataError) {
  testing::StageHarness stats{OpenAIStats::info(), kMini};
  const auto out = stats.run(reviews(2));
  EXPECT_EQ(out.status.code(), StatusCode::kDataError);
  EXPECT_EQ(out.status.message(),
            "record <inline>:1 has no token counts from validate/openai; put validate/openai before stats/openai in "
            "the pipeline, with the same options");
}

std::string legacy(const std::string& prompt, const std::string& completion) {
  return Json{{"prompt", prompt}, {"completion", completion}}.dump() + "\n";
}

TEST(Legacy, ClassificationDataGetsPrepareDataFindings) {
  std::string data;
  for (int i = 0; i < 120; ++i) {
    data += legacy("Item " + std::to_string(i) + " ->", i % 3 == 0 ? " positive" : " negative");
  }
  const PipelineRun r = run(R"({"model": "babbage-002", "today": "2026-06-01"})", data);
  ASSERT_TRUE(r.stats.status.isOk()) << r.stats.status.toString();
  EXPECT_EQ(r.kinds(), (std::vector<std::string>{"task_type", "classification_without_validation",
                                                 "common_prompt_suffix", "common_prompt_prefix"}));
  EXPECT_EQ(r.finding("task_type")["message"],
            "task type: classification (2 distinct completions for 120 examples, fewer than one per 3 examples)");
  EXPECT_EQ(r.finding("common_prompt_suffix")["message"],
            R"(all prompts end with the separator " ->"; end prompts with it at inference)");
  EXPECT_EQ(r.finding("common_prompt_prefix")["message"], R"(all prompts start with "Item ")");
  EXPECT_FALSE(r.statistics().contains("messages_per_example"));
  EXPECT_EQ(r.statistics()["labels"]["top"][0]["label"], " negative");
}

TEST(Legacy, GenerationDataGetsSeparatorStopCaseAndSpaceSuggestions) {
  std::string data;
  for (int i = 0; i < 100; ++i) {
    data += legacy("WRITE A TITLE FOR ITEM " + std::to_string(i), "Title " + std::to_string(i) + " is here.");
  }
  const PipelineRun r = run(R"({"model": "davinci-002", "today": "2026-06-01"})", data);
  ASSERT_TRUE(r.stats.status.isOk()) << r.stats.status.toString();
  EXPECT_EQ(r.kinds(), (std::vector<std::string>{"task_type", "uppercase_text", "missing_prompt_separator",
                                                 "long_prompt_prefix", "common_completion_prefix",
                                                 "common_completion_suffix", "completion_leading_space"}));
  EXPECT_EQ(r.finding("missing_prompt_separator")["message"],
            R"(the prompts do not end with a common separator, so the model cannot tell where a prompt ends; append one that occurs in no prompt, e.g. " ->" (fixes: {prompt_separator: " ->"}), and end prompts with it at inference)");
  EXPECT_EQ(r.finding("uppercase_text")["message"],
            "more than a third of the letters of the prompts are uppercase (1800 of 1800 ASCII letters); lowercase "
            "them unless case matters (fixes: {lowercase: true})");
  EXPECT_EQ(r.finding("common_completion_suffix")["message"],
            R"(all completions end with " is here."; use it as the stop sequence at inference)");
  EXPECT_EQ(r.finding("completion_leading_space")["message"],
            "100 of 100 completions do not start with a space; with these tokenizers a leading space gives better "
            "results (fixes: {completion_leading_space: true})");
}

TEST(Legacy, StopSequenceSuggestionAvoidsWhatTheCompletionsContain) {
  std::string data;
  for (int i = 0; i < 30; ++i) {
    data += legacy("Q" + std::to_string(i) + "\n\n###\n\n", " a.\nb" + std::string(static_cast<std::size_t>(i), 'z'));
  }
  const PipelineRun r = run(R"({"model": "davinci-002", "today": "2026-06-01"})", data);
  EXPECT_THAT(r.finding("missing_stop_sequence")["message"].get<std::string>(),
              HasSubstr(R"(e.g. " END" (fixes: {completion_stop: " END"}))"))
      << "\"\\n\" and \".\" occur in the completions";
}

// prepare_data: "Some of your prompts contain the suffix ... more than once".
TEST(Legacy, ASeparatorThatAlsoOccursInsideSomePromptsIsAWarning) {
  std::string data;
  for (int i = 0; i < 30; ++i) {
    const std::string question = "Q" + std::to_string(i) + "\n\n###\n\n";
    data += legacy(i % 10 == 3 ? "Context\n\n###\n\n" + question : question, " answer " + std::to_string(i) + ".");
  }
  const PipelineRun r = run(R"({"model": "davinci-002", "today": "2026-06-01"})", data);
  ASSERT_TRUE(r.stats.status.isOk()) << r.stats.status.toString();
  EXPECT_EQ(r.finding("repeated_prompt_suffix")["severity"], "warning");
  EXPECT_EQ(r.finding("repeated_prompt_suffix")["message"],
            R"(3 of 30 prompts contain the separator "\n\n###\n\n" before their end too (<inline>:4, <inline>:14, )"
            R"(<inline>:24), so the model may take that place for the end of the prompt; review these prompts and )"
            R"(end every prompt with a separator that occurs nowhere else, e.g. "\n\n===\n\n")");
  const std::vector<std::string> kinds = r.kinds();
  const auto at = std::find(kinds.begin(), kinds.end(), "repeated_prompt_suffix");
  ASSERT_NE(at, kinds.end());
  EXPECT_EQ(*std::prev(at), "common_prompt_suffix") << "reported with the suffix, as prepare_data does";
}

// The separator is known only at the end (here " ->", after the first prompts shared "irst ->"),
// and counts whole: a part of it (" -" in "q -3 ->") inside a prompt is no warning.
TEST(Legacy, OnlyTheWholeFinalSeparatorInsideAPromptCounts) {
  std::string data;
  data += legacy("first ->", " a.");
  data += legacy("irst -> then irst ->", " b.");
  for (int i = 0; i < 20; ++i) data += legacy("q -" + std::to_string(i) + " ->", " c" + std::to_string(i) + ".");
  const PipelineRun r = run(R"({"model": "davinci-002", "today": "2026-06-01"})", data);
  ASSERT_TRUE(r.stats.status.isOk()) << r.stats.status.toString();
  EXPECT_EQ(r.finding("common_prompt_suffix")["message"],
            R"(all prompts end with the separator " ->"; end prompts with it at inference)");
  EXPECT_EQ(r.finding("repeated_prompt_suffix")["message"],
            R"(1 of 22 prompts contain the separator " ->" before their end too (<inline>:2), so the model may take )"
            R"(that place for the end of the prompt; review these prompts and end every prompt with a separator that )"
            R"(occurs nowhere else, e.g. "\n\n###\n\n")");
}

TEST(Legacy, IdenticalCompletionsAreAnError) {
  std::string data;
  for (int i = 0; i < 12; ++i) data += legacy("q" + std::to_string(i) + " ->", " same");
  const PipelineRun r = run(R"({"model": "babbage-002", "today": "2026-06-01"})", data);
  EXPECT_EQ(r.stats.status.code(), StatusCode::kGateFailed);
  EXPECT_EQ(r.finding("identical_completions")["message"],
            R"(all 12 completions are identical (" same"); the model would learn to ignore its input)");
}

}  // namespace
}  // namespace ajuste::validate_openai
