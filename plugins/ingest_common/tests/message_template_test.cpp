#include "ingest_common/message_template.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ajuste::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using nlohmann::json;

MessageTemplate parsed(const std::string& text) {
  auto result = MessageTemplate::parse(text);
  if (const auto* error = std::get_if<TemplateError>(&result)) {
    ADD_FAILURE() << "template '" << text << "' refused: " << error->message;
    return std::get<MessageTemplate>(MessageTemplate::parse(""));
  }
  return std::get<MessageTemplate>(std::move(result));
}

TemplateError refused(const std::string& text) {
  auto result = MessageTemplate::parse(text);
  if (!std::holds_alternative<TemplateError>(result)) {
    ADD_FAILURE() << "template '" << text << "' was accepted";
    return {};
  }
  return std::get<TemplateError>(result);
}

std::string rendered(const std::string& text, const json& record) {
  std::string out;
  const auto error = parsed(text).render(record, out);
  EXPECT_FALSE(error) << error->reason;
  return out;
}

TEST(MessageTemplate, PutsFieldsIn) {
  EXPECT_EQ(rendered("Review: {review}", {{"review", "Great blender"}}), "Review: Great blender");
  EXPECT_EQ(rendered("{a}{b}-{a}", {{"a", "x"}, {"b", "y"}}), "xy-x");
  EXPECT_EQ(rendered("no fields at all", json::object()), "no fields at all");
  EXPECT_EQ(rendered("", json::object()), "");
  EXPECT_EQ(rendered("{ review }", {{"review", "spaces around the name are ignored"}}),
            "spaces around the name are ignored");
  EXPECT_EQ(rendered("{Review Text}", {{"Review Text", "CSV headers may hold spaces"}}), "CSV headers may hold spaces");
}

TEST(MessageTemplate, WritesNumbersAndBooleansAsText) {
  EXPECT_EQ(rendered("{n} {f} {b} {neg}", {{"n", 4}, {"f", 4.5}, {"b", true}, {"neg", -2}}), "4 4.5 true -2");
}

TEST(MessageTemplate, ChoosesThePluralFormByTheNumber) {
  const std::string text = "Rating: {stars} {stars|star|stars}";
  EXPECT_EQ(rendered(text, {{"stars", "1"}}), "Rating: 1 star");
  EXPECT_EQ(rendered(text, {{"stars", "2"}}), "Rating: 2 stars");
  EXPECT_EQ(rendered(text, {{"stars", "0"}}), "Rating: 0 stars");
  EXPECT_EQ(rendered(text, {{"stars", 1}}), "Rating: 1 star");
  EXPECT_EQ(rendered(text, {{"stars", " 1.0 "}}), "Rating:  1.0  star");
  EXPECT_EQ(rendered(text, {{"stars", -1}}), "Rating: -1 star");
  EXPECT_EQ(rendered(text, {{"stars", 1.5}}), "Rating: 1.5 stars");
  EXPECT_EQ(rendered("Avaliação: {n} {n|estrela|estrelas}", {{"n", "1"}}), "Avaliação: 1 estrela");
  EXPECT_EQ(rendered("{n|| items}", {{"n", 1}}), "");
  EXPECT_EQ(rendered("{n| item | items }", {{"n", 3}}), " items ");
}

TEST(MessageTemplate, DoubledBracesAreLiteral) {
  EXPECT_EQ(rendered("{{not a field}} and {x}", {{"x", "y"}}), "{not a field} and y");
  EXPECT_EQ(rendered("JSON: {{\"a\": {x}}}", {{"x", 1}}), "JSON: {\"a\": 1}");
  EXPECT_EQ(rendered("}}{{", json::object()), "}{");
}

TEST(MessageTemplate, ReadsNestedValuesByDottedPathButPrefersTheWholeKey) {
  const json record = {{"meta", {{"title", "T"}}}, {"turns", {"zero", "one"}}, {"a.b", "whole key"}, {"a", {{"b", "path"}}}};
  EXPECT_EQ(rendered("{meta.title} {turns.1} {a.b}", record), "T one whole key");
}

TEST(MessageTemplate, ListsItsFieldsOnceInOrder) {
  EXPECT_THAT(parsed("{b} {a} {b|x|y} {{c}}").fields(), ElementsAre("b", "a"));
}

TEST(MessageTemplate, AMissingFieldNamesTheFieldAndTheFieldsFound) {
  std::string out;
  const auto error = parsed("Review: {reveiw}").render({{"review", "x"}, {"stars", "5"}}, out);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind, "missing_field");
  EXPECT_EQ(error->reason, "field 'reveiw' is missing; the record has 'review', 'stars'; did you mean 'review'?");
}

TEST(MessageTemplate, APluralOverSomethingNotANumberIsRefused) {
  std::string out;
  const auto error = parsed("{stars|star|stars}").render({{"stars", "five"}}, out);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind, "plural_not_number");
  EXPECT_EQ(error->reason,
            "field 'stars' is a string \"five\", not a number, so {stars|star|stars} cannot choose between 'star' and "
            "'stars'");
}

TEST(MessageTemplate, ValuesWithoutTextAreRefused) {
  std::string out;
  auto error = parsed("{meta}").render({{"meta", {{"text", "x"}}}}, out);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind, "field_not_text");
  EXPECT_THAT(error->reason, HasSubstr("field 'meta' is an object"));
  EXPECT_THAT(error->reason, HasSubstr("e.g. 'meta.text'"));
  error = parsed("{x}").render({{"x", nullptr}}, out);
  ASSERT_TRUE(error);
  EXPECT_THAT(error->reason, HasSubstr("field 'x' is null"));
}

TEST(MessageTemplate, ParseErrorsNameTheColumn) {
  auto error = refused("Rating: {stars");
  EXPECT_EQ(error.column, 9u);
  EXPECT_EQ(error.message,
            "'{' at column 9 is never closed; end the placeholder with '}', or write '{{' for a literal '{'");
  error = refused("a } b");
  EXPECT_EQ(error.column, 3u);
  EXPECT_EQ(error.message, "'}' at column 3 closes no placeholder; write '}}' for a literal '}'");
  error = refused("x {} y");
  EXPECT_EQ(error.column, 3u);
  EXPECT_THAT(error.message, HasSubstr("names no field"));
  error = refused("{ a {b} }");
  EXPECT_EQ(error.column, 5u);
  EXPECT_THAT(error.message, HasSubstr("is inside the placeholder opened at column 1; placeholders do not nest"));
  error = refused("{stars|star}");
  EXPECT_EQ(error.column, 8u);
  EXPECT_EQ(error.message, "the placeholder at column 1 has 1 form after the field; a plural takes exactly two, "
                           "singular then plural: {stars|star|stars}");
  error = refused("{n|a|b|c}");
  EXPECT_EQ(error.column, 8u);
  EXPECT_THAT(error.message, HasSubstr("has 3 forms"));
}

TEST(MessageTemplate, ColumnsCountCharactersNotBytes) {
  const auto error = refused("Avaliação: {n");
  EXPECT_EQ(error.column, 12u);
}

TEST(MessageTemplate, ExplainPutsACaretUnderTheColumn) {
  const std::string text = "Rating: {stars} {stars|star";
  const auto error = refused(text);
  EXPECT_EQ(MessageTemplate::explain(error, text), error.message +
                                                       "\n    Rating: {stars} {stars|star"
                                                       "\n                    ^");
  const std::string long_text = std::string(100, 'x') + "}" + std::string(100, 'y');
  const auto long_error = refused(long_text);
  EXPECT_EQ(long_error.column, 101u);
  const std::string explained = MessageTemplate::explain(long_error, long_text);
  EXPECT_THAT(explained, HasSubstr("\n    ..." + std::string(40, 'x') + "}" + std::string(39, 'y') + "...\n"));
  EXPECT_THAT(explained, HasSubstr("\n    " + std::string(43, ' ') + "^"));
}

}  // namespace
}  // namespace ajuste::ingest
