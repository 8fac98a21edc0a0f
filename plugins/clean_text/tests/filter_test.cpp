#include "filter_stage.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/stage_harness.hpp"

namespace ajuste::clean_text {
namespace {

using ::testing::HasSubstr;
using testing::StageHarness;

constexpr const char* kShort = R"({"messages":[{"role":"user","content":"héllo"},{"role":"assistant","content":"Rating: 5 stars"}]})";
constexpr const char* kLong =
    R"({"messages":[{"role":"user","content":"this review is long enough"},{"role":"assistant","content":"Rating: 2 stars"}]})";

TEST(FilterStage, CharactersAreCodePoints) {
  StageHarness h{FilterStage::info(), R"({"length": [{"scope": "user", "min_chars": 6}]})"};
  const auto out = h.run(std::string(kShort) + "\n" + kLong + "\n");
  ASSERT_EQ(out.kept.size(), 1u);
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "too_short");
  // "héllo" is 6 bytes but 5 characters.
  EXPECT_EQ(out.rejects[0].reason, "messages[0].content has 5 characters, fewer than min_chars 6 (length[0], scope user)");
}

TEST(FilterStage, TokensPerExample) {
  StageHarness h{FilterStage::info(), R"({"length": [{"scope": "example", "max_tokens": 8}]})"};
  const auto out = h.run(std::string(kShort) + "\n" + kLong + "\n");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].origin.line, 2u);
  EXPECT_EQ(out.rejects[0].kind, "too_long");
  EXPECT_THAT(out.rejects[0].reason, HasSubstr("the example has "));
  EXPECT_THAT(out.rejects[0].reason, HasSubstr("tokens, more than max_tokens 8 (length[0], scope example)"));
}

TEST(FilterStage, IncludeAndExcludePatterns) {
  StageHarness h{FilterStage::info(), R"({
      "include": [{"field": "assistant", "pattern": "^Rating: [1-5] stars?$"}],
      "exclude": [{"field": "user", "pattern": "LONG ENOUGH", "ignore_case": true}]})"};
  const auto out = h.run(std::string(kShort) + "\n" + kLong + "\n" +
                         R"({"messages":[{"role":"user","content":"x"},{"role":"assistant","content":"five"}]})" + "\n");
  ASSERT_EQ(out.kept.size(), 1u);
  ASSERT_EQ(out.rejects.size(), 2u);
  EXPECT_EQ(out.rejects[0].kind, "excluded_pattern");
  EXPECT_EQ(out.rejects[0].reason, "messages[0].content matches exclude[0] (LONG ENOUGH)");
  EXPECT_EQ(out.rejects[1].kind, "include_not_matched");
  EXPECT_EQ(out.rejects[1].reason, "no assistant text matches include[0] (^Rating: [1-5] stars?$)");
}

TEST(FilterStage, PatternOnJsonPointer) {
  StageHarness h{FilterStage::info(), R"({"exclude": [{"field": "/metadata/source", "pattern": "^scraped"}]})"};
  const auto out = h.run(
      R"({"messages":[{"role":"user","content":"a"}],"metadata":{"source":"scraped-web"}})" "\n"
      R"({"messages":[{"role":"user","content":"a"}]})" "\n");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].reason, "/metadata/source matches exclude[0] (^scraped)");
}

TEST(FilterStage, LegacyExamplesUseUserAndAssistantRoles) {
  StageHarness h{FilterStage::info(), R"({"length": [{"scope": "assistant", "max_chars": 3}]})"};
  const auto out = h.run(R"({"prompt":"hello","completion":"too long"})" "\n");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].reason, "completion has 8 characters, more than max_chars 3 (length[0], scope assistant)");
}

TEST(FilterStage, BadRegexNamesOptionAndColumn) {
  const auto with = testing::checkOptions(
      FilterStage::info(), nlohmann::json::parse(R"({"exclude": [{"field": "user", "pattern": "ab(c"}]})"));
  ASSERT_TRUE(with.ok());
  testing::RecordingContext ctx;
  const auto made = FilterStage::info().make(with.value(), ctx);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().pointer(), "/exclude/0/pattern");
  EXPECT_THAT(made.error().message(), HasSubstr("invalid regular expression at column 5: missing closing parenthesis"));
}

TEST(FilterStage, ConfigChecksTheSchemaCannotSay) {
  EXPECT_THROW((StageHarness{FilterStage::info(), R"({"length": [{"scope": "user", "min_chars": 9, "max_chars": 3}]})"}),
               std::invalid_argument);
  EXPECT_THROW((StageHarness{FilterStage::info(), R"({"length": [{"scope": "user"}]})"}), std::invalid_argument);
  EXPECT_THROW((StageHarness{FilterStage::info(), R"({"length": [{"scope": "bot", "max_chars": 3}]})"}),
               std::invalid_argument);
  EXPECT_THROW((StageHarness{FilterStage::info(), "{}"}), std::invalid_argument);
}

std::string chat(const std::string& user) {
  return nlohmann::json{{"messages", {{{"role", "user"}, {"content", user}}, {{"role", "assistant"}, {"content", "ok"}}}}}
      .dump();
}

TEST(FilterStage, LanguageAllowListRejectsOtherLanguagesAndCountsWhatItSaw) {
  StageHarness h{FilterStage::info(), R"({"language": {"allow": ["pt", "EN"]}})"};
  const auto out = h.run(chat("Este produto é muito bom, chegou rápido e a qualidade é excelente.") + "\n" +
                         chat("This product is great, it arrived quickly and the quality is excellent.") + "\n" +
                         chat("この商品はとても良いです。すぐに届きました。品質も最高です。") + "\n" + chat("ok!") + "\n");
  ASSERT_EQ(out.kept.size(), 3u);
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].origin.line, 3u);
  EXPECT_EQ(out.rejects[0].kind, "language_not_allowed");
  EXPECT_THAT(out.rejects[0].reason, ::testing::StartsWith("the user texts are in Japanese (ja, "));
  EXPECT_THAT(out.rejects[0].reason, ::testing::EndsWith("scored bytes), not in language.allow [pt, en]"));
  EXPECT_EQ(h.context().counter("language_pt"), 1);
  EXPECT_EQ(h.context().counter("language_en"), 1);
  EXPECT_EQ(h.context().counter("language_ja"), 1);
  EXPECT_EQ(h.context().counter("language_too_short_to_judge"), 1);  // "ok!" is under min_bytes
}

TEST(FilterStage, LanguageCanRejectWhatItCannotTell) {
  const std::string gibberish = chat("zxq vbnm qwrt plkj hgfd xcvb mnbv lkjh poiu ytre wqas");
  StageHarness keep{FilterStage::info(), R"({"language": {"allow": ["en"], "min_bytes": 10}})"};
  EXPECT_EQ(keep.run(gibberish + "\n").kept.size(), 1u);
  StageHarness reject{FilterStage::info(), R"({"language": {"allow": ["en"], "min_bytes": 10, "unreliable": "reject"}})"};
  const auto out = reject.run(gibberish + "\n");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "language_unsure");
  EXPECT_THAT(out.rejects[0].reason, HasSubstr("cannot tell the language of the user texts reliably: best guess "));
}

TEST(FilterStage, UnknownLanguageCodeNamesTheOption) {
  const auto with = testing::checkOptions(FilterStage::info(), nlohmann::json::parse(R"({"language": {"allow": ["en", "english"]}})"));
  ASSERT_TRUE(with.ok());
  testing::RecordingContext ctx;
  const auto made = FilterStage::info().make(with.value(), ctx);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().pointer(), "/language/allow/1");
  EXPECT_THAT(made.error().message(), HasSubstr("unknown language code \"english\""));
}

}  // namespace
}  // namespace ajuste::clean_text
