#include "json_array_reader.hpp"

#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest_common/byte_stream.hpp"

namespace ajuste::ingest_file {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Cut {
  std::vector<JsonElement> elements;
  bool unterminated = false;
  bool empty = false;
};

Cut cut(const std::string& text, JsonArrayFormat format = {}, std::size_t chunk = 1 << 20, std::size_t buffer = 1 << 16) {
  ingest::TextInput input(std::make_unique<ingest::MemoryStream>(text, chunk), buffer);
  JsonArrayReader reader(input, format);
  Cut out;
  while (auto element = reader.next()) out.elements.push_back(std::move(*element));
  out.unterminated = reader.unterminated();
  out.empty = reader.empty();
  return out;
}

std::vector<std::string> texts(const Cut& cut) {
  std::vector<std::string> out;
  for (const auto& element : cut.elements) out.push_back(element.text);
  return out;
}

std::vector<std::string> problems(const Cut& cut) {
  std::vector<std::string> out;
  for (const auto& element : cut.elements) out.push_back(element.problem ? element.problem->kind : "");
  return out;
}

TEST(JsonArrayReader, CutsElementsWithTheirPositions) {
  const auto got = cut("[\n  {\"a\": 1},\n  {\"b\": [1, 2]} ,\n\t3\n]\n");
  EXPECT_THAT(texts(got), ElementsAre("{\"a\": 1}", "{\"b\": [1, 2]}", "3"));
  EXPECT_THAT(problems(got), ElementsAre("", "", ""));
  EXPECT_EQ(got.elements[1].line, 3u);
  EXPECT_EQ(got.elements[1].column, 3u);
  EXPECT_EQ(got.elements[1].offset, 16u);
  EXPECT_EQ(got.elements[2].line, 4u);
  EXPECT_EQ(got.elements[2].column, 2u);
  EXPECT_FALSE(got.unterminated);
}

TEST(JsonArrayReader, CommasAndBracketsInsideStringsDoNotCut) {
  const auto got = cut(R"([{"t": "a, b ] } [ \" ,"}, "x\\", ["]"]])");
  EXPECT_THAT(texts(got), ElementsAre(R"({"t": "a, b ] } [ \" ,"})", R"("x\\")", R"(["]"])"));
}

TEST(JsonArrayReader, AnEmptyArrayAndAnEmptyDocument) {
  EXPECT_TRUE(cut("[]").elements.empty());
  EXPECT_TRUE(cut(" [ \n ] \n").elements.empty());
  const auto empty = cut("  \n");
  EXPECT_TRUE(empty.elements.empty());
  EXPECT_TRUE(empty.empty);
  EXPECT_TRUE(cut("\xEF\xBB\xBF").empty);
}

TEST(JsonArrayReader, EmptyElementsAreProblems) {
  const auto got = cut("[1,,2,]");
  EXPECT_THAT(texts(got), ElementsAre("1", "", "2", ""));
  EXPECT_THAT(problems(got), ElementsAre("", "empty_element", "", "empty_element"));
  EXPECT_THAT(got.elements[1].problem->message, HasSubstr("two commas in a row (the second at line 1, column 4)"));
  EXPECT_THAT(got.elements[3].problem->message, HasSubstr("a comma before the closing ']' (at line 1, column 7)"));
}

TEST(JsonArrayReader, ADocumentThatIsNotAnArrayIsOneProblem) {
  const auto got = cut("\n  {\"data\": [1, 2]}\n");
  ASSERT_EQ(got.elements.size(), 1u);
  EXPECT_EQ(got.elements[0].problem->kind, "not_array");
  EXPECT_EQ(got.elements[0].problem->message,
            "the document is not a JSON array: it starts with '{' at line 2, column 3; ingest/json reads one array of "
            "objects, [{...}, {...}] (for one object per line use ingest/jsonl)");
  EXPECT_EQ(got.elements[0].text, "{\"data\": [1, 2]}\n");
}

TEST(JsonArrayReader, TextAfterTheArrayIsOneProblem) {
  const auto got = cut("[1]\n[2]\n");
  EXPECT_THAT(problems(got), ElementsAre("", "trailing_data"));
  EXPECT_THAT(got.elements[1].problem->message, HasSubstr("text after the array's closing ']', at line 2, column 1"));
}

TEST(JsonArrayReader, ACutOffDocument) {
  auto got = cut("[{\"a\": 1}, {\"b\": \"unfinished");
  EXPECT_THAT(problems(got), ElementsAre("", "truncated"));
  EXPECT_THAT(got.elements[1].problem->message, HasSubstr("in a string"));
  got = cut("[{\"a\": 1}, {\"b\": 2}");
  EXPECT_THAT(problems(got), ElementsAre("", ""));
  EXPECT_TRUE(got.unterminated);
  got = cut("[{\"a\": 1},\n");
  EXPECT_THAT(problems(got), ElementsAre(""));
  EXPECT_TRUE(got.unterminated);
}

TEST(JsonArrayReader, MalformedElementsAreLeftToTheParser) {
  const auto got = cut("[{\"a\":1} {\"b\":2}, {\"c\":}]");
  EXPECT_THAT(texts(got), ElementsAre("{\"a\":1} {\"b\":2}", "{\"c\":}"));
  EXPECT_THAT(problems(got), ElementsAre("", ""));
}

TEST(JsonArrayReader, TooDeepAndTooLongElementsAreProblemsButTheRestIsRead) {
  JsonArrayFormat format;
  format.max_depth = 3;
  format.max_record_bytes = 12;
  const auto got = cut("[[[[[1]]]], {\"long\": \"0123456789\"}, 2]", format);
  ASSERT_EQ(got.elements.size(), 3u);
  EXPECT_THAT(problems(got), ElementsAre("too_deep", "record_too_long", ""));
  EXPECT_THAT(got.elements[1].problem->message, HasSubstr("the element is 22 bytes long, more than max_record_bytes (12)"));
  EXPECT_EQ(got.elements[1].text, "{\"long\": \"01");
  EXPECT_EQ(got.elements[2].text, "2");
}

TEST(JsonArrayReader, CutsTheSameElementsWhateverTheChunking) {
  const std::string text = "\xEF\xBB\xBF[\r\n {\"a\": \"x,]\"},\r {\"b\": [1,\n2]},, 3] x";
  const auto reference = cut(text);
  for (std::size_t chunk = 1; chunk <= 7; ++chunk) {
    const auto other = cut(text, {}, chunk, 4 + chunk % 3);
    ASSERT_EQ(other.elements.size(), reference.elements.size());
    for (std::size_t i = 0; i < other.elements.size(); ++i) {
      EXPECT_EQ(other.elements[i].text, reference.elements[i].text);
      EXPECT_EQ(other.elements[i].line, reference.elements[i].line);
      EXPECT_EQ(other.elements[i].column, reference.elements[i].column);
      EXPECT_EQ(other.elements[i].offset, reference.elements[i].offset);
    }
  }
  EXPECT_EQ(reference.elements[0].line, 2u);
  EXPECT_EQ(reference.elements[1].line, 3u);
}

}  // namespace
}  // namespace ajuste::ingest_file
