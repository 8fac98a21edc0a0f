#include "jsonl_source.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "ajuste/testing/recording_context.hpp"
#include "ajuste/testing/stage_harness.hpp"
#include "source_harness.hpp"

namespace ajuste::ingest_jsonl {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::StageHarness;
using testing::StageOutput;

class JsonlSourceTest : public ingest::testing::SourceTest<JsonlSource> {
 protected:
  // Options as JSON text, for the tests of what the schema refuses.
  static std::string options(const std::string& path, const std::string& extra = "") {
    return R"({"path": ")" + path + "\"" + extra + "}";
  }

  // Reads a whole file straight through the stage, with a chosen read buffer size.
  // The records' values are built (as StageHarness::runSource does) unless `as_made`.
  static StageOutput readAll(const std::string& path, std::size_t buffer_bytes, std::size_t batch_size,
                             std::uint64_t max_line_bytes = std::uint64_t{64} << 20, bool as_made = false) {
    JsonlSettings settings;
    settings.format.max_line_bytes = max_line_bytes;
    settings.buffer_bytes = buffer_bytes;
    const ingest::InputFile input{path, path, std::filesystem::file_size(path)};
    JsonlSource source(settings, {input}, std::nullopt);
    testing::RecordingContext ctx("ingest/jsonl");
    StageOutput out;
    for (bool more = true; more;) {
      Batch batch(batch_size);
      auto read = source.read(batch, ctx);
      EXPECT_TRUE(read.ok());
      more = read.ok() && *read;
      EXPECT_TRUE(source.decode(batch, ctx).isOk());
      for (Reject& r : batch.takeRejects()) out.rejects.push_back(std::move(r));
      for (Record& r : batch.takeLive()) {
        if (!as_made) ensureValue(r);
        out.kept.push_back(std::move(r));
      }
    }
    return out;
  }

  static const Reject& rejectAtLine(const StageOutput& out, std::uint64_t line) {
    const auto it = std::find_if(out.rejects.begin(), out.rejects.end(),
                                 [&](const Reject& r) { return r.origin.line == line; });
    EXPECT_NE(it, out.rejects.end()) << "no reject at line " << line;
    return *it;
  }
};

// Without a mapping, a record goes on as its line's text — key order, spacing and escapes as
// written, the whitespace around the object left out — and no value is built for it.
TEST_F(JsonlSourceTest, RecordsGoOnAsTheTextOfTheirLine) {
  const std::string first = R"({"role": "user",  "content":"caf\u00e9 \/ \"x\"", "n": 1.50})";
  const auto path = write("t.jsonl", first + "\r\n  {\"b\":[1, 2]}\t\n[1]\n");
  const auto out = readAll(path, 1 << 16, 8, std::uint64_t{64} << 20, /*as_made=*/true);
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_TRUE(isTextOnly(out.kept[0]));
  EXPECT_EQ(out.kept[0].text, first);
  EXPECT_EQ(out.kept[1].text, R"({"b":[1, 2]})");
  EXPECT_TRUE(out.kept[0].raw.empty());
  ASSERT_EQ(out.rejects.size(), 1u);  // the array line is still not an object
  EXPECT_EQ(out.rejects[0].kind, "not_object");
  Record record = out.kept[0];
  ensureValue(record);
  EXPECT_EQ(record.value, nlohmann::json::parse(first));
}

// nlohmann::json::parse stops at a NUL byte as if the input ended there: without this check the
// line below would quietly lose its second half.
TEST_F(JsonlSourceTest, ANulByteMakesTheLineInvalidNotShorter) {
  const auto path = write("nul.jsonl", std::string("{\"a\":1}") + '\0' + "{\"b\":2}\n{\"c\":3}\n");
  const auto out = run({{"path", path}});
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value, nlohmann::json({{"c", 3}}));
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "invalid_json");
  EXPECT_THAT(out.rejects[0].reason, HasSubstr("line 1, column 8: a NUL byte (0x00)"));
}

TEST_F(JsonlSourceTest, AMappedRecordIsAValueNotText) {
  const auto path = write("m.jsonl", R"({"prompt": "2+2?", "completion": "4"})" "\n");
  const auto out = run({{"path", path}, {"mapping", {{"preset", "prompt_completion"}}}});
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_TRUE(out.kept[0].text.empty());
  EXPECT_TRUE(out.kept[0].value.contains("messages"));
}

TEST_F(JsonlSourceTest, ReadsOneRecordPerLineWithProvenance) {
  const auto path = write("a.jsonl", "{\"a\":1}\n{\"b\":\"x\"}\n{\"c\":[]}\n");
  const auto out = run({{"path", path}});
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  ASSERT_EQ(out.kept.size(), 3u);
  EXPECT_TRUE(out.rejects.empty());
  EXPECT_EQ(out.kept[0].value, nlohmann::json({{"a", 1}}));
  EXPECT_EQ(out.kept[1].value, nlohmann::json({{"b", "x"}}));
  EXPECT_EQ(out.kept[2].value, nlohmann::json::parse(R"({"c":[]})"));
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(out.kept[i].origin.source, path);
    EXPECT_EQ(out.kept[i].origin.line, i + 1);
    EXPECT_EQ(out.kept[i].origin.index, i);
    EXPECT_TRUE(out.kept[i].raw.empty()) << "decode must release the raw text";
  }
  EXPECT_EQ(out.kept[0].origin.byte_offset, 0u);
  EXPECT_EQ(out.kept[1].origin.byte_offset, 8u);
  EXPECT_EQ(out.kept[2].origin.byte_offset, 18u);
  EXPECT_EQ(context().lastProgress(), 27u);
}

TEST_F(JsonlSourceTest, HandlesBomCrlfAndALastLineWithoutNewline) {
  const auto path = write("crlf.jsonl", "\xEF\xBB\xBF{\"a\":1}\r\n{\"b\":2}\r\n{\"c\":3}");
  const auto out = run({{"path", path}});
  ASSERT_TRUE(out.status.isOk());
  ASSERT_EQ(out.kept.size(), 3u);
  EXPECT_TRUE(out.rejects.empty());
  EXPECT_EQ(out.kept[0].value, nlohmann::json({{"a", 1}}));
  EXPECT_EQ(out.kept[0].origin.byte_offset, 3u);  // after the BOM
  EXPECT_EQ(out.kept[1].origin.byte_offset, 12u);
  EXPECT_EQ(out.kept[2].value, nlohmann::json({{"c", 3}}));
  EXPECT_EQ(out.kept[2].origin.line, 3u);
  EXPECT_EQ(out.kept[2].origin.byte_offset, 21u);
  EXPECT_EQ(context().lastProgress(), 28u);
}

TEST_F(JsonlSourceTest, EmptyFileGivesNoRecords) {
  const auto path = write("empty.jsonl", "");
  const auto out = run({{"path", path}});
  EXPECT_TRUE(out.status.isOk());
  EXPECT_TRUE(out.kept.empty());
  EXPECT_TRUE(out.rejects.empty());
}

TEST_F(JsonlSourceTest, SkipsBlankLinesCountingThemButKeepsLineNumbers) {
  const auto path = write("blank.jsonl", "\n{\"a\":1}\n   \n\r\n{\"b\":2}\n\t\n");
  const auto out = run({{"path", path}});
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_TRUE(out.rejects.empty());
  EXPECT_EQ(out.kept[0].origin.line, 2u);
  EXPECT_EQ(out.kept[0].origin.index, 0u);
  EXPECT_EQ(out.kept[1].origin.line, 5u);
  EXPECT_EQ(out.kept[1].origin.index, 1u);
  EXPECT_EQ(context().counter("blank_lines_skipped"), 4);
}

TEST_F(JsonlSourceTest, RejectsBlankLinesWhenAsked) {
  const auto path = write("blank.jsonl", "{\"a\":1}\n\n{\"b\":2}\n");
  const auto out = run({{"path", path}, {"blank_lines", "reject"}});
  ASSERT_EQ(out.kept.size(), 2u);
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "blank_line");
  EXPECT_EQ(out.rejects[0].reason, "blank line; remove it or set blank_lines: skip to ignore blank lines");
  EXPECT_EQ(out.rejects[0].origin.line, 2u);
  EXPECT_EQ(out.rejects[0].origin.index, 1u);
  EXPECT_EQ(out.kept[1].origin.index, 2u);
  EXPECT_EQ(context().counter("blank_lines_skipped"), 0);
}

TEST_F(JsonlSourceTest, RejectsInvalidJsonWithTheParserMessageAndColumn) {
  const auto path = write("bad.jsonl", "{\"a\":1}\n{\"a\": 1,}\n{\"messages\": [\n{\"x\": 1e999}\n");
  const auto out = run({{"path", path}});
  ASSERT_EQ(out.kept.size(), 1u);
  ASSERT_EQ(out.rejects.size(), 3u);
  const Reject& trailing = rejectAtLine(out, 2);
  EXPECT_EQ(trailing.kind, "invalid_json");
  EXPECT_EQ(trailing.reason,
            "invalid JSON at line 2, column 9: syntax error while parsing object key - unexpected '}'; expected "
            "string "
            "literal; each line must be one complete JSON object");
  EXPECT_EQ(trailing.raw, "{\"a\": 1,}");
  EXPECT_TRUE(trailing.value.is_null());
  EXPECT_EQ(trailing.origin.index, 1u);
  const Reject& truncated = rejectAtLine(out, 3);
  EXPECT_EQ(truncated.kind, "invalid_json");
  EXPECT_THAT(truncated.reason, StartsWith("invalid JSON at line 3, column 15: syntax error while parsing value - "
                                           "unexpected end of input"));
  const Reject& overflow = rejectAtLine(out, 4);
  EXPECT_EQ(overflow.kind, "invalid_json");
  EXPECT_THAT(overflow.reason, HasSubstr("number overflow parsing '1e999'"));
}

TEST_F(JsonlSourceTest, RejectsLinesThatAreNotObjects) {
  const auto path = write("types.jsonl", "[1,2]\n42\n\"text\"\nnull\ntrue\n{}\n");
  const auto out = run({{"path", path}});
  ASSERT_EQ(out.kept.size(), 1u);
  ASSERT_EQ(out.rejects.size(), 5u);
  const char* const kinds[] = {"a JSON array", "a JSON number", "a JSON string", "JSON null", "a JSON boolean"};
  for (std::uint64_t line = 1; line <= 5; ++line) {
    const Reject& r = rejectAtLine(out, line);
    EXPECT_EQ(r.kind, "not_object");
    EXPECT_EQ(r.reason, std::string("line is ") + kinds[line - 1] +
                            ", expected an object; each line must be one JSON object such as {\"messages\": [...]}");
  }
  EXPECT_EQ(out.rejects[0].reason.substr(0, 41), "line is a JSON array, expected an object;");
}

TEST_F(JsonlSourceTest, RejectsInvalidUtf8NamingTheLineColumnAndFileOffset) {
  // Line 2 is Latin-1 ("café" with é = 0xE9), as an old export would produce.
  const auto path = write("latin1.jsonl", "{\"a\":1}\n{\"t\":\"caf\xE9\"}\n{\"t\":\"caf\xC3\xA9\"}\n");
  const auto out = run({{"path", path}});
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_EQ(out.kept[1].value["t"], "caf\xC3\xA9");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "invalid_utf8");
  EXPECT_EQ(out.rejects[0].origin.line, 2u);
  EXPECT_EQ(out.rejects[0].reason,
            "invalid UTF-8 at line 2, column 10 (byte offset 17): 0xE9 starts a multi-byte character but is "
            "followed by 0x22; the input must be UTF-8 (re-save it as UTF-8: Latin-1 or Windows-1252 text shows "
            "this)");
  EXPECT_EQ(out.rejects[0].raw, "{\"t\":\"caf\xE9\"}");
}

TEST_F(JsonlSourceTest, RejectsLinesNestedDeeperThan512LevelsWithoutBuildingThem) {
  const auto nested = [](std::size_t arrays) {
    return "{\"a\": " + std::string(arrays, '[') + "1" + std::string(arrays, ']') + ", \"s\": \"[[[\"}";
  };
  // 1 object + 511 arrays is 512 levels: kept, and exactly what nlohmann reads. One more is not.
  const auto path = write("deep.jsonl", nested(511) + "\n" + nested(512) + "\n" + nested(200000) + "\n" +
                                            std::string(300000, '[') + "\n");
  const auto out = run({{"path", path}});
  ASSERT_TRUE(out.status.isOk());
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value, nlohmann::json::parse(nested(511)));
  ASSERT_EQ(out.rejects.size(), 3u);
  for (std::uint64_t line = 2; line <= 4; ++line) {
    const Reject& r = rejectAtLine(out, line);
    EXPECT_EQ(r.kind, "too_deep");
    EXPECT_EQ(r.reason, "the line nests arrays and objects deeper than 512 levels; no training example needs that "
                        "many, and later stages could not handle it");
  }
}

TEST_F(JsonlSourceTest, RejectsAnOverLongLineWithoutKeepingIt) {
  const std::string huge = "{\"t\":\"" + std::string(100000, 'x') + "\"}";
  const std::string exact = "{\"t\":\"01234567\"}";  // 16 bytes: exactly the limit, with a \r\n ending
  const auto path = write("long.jsonl", "{\"a\":1}\n" + huge + "\n" + exact + "\r\n{\"b\":2}");
  const auto out = run({{"path", path}, {"max_line_bytes", 16}});
  ASSERT_TRUE(out.status.isOk());
  ASSERT_EQ(out.kept.size(), 3u);
  EXPECT_EQ(out.kept[1].value["t"], "01234567");
  EXPECT_EQ(out.kept[2].origin.line, 4u);
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "line_too_long");
  EXPECT_EQ(out.rejects[0].origin.line, 2u);
  EXPECT_EQ(out.rejects[0].origin.byte_offset, 8u);
  EXPECT_EQ(out.rejects[0].reason,
            "line is 100008 bytes long, more than max_line_bytes (16); only its first bytes are kept here. Raise "
            "max_line_bytes if the line is a real example, or check that the file really has one JSON object per "
            "line");
  EXPECT_EQ(out.rejects[0].raw, huge.substr(0, 17));
}

TEST_F(JsonlSourceTest, SameRecordsWhateverTheBatchAndBufferSizes) {
  std::string text = "\xEF\xBB\xBF";
  for (int i = 0; i < 23; ++i) {
    text += i % 5 == 3 ? std::string("\r\n") : "{\"i\":" + std::to_string(i) + ",\"t\":\"na\xC3\xAFve\"}";
    text += i % 2 == 0 ? "\r\n" : "\n";
  }
  text += "[1]\n{\"last\":true}";
  const auto path = write("mixed.jsonl", text);
  const StageOutput reference = readAll(path, 1 << 20, 1000);
  ASSERT_EQ(reference.kept.size(), 20u);
  ASSERT_EQ(reference.rejects.size(), 1u);
  EXPECT_EQ(reference.kept.back().value, nlohmann::json({{"last", true}}));
  for (std::size_t buffer : {1u, 2u, 3u, 5u, 7u, 16u, 31u}) {
    for (std::size_t batch : {1u, 2u, 7u}) {
      const StageOutput out = readAll(path, buffer, batch);
      ASSERT_EQ(out.kept.size(), reference.kept.size()) << "buffer " << buffer << " batch " << batch;
      for (std::size_t i = 0; i < out.kept.size(); ++i) {
        EXPECT_EQ(out.kept[i].value, reference.kept[i].value);
        EXPECT_EQ(out.kept[i].origin.line, reference.kept[i].origin.line);
        EXPECT_EQ(out.kept[i].origin.index, reference.kept[i].origin.index);
        EXPECT_EQ(out.kept[i].origin.byte_offset, reference.kept[i].origin.byte_offset);
      }
      ASSERT_EQ(out.rejects.size(), 1u);
      EXPECT_EQ(out.rejects[0].origin.line, reference.rejects[0].origin.line);
    }
  }
}

// Lines are parsed with simdjson and the value built from its DOM; the value must be exactly the
// one nlohmann::json::parse makes (types included), and what simdjson refuses goes to nlohmann.
TEST_F(JsonlSourceTest, ValuesAreExactlyWhatNlohmannParses) {
  const std::vector<std::string> lines = {
      R"({"a":1,"b":-2,"c":18446744073709551615,"d":-9223372036854775808,"e":0,"f":1.5,"g":-0.0})",
      R"({"zero":-0,"other":0})",                                     // nlohmann keeps -0 a signed integer
      R"({"big":18446744073709551616,"neg":-9223372036854775809})",  // beyond 64 bits: doubles
      R"({"k":1,"k":2,"n":{"k":[1,{"k":3}]}})",                       // duplicate keys: the last wins
      R"({"s":"\u00e9\ud83d\ude00\n\t\"\\\/","u":"\u0000","empty":"","t":true,"f":false,"z":null})",
      R"({"deep":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]],"arr":[],"obj":{}})",
      "\xEF\xBB\xBF{\"bom\":\"not on line 1\"}",  // nlohmann skips a BOM here, simdjson refuses it
      R"(  {"spaced" : [ 1 , 2 ] }  )",
      R"({"exp":1E+2,"small":4.9e-324,"tiny":1e-400,"long":123456789012345678901234567890.5})",
  };
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  const auto path = write("exact.jsonl", text);
  for (const std::size_t buffer : {std::size_t{1} << 20, std::size_t{7}}) {
    const StageOutput out = readAll(path, buffer, 4);
    ASSERT_EQ(out.kept.size(), lines.size()) << "buffer " << buffer;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const nlohmann::json expected = nlohmann::json::parse(lines[i]);
      EXPECT_EQ(out.kept[i].value, expected) << lines[i];
      EXPECT_EQ(out.kept[i].value.dump(), expected.dump()) << lines[i];
      for (const auto& [key, value] : expected.items()) {
        EXPECT_EQ(out.kept[i].value.at(key).type(), value.type()) << lines[i] << " key " << key;
      }
    }
  }
}

TEST_F(JsonlSourceTest, HarnessBatchBoundariesKeepOrderAndIndexes) {
  std::string text;
  for (int i = 0; i < 10; ++i) text += i == 4 ? "oops\n" : "{\"i\":" + std::to_string(i) + "}\n";
  const auto path = write("ten.jsonl", text);
  const auto out = run({{"path", path}}, 3);
  ASSERT_EQ(out.kept.size(), 9u);
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].origin.line, 5u);
  EXPECT_EQ(out.rejects[0].origin.index, 4u);
  for (std::size_t k = 0; k < out.kept.size(); ++k) {
    const std::uint64_t i = k < 4 ? k : k + 1;
    EXPECT_EQ(out.kept[k].value["i"], i);
    EXPECT_EQ(out.kept[k].origin.line, i + 1);
  }
}

TEST_F(JsonlSourceTest, RelativePathIsResolvedByTheContextAndKeptAsWrittenInProvenance) {
  write("rel.jsonl", "{\"a\":1}\n");
  testing::RecordingContext ctx("ingest/jsonl");
  ctx.setBaseDir(dir_.path());
  auto made = JsonlSource::info().make(nlohmann::json{{"path", "rel.jsonl"}}, ctx);
  ASSERT_TRUE(made.ok()) << made.error().toString();
  Batch batch(8);
  auto read = (*made)->asSource()->read(batch, ctx);
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE((*made)->asSource()->decode(batch, ctx).isOk());
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch.begin()->origin.source, "rel.jsonl");
}

TEST_F(JsonlSourceTest, MissingFileIsAConfigErrorAtThePathOption) {
  testing::RecordingContext ctx("ingest/jsonl");
  ctx.setBaseDir(dir_.path());
  auto made = JsonlSource::info().make(nlohmann::json{{"path", "data/nope.jsonl"}}, ctx);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code(), StatusCode::kConfigError);
  EXPECT_EQ(made.error().pointer(), "/path");
  EXPECT_EQ(made.error().message(), "input 'data/nope.jsonl' (resolved to '" + (dir_.path() / "data/nope.jsonl").string() +
                                        "') does not exist; a relative path starts from the folder of the pipeline "
                                        "file, and a directory or a glob ('data/*.jsonl') names several files");
  EXPECT_THROW(StageHarness(JsonlSource::info(), options((dir_.path() / "nope.jsonl").string())), std::invalid_argument);
}

TEST_F(JsonlSourceTest, UnreadableFileIsAnIoError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can read any file";
  const auto path = write("secret.jsonl", "{}\n");
  std::filesystem::permissions(path, std::filesystem::perms::none);
  testing::RecordingContext ctx("ingest/jsonl");
  auto made = JsonlSource::info().make(nlohmann::json{{"path", path}}, ctx);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().message(), "cannot open input file '" + path +
                                        "': Permission denied; make the file readable by the user running ajuste");
}

TEST_F(JsonlSourceTest, BadOptionsAreRefusedByTheSchema) {
  const auto path = write("ok.jsonl", "{}\n");
  EXPECT_THROW(StageHarness(JsonlSource::info(), "{}"), std::invalid_argument);
  EXPECT_THROW(StageHarness(JsonlSource::info(), options(path, R"(, "blank_lines": "keep")")), std::invalid_argument);
  EXPECT_THROW(StageHarness(JsonlSource::info(), options(path, R"(, "max_line_bytes": 0)")), std::invalid_argument);
  EXPECT_THROW(StageHarness(JsonlSource::info(), options(path, R"(, "max_line_bytes": "1MB")")), std::invalid_argument);
  EXPECT_THROW(StageHarness(JsonlSource::info(), options(path, R"(, "paths": "x")")), std::invalid_argument);
  EXPECT_THROW(StageHarness(JsonlSource::info(), R"({"path": 3})"), std::invalid_argument);
  EXPECT_NO_THROW(StageHarness(JsonlSource::info(), options(path, R"(, "blank_lines": "reject")")));
}

TEST(JsonlSourceInfo, DescribesItself) {
  const StageInfo& info = JsonlSource::info();
  EXPECT_EQ(info.name, "ingest/jsonl");
  EXPECT_EQ(info.kind, StageKind::kSource);
  EXPECT_TRUE(info.parallel);
  const auto schema = nlohmann::json::parse(info.options_schema);
  for (const auto& [name, property] : schema.at("properties").items()) {
    EXPECT_TRUE(property.contains("description")) << name;
  }
  const auto checked = testing::checkOptions(info, nlohmann::json{{"path", "x.jsonl"}});
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked->at("blank_lines"), "skip");
  EXPECT_EQ(checked->at("max_line_bytes"), 67108864);
}

}  // namespace
}  // namespace ajuste::ingest_jsonl
