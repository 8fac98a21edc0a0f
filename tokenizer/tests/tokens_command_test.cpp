#include "tokens_command.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ajuste {
namespace {

using ::testing::HasSubstr;

struct Result {
  int code;
  std::string out;
  std::string err;
};

// Designated initializers would trip GCC's -Wmissing-field-initializers for the omitted fields.
TokensCommandOptions opts(std::string encoding = "o200k_base", bool ids = false, bool jsonLines = false,
                          std::string file = "") {
  TokensCommandOptions o;
  o.encoding = std::move(encoding);
  o.ids = ids;
  o.json_lines = jsonLines;
  o.file = std::move(file);
  return o;
}

Result runTool(const TokensCommandOptions& options, const std::string& input) {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  const int code = runTokensCommand(options, in, out, err);
  return {code, out.str(), err.str()};
}

TEST(TokensCommand, CountsEachLineIncludingALastLineWithoutNewline) {
  const Result r = runTool(opts("cl100k_base", false, false), "tiktoken is great!\n2 + 2 = 4\n\nlast");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "6\n7\n0\n1\n");
  EXPECT_EQ(r.err, "");
}

TEST(TokensCommand, PrintsIdsAsJsonArrays) {
  const Result r = runTool(opts("cl100k_base", true, false), "tiktoken is great!\n\n");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "[83,1609,5963,374,2294,0]\n[]\n");
}

TEST(TokensCommand, PlainModeDropsTheCrOfCrlfLineEndings) {
  const Result crlf = runTool(opts("cl100k_base", true, false), "1 2 3 4 5\r\nx\r\n");
  const Result lf = runTool(opts("cl100k_base", true, false), "1 2 3 4 5\nx\n");
  EXPECT_EQ(crlf.out, lf.out);
  EXPECT_EQ(lf.out, "[16,220,17,220,18,220,19,220,20]\n[87]\n");
}

TEST(TokensCommand, JsonLinesKeepNewlinesAndCarriageReturnsInsideTexts) {
  const Result r = runTool(opts("o200k_base", true, true),
                    "\"a\\r\\n\"\r\n  \"tiktoken is great!\"  \n\"\"\n");
  EXPECT_EQ(r.code, 0);
  const Result plain = runTool(opts("o200k_base", true, false), "tiktoken is great!\n");
  EXPECT_THAT(r.out, HasSubstr(plain.out));
  EXPECT_THAT(r.out, testing::EndsWith("\n[]\n"));
}

TEST(TokensCommand, JsonLinesDecodeEscapesAndSurrogates) {
  // "\ud83d\ude00" is one emoji; a lone "\ud800" becomes U+FFFD like in tiktoken's JS binding.
  const Result pair = runTool(opts("o200k_base", true, true), "\"\\ud83d\\ude00\"\n");
  const Result raw = runTool(opts("o200k_base", true, false), "\xf0\x9f\x98\x80\n");
  EXPECT_EQ(pair.out, raw.out);
  const Result lone = runTool(opts("o200k_base", true, true), "\"\\ud800x\"\n");
  const Result replacement = runTool(opts("o200k_base", true, false), "\xef\xbf\xbdx\n");
  EXPECT_EQ(lone.out, replacement.out);
  const Result escapes = runTool(opts("o200k_base", true, true), "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"\n");
  const Result same = runTool(opts("o200k_base", true, true), "\"\\\"\\\\/\\b\\f\\n\\r\\t\xc3\xa9\"\n");
  EXPECT_EQ(escapes.out, same.out);
  EXPECT_EQ(escapes.code, 0);
}

TEST(TokensCommand, BadJsonLinesAreReportedAndSkipped) {
  const Result r = runTool(opts("o200k_base", false, true), "\"ok\"\n42\n\"open\n\"a\" x\n\n\"\\q\"\n\"fine\"");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "1\nnull\nnull\nnull\nnull\nnull\n1\n");
  EXPECT_THAT(r.err, HasSubstr("line 2: expected a JSON string"));
  EXPECT_THAT(r.err, HasSubstr("line 3: unterminated JSON string"));
  EXPECT_THAT(r.err, HasSubstr("line 4: unexpected characters after the JSON string"));
  EXPECT_THAT(r.err, HasSubstr("line 5: empty line"));
  EXPECT_THAT(r.err, HasSubstr("line 6: bad escape"));
}

TEST(TokensCommand, UnknownEncodingIsAUsageError) {
  const Result r = runTool(opts("p50k_base", false, false), "x\n");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("unknown encoding 'p50k_base'"));
}

TEST(TokensCommand, UnreadableFileIsAUsageError) {
  const Result r = runTool(opts("o200k_base", false, false, "/nonexistent/dir/input.txt"), "");
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("cannot read '/nonexistent/dir/input.txt'"));
}

TEST(TokensCommand, ReadsAFileAndDashMeansStdin) {
  const auto path = std::filesystem::temp_directory_path() / "ajuste_tokens_command_test.txt";
  {
    std::ofstream f(path, std::ios::binary);
    f << "hello world\n";
  }
  const Result fromFile = runTool(opts("o200k_base", false, false, path.string()), "ignored\nignored\n");
  std::filesystem::remove(path);
  EXPECT_EQ(fromFile.code, 0);
  EXPECT_EQ(fromFile.out, "2\n");
  EXPECT_EQ(runTool(opts("o200k_base", false, false, "-"), "hello world\n").out, "2\n");
}

TEST(TokensCommand, InvalidUtf8DoesNotFail) {
  const Result r = runTool(opts("o200k_base", true, false), "caf\xc3\n\xff\xfe\n");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2);
}

}  // namespace
}  // namespace ajuste
