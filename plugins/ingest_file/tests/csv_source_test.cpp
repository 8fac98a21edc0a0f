#include "csv_source.hpp"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/stage_harness.hpp"
#include "compress.hpp"
#include "source_harness.hpp"

namespace ajuste::ingest_file {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ajuste::testing::StageHarness;
using nlohmann::json;

class CsvSourceTest : public ingest::testing::SourceTest<CsvSource> {};

const json kReviewMapping = {{"system", "Rate the review."},
                             {"user", "Review: {review}"},
                             {"assistant", "Rating: {stars} {stars|star|stars}"}};

TEST_F(CsvSourceTest, RowsBecomeObjectsKeyedByTheHeaderWithProvenance) {
  const auto path = write("r.csv", "review,stars\n\"Great, really\",5\n\"Two\nlines\",4\nok,3\n");
  const auto out = run({{"path", path}});
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  EXPECT_TRUE(out.rejects.empty());
  ASSERT_EQ(out.kept.size(), 3u);
  EXPECT_EQ(out.kept[0].value, json({{"review", "Great, really"}, {"stars", "5"}}));
  EXPECT_EQ(out.kept[1].value, json({{"review", "Two\nlines"}, {"stars", "4"}}));
  const std::vector<std::uint64_t> lines{2, 3, 5};
  const std::vector<std::uint64_t> offsets{13, 31, 45};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(out.kept[i].origin.source, path);
    EXPECT_EQ(out.kept[i].origin.line, lines[i]);
    EXPECT_EQ(out.kept[i].origin.index, i);
    EXPECT_EQ(out.kept[i].origin.byte_offset, offsets[i]);
  }
}

TEST_F(CsvSourceTest, ARowWithTheWrongNumberOfFieldsIsARejectNamingItsLine) {
  const auto path = write("r.csv", "review,stars\nGood,4\nGood, but pricey,3\nfine,5\n");
  const auto out = run({{"path", path}});
  ASSERT_TRUE(out.status.isOk());
  EXPECT_EQ(out.kept.size(), 2u);
  ASSERT_EQ(out.rejects.size(), 1u);
  const Reject& reject = out.rejects[0];
  EXPECT_EQ(reject.kind, "wrong_field_count");
  EXPECT_EQ(reject.origin.line, 3u);
  EXPECT_EQ(reject.origin.index, 1u);
  EXPECT_EQ(reject.reason, "the row has 3 fields but the header has 2 (fields are separated by ','); a field holding "
                           "the delimiter or a line break must be quoted (\"...\")");
  EXPECT_EQ(reject.raw, "Good, but pricey,3");
  EXPECT_TRUE(reject.value.is_null());
  EXPECT_EQ(out.kept[1].origin.index, 2u) << "a reject keeps its index";
}

TEST_F(CsvSourceTest, BrokenQuotingIsARejectAndTheNextRowsStillCount) {
  const auto path = write("r.csv", "a,b\n\"x\"y,1\n2,3\n");
  const auto out = run({{"path", path}});
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "text_after_quote");
  EXPECT_EQ(out.rejects[0].origin.line, 2u);
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].origin.line, 3u);
}

TEST_F(CsvSourceTest, InvalidUtf8IsARejectNamingLineColumnAndByteOffset) {
  const auto path = write("r.csv", "review,stars\nok,1\n\"multi\nline caf\xE9\",2\n");
  const auto out = run({{"path", path}});
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "invalid_utf8");
  EXPECT_EQ(out.rejects[0].origin.line, 3u);
  EXPECT_EQ(out.rejects[0].reason,
            "invalid UTF-8 at line 4, column 9 (byte offset 33): 0xE9 starts a multi-byte character but is followed by "
            "0x22; the input must be UTF-8 (re-save it as UTF-8: Latin-1 or Windows-1252 text shows this)");
}

TEST_F(CsvSourceTest, ABomAndCrLfAreAccepted) {
  const auto path = write("r.csv", "\xEF\xBB\xBFreview,stars\r\nok,1\r\n");
  const auto out = run({{"path", path}});
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value, json({{"review", "ok"}, {"stars", "1"}}));
  EXPECT_EQ(out.kept[0].origin.byte_offset, 17u);
}

TEST_F(CsvSourceTest, TsvByNameOrAnyDelimiterByOption) {
  const auto tsv = write("r.tsv", "review\tstars\nA, B\t4\n");
  auto out = run({{"path", tsv}});
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value, json({{"review", "A, B"}, {"stars", "4"}}));
  const auto semicolons = write("r.csv", "review;stars\nA, B;4\n");
  out = run({{"path", semicolons}, {"delimiter", ";"}});
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value, json({{"review", "A, B"}, {"stars", "4"}}));
  const auto bare = write("bare.tsv", "a\tb\n\"x\t\"y\n");
  out = run({{"path", bare}, {"quoting", "none"}});
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value, json({{"a", "\"x"}, {"b", "\"y"}}));
}

TEST_F(CsvSourceTest, GzipAndZstdInputsAreDecompressed) {
  const std::string text = "review,stars\nok,1\ngood,4\n";
  const auto gz = write("r.csv.gz", ingest::testing::gzipped(text));
  const auto zst = write("r.tsv.zst", ingest::testing::zstded("review\tstars\nok\t1\n"));
  auto out = run({{"path", gz}});
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_EQ(out.kept[1].value, json({{"review", "good"}, {"stars", "4"}}));
  EXPECT_EQ(out.kept[1].origin.line, 3u);
  EXPECT_EQ(out.kept[1].origin.byte_offset, 18u) << "offsets count decompressed bytes";
  out = run({{"path", zst}});
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value, json({{"review", "ok"}, {"stars", "1"}}));
}

TEST_F(CsvSourceTest, ADirectoryOrAGlobIsReadInSortedOrderWithEachFileItsOwnSource) {
  write("in/b.csv", "n\n3\n4\n");
  write("in/a.csv.gz", ingest::testing::gzipped("n\n1\n2\n"));
  write("in/c.txt", "n\nnot read\n");
  auto out = run({{"path", (dir_.path() / "in").string()}});
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  std::vector<std::string> values;
  std::vector<std::string> sources;
  for (const auto& record : out.kept) {
    values.push_back(record.value["n"]);
    sources.push_back(std::filesystem::path(record.origin.source).filename().string());
  }
  EXPECT_THAT(values, ElementsAre("1", "2", "3", "4"));
  EXPECT_THAT(sources, ElementsAre("a.csv.gz", "a.csv.gz", "b.csv", "b.csv"));
  EXPECT_EQ(out.kept[2].origin.index, 0u) << "indexes count within each file";

  out = run({{"path", (dir_.path() / "in" / "*.csv").string()}});
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_EQ(out.kept[0].value["n"], "3");
}

TEST_F(CsvSourceTest, ResultsDoNotDependOnTheBatchSize) {
  std::string text = "q,n\n";
  for (int i = 0; i < 40; ++i) text += (i % 7 == 3 ? "broken\n" : "q" + std::to_string(i) + "," + std::to_string(i % 3) + "\n");
  write("a.csv", text);
  write("b.csv", text);
  const json options = {{"path", (dir_.path() / "*.csv").string()},
                        {"mapping", {{"user", "{q}"}, {"assistant", "{n} {n|thing|things}"}}}};
  const auto reference = run(options, 64);
  ASSERT_EQ(reference.kept.size() + reference.rejects.size(), 80u);
  for (const std::size_t batch : {std::size_t{1}, std::size_t{3}, std::size_t{7}}) {
    const auto out = run(options, batch);
    ASSERT_EQ(out.kept.size(), reference.kept.size());
    ASSERT_EQ(out.rejects.size(), reference.rejects.size());
    for (std::size_t i = 0; i < out.kept.size(); ++i) EXPECT_EQ(out.kept[i].value, reference.kept[i].value);
  }
}

TEST_F(CsvSourceTest, ATemplateMappingMakesChatExamplesWithPlurals) {
  const auto path = write("r.csv", "review,stars,lang\nBroke in a week,1,en\nÓtimo produto,5,pt\n");
  const auto out = run({{"path", path}, {"mapping", kReviewMapping}});
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_EQ(out.kept[0].value["messages"],
            json::parse(R"([{"role":"system","content":"Rate the review."},
                            {"role":"user","content":"Review: Broke in a week"},
                            {"role":"assistant","content":"Rating: 1 star"}])"));
  EXPECT_EQ(out.kept[1].value["messages"][2]["content"], "Rating: 5 stars");
  EXPECT_EQ(out.kept[1].origin.line, 3u);
}

TEST_F(CsvSourceTest, ARowTheMappingCannotReadIsARejectKeepingTheRow) {
  const auto path = write("r.csv", "review,stars\ngood,4\nbad,\nok,2\n");
  const auto out = run({{"path", path}, {"mapping", kReviewMapping}});
  EXPECT_EQ(out.kept.size(), 2u);
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "plural_not_number");
  EXPECT_EQ(out.rejects[0].origin.line, 3u);
  EXPECT_EQ(out.rejects[0].reason, "mapping.assistant: field 'stars' is a string \"\", not a number, so "
                                   "{stars|star|stars} cannot choose between 'star' and 'stars'");
  EXPECT_EQ(out.rejects[0].value, json({{"review", "bad"}, {"stars", ""}}));
}

TEST_F(CsvSourceTest, LegacyPromptCompletionOutput) {
  const auto path = write("r.csv", "prompt,completion\n2+2?,4\n");
  const auto out = run({{"path", path}, {"mapping", {{"preset", "prompt_completion"}, {"output", "prompt_completion"}}}});
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value, json({{"prompt", "2+2?"}, {"completion", "4"}}));
}

TEST_F(CsvSourceTest, AMappingNeedingAMissingColumnIsAConfigErrorBeforeTheRun) {
  const auto path = write("r.csv", "review_text,rating\nok,1\n");
  const Status status = refusal({{"path", path}, {"mapping", kReviewMapping}});
  EXPECT_EQ(status.code(), StatusCode::kConfigError);
  EXPECT_EQ(status.pointer(), "/mapping/user");
  EXPECT_EQ(status.message(), "'" + path +
                                  "' has no column 'review' (needed by mapping.user) nor 'stars' (needed by "
                                  "mapping.assistant); its columns are 'review_text', 'rating'; did you mean "
                                  "'review_text'?");
}

TEST_F(CsvSourceTest, TheSampleCheckLooksAtEveryInputAndAtValues) {
  write("in/a.csv", "review,stars\nok,1\n");
  write("in/b.csv", "review,score\nok,1\n");
  Status status = refusal({{"path", (dir_.path() / "in").string()}, {"mapping", kReviewMapping}});
  EXPECT_EQ(status.pointer(), "/mapping/assistant");
  EXPECT_THAT(status.message(), HasSubstr("b.csv' has no column 'stars'"));

  const auto words = write("words.csv", "review,stars\nok,five\nmeh,two\n");
  status = refusal({{"path", words}, {"mapping", kReviewMapping}});
  EXPECT_EQ(status.pointer(), "/mapping/assistant");
  EXPECT_THAT(status.message(), HasSubstr("the mapping fits none of the first 2 records"));
  EXPECT_THAT(status.message(), HasSubstr(":2 (record #0), says: mapping.assistant: field 'stars' is a string \"five\""));

  // sample_records: 0 still checks the header, but tries no values.
  EXPECT_TRUE(run({{"path", words}, {"mapping", kReviewMapping}, {"sample_records", 0}}).status.isOk());
}

TEST_F(CsvSourceTest, HeaderProblemsAreConfigErrors) {
  Status status = refusal({{"path", write("dup.csv", "a,b,a\n1,2,3\n")}});
  EXPECT_EQ(status.pointer(), "/path");
  EXPECT_THAT(status.message(), HasSubstr("names the column 'a' twice (fields 1 and 3)"));
  status = refusal({{"path", write("open.csv", "\"a,b\n1,2\n")}});
  EXPECT_THAT(status.message(), HasSubstr("cannot be read: the quoted field opened at line 1, column 1"));
  status = refusal({{"path", write("ok.csv", "a,b\n1,2\n")}, {"header", false}});
  EXPECT_EQ(status.pointer(), "/header");
  status = refusal({{"path", write("ok2.csv", "a,b\n1,2\n")}, {"columns", {"x", "y", "z"}}});
  EXPECT_EQ(status.pointer(), "/columns");
  EXPECT_THAT(status.message(), HasSubstr("'columns' names 3 columns but the header row"));
  status = refusal({{"path", write("ok3.csv", "a\n")}, {"delimiter", "\""}});
  EXPECT_EQ(status.pointer(), "/delimiter");
  status = refusal({{"path", write("ok4.csv", "a\n")}, {"delimiter", "é"}});
  EXPECT_THAT(status.message(), HasSubstr("must be one ASCII character"));
  status = refusal({{"path", (dir_.path() / "none" / "*.csv").string()}});
  EXPECT_EQ(status.pointer(), "/path");
  EXPECT_THAT(status.message(), HasSubstr("no file matches the glob"));
  status = refusal({{"path", write("plain.csv.gz", "a,b\n")}});
  EXPECT_EQ(status.code(), StatusCode::kDataError);
  EXPECT_THAT(status.message(), HasSubstr("is named like a gzip file"));
}

TEST_F(CsvSourceTest, ColumnsNameTheFieldsOfAFileWithoutHeader) {
  const auto path = write("r.csv", "Great,5\nBad,1\n");
  const auto out = run({{"path", path}, {"header", false}, {"columns", {"review", "stars"}}});
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_EQ(out.kept[0].value, json({{"review", "Great"}, {"stars", "5"}}));
  EXPECT_EQ(out.kept[0].origin.line, 1u);
  const auto renamed = run({{"path", write("h.csv", "x,y\nGreat,5\n")}, {"columns", {"review", "stars"}}});
  ASSERT_EQ(renamed.kept.size(), 1u);
  EXPECT_EQ(renamed.kept[0].value, json({{"review", "Great"}, {"stars", "5"}}));
}

TEST_F(CsvSourceTest, EmptyFilesAndBlankLinesGiveNoRecords) {
  auto out = run({{"path", write("empty.csv", "")}, {"mapping", kReviewMapping}});
  EXPECT_TRUE(out.status.isOk());
  EXPECT_TRUE(out.kept.empty());
  out = run({{"path", write("blank.csv", "a\n\n1\n\n")}});
  EXPECT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(context().counter("blank_lines_skipped"), 2);
  EXPECT_EQ(context().counter("files_read"), 1);
}

TEST_F(CsvSourceTest, UnknownOptionsAreRefusedByTheSchema) {
  EXPECT_THROW((StageHarness{CsvSource::info(), R"({"path": "x.csv", "delimeter": ";"})"}), std::invalid_argument);
  EXPECT_THROW((StageHarness{CsvSource::info(), R"({"path": "x.csv", "mapping": {"preset": "csv"}})"}),
               std::invalid_argument);
}

}  // namespace
}  // namespace ajuste::ingest_file
