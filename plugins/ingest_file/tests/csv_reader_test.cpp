#include "csv_reader.hpp"

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
using Fields = std::vector<std::string>;

struct Cut {
  std::vector<CsvRow> rows;
  std::uint64_t blank_lines = 0;
};

Cut cut(const std::string& text, CsvFormat format = {}, std::size_t chunk = 1 << 20, std::size_t buffer = 1 << 16) {
  ingest::TextInput input(std::make_unique<ingest::MemoryStream>(text, chunk), buffer);
  CsvReader reader(input, format);
  Cut out;
  while (auto row = reader.next()) out.rows.push_back(std::move(*row));
  out.blank_lines = reader.blankLines();
  return out;
}

std::vector<Fields> fields(const Cut& cut) {
  std::vector<Fields> out;
  for (const auto& row : cut.rows) out.push_back(row.fields);
  return out;
}

TEST(CsvReader, SplitsFieldsAndRows) {
  const auto rows = cut("a,b,c\n1,2,3\n");
  EXPECT_THAT(fields(rows), ElementsAre(Fields{"a", "b", "c"}, Fields{"1", "2", "3"}));
  EXPECT_EQ(rows.rows[1].line, 2u);
  EXPECT_EQ(rows.rows[1].offset, 6u);
  EXPECT_EQ(rows.rows[1].bytes, 6u);
  EXPECT_EQ(rows.rows[1].text, "1,2,3");
}

TEST(CsvReader, QuotedFieldsHoldDelimitersQuotesAndLineBreaks) {
  const auto rows = cut("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"crlf\r\nkept\"\nnext,row,x,y\n");
  ASSERT_EQ(rows.rows.size(), 2u);
  EXPECT_THAT(rows.rows[0].fields, ElementsAre("a,b", "say \"hi\"", "two\nlines", "crlf\r\nkept"));
  EXPECT_FALSE(rows.rows[0].problem);
  EXPECT_EQ(rows.rows[0].line, 1u);
  EXPECT_EQ(rows.rows[1].line, 4u) << "the line breaks inside quotes count";
}

TEST(CsvReader, EmptyFieldsAndQuotedEmptyFields) {
  EXPECT_THAT(fields(cut(",\n\"\",x\na,\n")),
              ElementsAre(Fields{"", ""}, Fields{"", "x"}, Fields{"a", ""}));
}

TEST(CsvReader, LineEndingsCrLfLfAndLoneCrAndNoFinalNewline) {
  const auto rows = cut("a,b\r\n1,2\r3,4\n5,6");
  EXPECT_THAT(fields(rows), ElementsAre(Fields{"a", "b"}, Fields{"1", "2"}, Fields{"3", "4"}, Fields{"5", "6"}));
  EXPECT_EQ(rows.rows[0].bytes, 5u);
  EXPECT_EQ(rows.rows[2].line, 3u);
  EXPECT_EQ(rows.rows[3].line, 4u);
  EXPECT_EQ(rows.rows[3].bytes, 3u);
}

TEST(CsvReader, SkipsAndCountsEmptyLines) {
  const auto rows = cut("\n\na\r\n\r\nb\n\n");
  EXPECT_THAT(fields(rows), ElementsAre(Fields{"a"}, Fields{"b"}));
  EXPECT_EQ(rows.rows[0].line, 3u);
  EXPECT_EQ(rows.rows[1].line, 5u);
  EXPECT_EQ(rows.blank_lines, 4u);
}

TEST(CsvReader, AQuoteInsideAnUnquotedFieldIsOrdinaryAndSpacesAreKept) {
  EXPECT_THAT(fields(cut("5\" screen, \"x\" ,a\"b\n")), ElementsAre(Fields{"5\" screen", " \"x\" ", "a\"b"}));
}

TEST(CsvReader, TextAfterAClosingQuoteIsAProblemNamingLineAndColumn) {
  const auto rows = cut("ok,fine\n\"abc\"def,2\nnext,row\n");
  ASSERT_EQ(rows.rows.size(), 3u);
  ASSERT_TRUE(rows.rows[1].problem);
  EXPECT_EQ(rows.rows[1].problem->kind, "text_after_quote");
  EXPECT_EQ(rows.rows[1].problem->message,
            "'d' at line 2, column 6 follows the closing quote of field 1; inside a quoted field write a quote as two "
            "quotes (\"\"), or quote the whole field");
  EXPECT_THAT(rows.rows[1].fields, ElementsAre("abcdef", "2"));
  EXPECT_FALSE(rows.rows[2].problem) << "the next row is not affected";
}

TEST(CsvReader, AnUnclosedQuoteTakesTheRestOfTheInputAndSaysWhereItOpened) {
  const auto rows = cut("a,b\n1,\"never closed\n2,3\n");
  ASSERT_EQ(rows.rows.size(), 2u);
  ASSERT_TRUE(rows.rows[1].problem);
  EXPECT_EQ(rows.rows[1].problem->kind, "unclosed_quote");
  EXPECT_THAT(rows.rows[1].problem->message, HasSubstr("the quoted field opened at line 2, column 3 is never closed"));
  EXPECT_EQ(rows.rows[1].text, "1,\"never closed\n2,3\n");
}

TEST(CsvReader, ARowLongerThanTheLimitIsReadToItsEndButNotKept) {
  CsvFormat format;
  format.max_record_bytes = 8;
  const auto rows = cut("short\n0123456789,abcdef\nok\n", format);
  ASSERT_EQ(rows.rows.size(), 3u);
  ASSERT_TRUE(rows.rows[1].problem);
  EXPECT_EQ(rows.rows[1].problem->kind, "row_too_long");
  EXPECT_THAT(rows.rows[1].problem->message, HasSubstr("the row is 17 bytes long, more than max_record_bytes (8)"));
  EXPECT_EQ(rows.rows[1].text, "01234567");
  EXPECT_THAT(rows.rows[2].fields, ElementsAre("ok"));
  EXPECT_EQ(rows.rows[2].line, 3u);
}

TEST(CsvReader, OtherDelimitersAndNoQuoting) {
  CsvFormat tsv;
  tsv.delimiter = '\t';
  EXPECT_THAT(fields(cut("a\tb,c\t\"q\tq\"\n", tsv)), ElementsAre(Fields{"a", "b,c", "q\tq"}));
  CsvFormat semicolon;
  semicolon.delimiter = ';';
  EXPECT_THAT(fields(cut("a;b,c\n", semicolon)), ElementsAre(Fields{"a", "b,c"}));
  CsvFormat bare;
  bare.delimiter = '\t';
  bare.quoting = false;
  EXPECT_THAT(fields(cut("\"a\tb\"\tc\n", bare)), ElementsAre(Fields{"\"a", "b\"", "c"}));
}

TEST(CsvReader, ABomIsSkippedAndColumnsStartAfterIt) {
  const auto rows = cut("\xEF\xBB\xBF\"a\"x,b\n");
  ASSERT_EQ(rows.rows.size(), 1u);
  EXPECT_EQ(rows.rows[0].offset, 3u);
  ASSERT_TRUE(rows.rows[0].problem);
  EXPECT_THAT(rows.rows[0].problem->message, HasSubstr("at line 1, column 4"));
}

TEST(CsvReader, CutsTheSameRowsWhateverTheChunkingAndBufferSize) {
  const std::string text = "\xEF\xBB\xBFh1,h2\r\n\"multi\r\nline\",\"q\"\"q\"\n\n\"bad\"x,1\rlast,\"open";
  const auto reference = cut(text);
  for (std::size_t chunk = 1; chunk <= 9; ++chunk) {
    for (const std::size_t buffer : {std::size_t{4}, std::size_t{5}, std::size_t{7}}) {
      const auto other = cut(text, {}, chunk, buffer);
      ASSERT_EQ(other.rows.size(), reference.rows.size());
      for (std::size_t i = 0; i < other.rows.size(); ++i) {
        EXPECT_EQ(other.rows[i].fields, reference.rows[i].fields);
        EXPECT_EQ(other.rows[i].line, reference.rows[i].line);
        EXPECT_EQ(other.rows[i].offset, reference.rows[i].offset);
        EXPECT_EQ(other.rows[i].text, reference.rows[i].text);
        EXPECT_EQ(other.rows[i].problem.has_value(), reference.rows[i].problem.has_value());
      }
    }
  }
}

}  // namespace
}  // namespace ajuste::ingest_file
