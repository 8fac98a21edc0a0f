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

}  // namespace
}  // namespace ajuste::clean_text
