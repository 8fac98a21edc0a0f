// Token counts (against tiktoken's own values), distributions, the epoch rule and the cost formula.
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ajuste/testing/stage_harness.hpp"
#include "ajuste/tokenizer/encoding.hpp"

#include "distribution.hpp"
#include "token_count.hpp"
#include "validate_stage.hpp"

namespace ajuste::validate_openai {
namespace {

using Json = nlohmann::json;

const Encoding& o200k() { return Encoding::get(EncodingName::kO200kBase); }
const Encoding& cl100k() { return Encoding::get(EncodingName::kCl100kBase); }

// Two examples whose cookbook estimate ("chat_total") and per-content counts were computed by
// tiktoken@1.0.22 with ../shared/bench/count-tokens.mjs (--peer tiktoken), for both encodings:
//   line 1: tokens [5, 8, 5], chat_total 37;  line 2: tokens [4, 0, 6, 11], chat_total 52.
constexpr const char* kNamed =
    R"({"messages":[{"role":"system","content":"You are a review classifier"},{"role":"user","content":"Great headphones, the bass is deep.","name":"alice_01"},{"role":"assistant","content":"Rating: 5 stars"}]})";
constexpr const char* kTools =
    R"({"messages":[{"role":"user","content":"weather in Oslo?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Oslo\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"sunny, 21 C"},{"role":"assistant","content":"It is sunny and 21 °C in Oslo."}],"tools":[{"type":"function","function":{"name":"get_weather"}}]})";

TEST(TokenCount, CookbookVectors) {
  EXPECT_EQ(cl100k().countOrdinary("tiktoken is great!"), 6u);
  EXPECT_EQ(o200k().countOrdinary("tiktoken is great!"), 6u);
}

TEST(TokenCount, ChatEstimateEqualsTiktokenOracle) {
  for (const Encoding* encoding : {&o200k(), &cl100k()}) {
    const ExampleTokens named = countTokens(Json::parse(kNamed), Format::kChat, *encoding);
    EXPECT_EQ(named.tokens, 37u) << encoding->name();
    EXPECT_EQ(named.assistant_tokens, 5u);
    EXPECT_EQ(named.messages, 3u);
    const ExampleTokens tools = countTokens(Json::parse(kTools), Format::kChat, *encoding);
    EXPECT_EQ(tools.tokens, 52u) << encoding->name();
    EXPECT_EQ(tools.sequence_tokens, 52u);
    EXPECT_EQ(tools.messages, 4u);
  }
}

TEST(TokenCount, ChatEstimateByHandFromPerStringCounts) {
  const Encoding& e = o200k();
  const auto n = [&](const char* text) { return static_cast<std::uint32_t>(e.countOrdinary(text)); };
  // 3 per message + every string value (+1 for the name) + 3 for the reply priming.
  const std::uint32_t expected = (3 + n("system") + n("You are a review classifier")) +
                                 (3 + n("user") + n("Great headphones, the bass is deep.") + n("alice_01") + 1) +
                                 (3 + n("assistant") + n("Rating: 5 stars")) + 3;
  EXPECT_EQ(countTokens(Json::parse(kNamed), Format::kChat, e).tokens, expected);
  // Trained tokens: what assistant messages say (content and calls), weight 0 excluded.
  const ExampleTokens tools = countTokens(Json::parse(kTools), Format::kChat, e);
  EXPECT_EQ(tools.assistant_tokens, n("get_weather") + n("{\"city\": \"Oslo\"}") + n("It is sunny and 21 °C in Oslo."));
  const ExampleTokens weighted = countTokens(
      Json::parse(R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"first answer","weight":0},)"
                  R"({"role":"user","content":"b"},{"role":"assistant","content":"second answer","weight":1}]})"),
      Format::kChat, e);
  EXPECT_EQ(weighted.assistant_tokens, n("second answer"));
  EXPECT_EQ(weighted.tokens, 4 * 3 + 2 * n("user") + 2 * n("assistant") + n("a") + n("b") + n("first answer") +
                                 n("second answer") + 3 + 0 /* weight is a number: adds nothing */);
}

TEST(TokenCount, PreferenceAndLegacy) {
  const Encoding& e = o200k();
  const auto n = [&](const char* text) { return static_cast<std::uint32_t>(e.countOrdinary(text)); };
  const ExampleTokens dpo = countTokens(
      Json::parse(R"({"input":{"messages":[{"role":"user","content":"Say hi"}]},)"
                  R"("preferred_output":[{"role":"assistant","content":"Hi there, friend!"}],)"
                  R"("non_preferred_output":[{"role":"assistant","content":"no"}]})"),
      Format::kPreference, e);
  const std::uint32_t input = 3 + n("user") + n("Say hi");
  const std::uint32_t good = 3 + n("assistant") + n("Hi there, friend!");
  const std::uint32_t bad = 3 + n("assistant") + n("no");
  EXPECT_EQ(dpo.tokens, input + good + bad + 3);
  EXPECT_EQ(dpo.sequence_tokens, input + good + 3) << "the longer of the two trained sequences";
  EXPECT_EQ(dpo.assistant_tokens, n("Hi there, friend!") + n("no"));
  EXPECT_EQ(dpo.messages, 3u);

  const ExampleTokens legacy =
      countTokens(Json::parse(R"({"prompt":"Review: great ->","completion":" positive"})"), Format::kCompletion, e);
  EXPECT_EQ(legacy.tokens, n("Review: great ->") + n(" positive"));
  EXPECT_EQ(legacy.assistant_tokens, n(" positive"));
  EXPECT_EQ(legacy.messages, 0u);
}

TEST(TokenCount, TheStageLeavesTheNumbersInMeta) {
  testing::StageHarness h{OpenAIValidator::info(), R"({"model": "gpt-4o-mini"})"};
  const auto out = h.run(std::string(kNamed) + "\n" + kTools + "\n");
  ASSERT_EQ(out.kept.size(), 2u);
  const Json& meta = out.kept[0].meta["openai"];
  EXPECT_EQ(meta["format"], "chat");
  EXPECT_EQ(meta["tokens"], 37);
  EXPECT_EQ(meta["sequence_tokens"], 37);
  EXPECT_EQ(meta["assistant_tokens"], 5);
  EXPECT_EQ(meta["messages"], 3);
  EXPECT_EQ(meta["billed"], 37);
  EXPECT_EQ(meta["label"], "Rating: 5 stars");
  EXPECT_TRUE(meta.contains("system"));
  EXPECT_TRUE(meta.contains("hash"));
  EXPECT_EQ(meta["bytes"], Json::parse(kNamed).dump().size()) << "the compact JSONL size of the record";
  EXPECT_FALSE(meta.contains("no_user"));
  EXPECT_EQ(out.kept[1].meta["openai"]["bytes"], Json::parse(kTools).dump().size());
  EXPECT_FALSE(out.kept[1].meta["openai"].contains("system"));
}

TEST(Distribution, RealPercentilesWithLinearInterpolation) {
  std::vector<std::uint32_t> values;
  for (std::uint32_t v = 1; v <= 101; ++v) values.push_back(102 - v);  // 101..1, unsorted
  const Distribution d = describe(values);
  EXPECT_EQ(d.count, 101u);
  EXPECT_EQ(d.min, 1u);
  EXPECT_EQ(d.max, 101u);
  EXPECT_DOUBLE_EQ(d.mean, 51.0);
  EXPECT_DOUBLE_EQ(d.median, 51.0);
  EXPECT_DOUBLE_EQ(d.p5, 6.0);    // h = 100 * 0.05 = 5 -> the 6th value
  EXPECT_DOUBLE_EQ(d.p95, 96.0);  // the cookbook's "p95" would be the 0.9 quantile, 91

  std::vector<std::uint32_t> four = {10, 20, 30, 40};
  const Distribution e = describe(four);
  EXPECT_DOUBLE_EQ(e.median, 25.0);
  EXPECT_DOUBLE_EQ(e.p5, 11.5);   // h = 0.15: 10 + 0.15 * 10
  EXPECT_DOUBLE_EQ(e.p95, 38.5);  // h = 2.85: 30 + 0.85 * 10
  std::vector<std::uint32_t> one = {7};
  const Distribution f = describe(one);
  EXPECT_DOUBLE_EQ(f.p5, 7.0);
  EXPECT_DOUBLE_EQ(f.p95, 7.0);
  std::vector<std::uint32_t> none;
  EXPECT_EQ(describe(none).count, 0u);
}

TEST(Epochs, OpenAIsRuleAtItsBoundaries) {
  EXPECT_EQ(autoEpochs(1), 25u);      // 100 / 1 = 100, capped at MAX_DEFAULT_EPOCHS = 25
  EXPECT_EQ(autoEpochs(4), 25u);      // 100 / 4 = 25
  EXPECT_EQ(autoEpochs(5), 20u);
  EXPECT_EQ(autoEpochs(33), 3u);      // 99 < 100: 100 / 33 = 3
  EXPECT_EQ(autoEpochs(34), 3u);      // 102 >= 100: the target 3
  EXPECT_EQ(autoEpochs(8333), 3u);    // 24,999 <= 25,000
  EXPECT_EQ(autoEpochs(8334), 2u);    // 25,002 > 25,000: 25,000 / 8,334 = 2
  EXPECT_EQ(autoEpochs(12500), 2u);
  EXPECT_EQ(autoEpochs(12501), 1u);
  EXPECT_EQ(autoEpochs(100000), 1u);  // 25,000 / 100,000 = 0, raised to MIN_DEFAULT_EPOCHS = 1
}

TEST(Cost, BilledTokensTimesThePricePerMillion) {
  EXPECT_DOUBLE_EQ(trainingCost(1'000'000, 3.0), 3.0);
  EXPECT_DOUBLE_EQ(trainingCost(2'500'000, 25.0), 62.5);
  EXPECT_DOUBLE_EQ(trainingCost(0, 25.0), 0.0);
}

}  // namespace
}  // namespace ajuste::validate_openai
