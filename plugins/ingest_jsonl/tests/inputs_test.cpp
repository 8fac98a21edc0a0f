// ingest/jsonl over several inputs: directories, globs, gzip and zstd, and their errors.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/recording_context.hpp"
#include "ajuste/testing/stage_harness.hpp"
#include "compress.hpp"
#include "jsonl_source.hpp"
#include "source_harness.hpp"

namespace ajuste::ingest_jsonl {
namespace {

using ::testing::HasSubstr;
using ajuste::testing::StageOutput;
using nlohmann::json;

// Two good lines, a blank one, a broken one and a last line without '\n': every way a line ends.
constexpr const char* kText = "{\"n\": 1}\n\n{\"n\": 2, \"t\": \"na\xC3\xAFve\"}\r\n{oops\n{\"n\": 3}";

class JsonlInputsTest : public ingest::testing::SourceTest<JsonlSource> {
 protected:
  // Relative paths start from the scratch folder.
  Status refusal(const json& options) {
    return ingest::testing::factoryRefusal(JsonlSource::info(), options, dir_.path());
  }

  static std::vector<std::string> sources(const StageOutput& out) {
    std::vector<std::string> names;
    for (const Record& record : out.kept) names.push_back(record.origin.source);
    return names;
  }
};

TEST_F(JsonlInputsTest, ADirectoryIsReadInNameOrderWithPerFileProvenance) {
  write("d/b.ndjson", "{\"f\": \"b\"}\n");
  write("d/a.jsonl", "{\"f\": \"a\", \"i\": 0}\n\n{\"f\": \"a\", \"i\": 1}\n");
  write("d/c.jsonl.gz", ingest::testing::gzipped("{\"f\": \"c\"}\n"));
  write("d/notes.txt", "not JSON Lines");
  write("d/.hidden.jsonl", "{\"f\": \"hidden\"}\n");
  write("d/sub/inner.jsonl", "{\"f\": \"inner\"}\n");
  const auto out = run({{"path", (dir_.path() / "d").string()}}, 1);
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  ASSERT_EQ(out.kept.size(), 4u);
  const std::string d = (dir_.path() / "d").string() + "/";
  EXPECT_EQ(sources(out), (std::vector<std::string>{d + "a.jsonl", d + "a.jsonl", d + "b.ndjson", d + "c.jsonl.gz"}));
  EXPECT_EQ(out.kept[1].value, json({{"f", "a"}, {"i", 1}}));
  EXPECT_EQ(out.kept[1].origin.line, 3u);
  EXPECT_EQ(out.kept[1].origin.index, 1u);
  // Lines, indexes and offsets start again in every file.
  EXPECT_EQ(out.kept[2].origin.line, 1u);
  EXPECT_EQ(out.kept[2].origin.index, 0u);
  EXPECT_EQ(out.kept[2].origin.byte_offset, 0u);
  EXPECT_EQ(out.kept[3].value, json({{"f", "c"}}));
  EXPECT_EQ(context().counter("files_read"), 3);
}

TEST_F(JsonlInputsTest, ARelativeGlobIsSortedByPathAndKeepsTheUsersSpelling) {
  write("exports/2024-02/part-1.jsonl", "{\"n\": 3}\n");
  write("exports/2024-01/part-2.jsonl", "{\"n\": 2}\n");
  write("exports/2024-01/part-1.jsonl", "{\"n\": 1}\n");
  write("exports/2024-01/part-1.csv", "n\n9\n");
  testing::RecordingContext ctx("ingest/jsonl");
  ctx.setBaseDir(dir_.path());
  auto made = JsonlSource::info().make(json{{"path", "exports/*/part-?.jsonl"}}, ctx);
  ASSERT_TRUE(made.ok()) << made.error().toString();
  Batch batch(16);
  auto read = (*made)->asSource()->read(batch, ctx);
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(*read) << "one batch holds the three lines";
  ASSERT_TRUE((*made)->asSource()->decode(batch, ctx).isOk());
  std::vector<std::string> names;
  std::vector<int> values;
  for (const Record& record : batch) {
    names.push_back(record.origin.source);
    values.push_back(nlohmann::json::parse(record.text).at("n").get<int>());  // held as text
  }
  EXPECT_EQ(names, (std::vector<std::string>{"exports/2024-01/part-1.jsonl", "exports/2024-01/part-2.jsonl",
                                             "exports/2024-02/part-1.jsonl"}));
  EXPECT_EQ(values, (std::vector<int>{1, 2, 3}));
}

TEST_F(JsonlInputsTest, GzipAndZstdGiveExactlyThePlainFilesRecordsAndRejects) {
  const auto plain = run({{"path", write("plain.jsonl", kText)}});
  ASSERT_TRUE(plain.status.isOk());
  ASSERT_EQ(plain.kept.size(), 3u);
  ASSERT_EQ(plain.rejects.size(), 1u);
  for (const std::string name : {"z.jsonl.gz", "z.jsonl.zst", "z.jsonl.zstd", "gzip-without-the-name.jsonl"}) {
    const bool gzip = name.find(".zst") == std::string::npos;
    const auto path = write(name, gzip ? ingest::testing::gzipped(kText) : ingest::testing::zstded(kText));
    for (const std::size_t batch : {std::size_t{1}, std::size_t{64}}) {
      const auto out = run({{"path", path}}, batch);
      ASSERT_TRUE(out.status.isOk()) << name << ": " << out.status.toString();
      ASSERT_EQ(out.kept.size(), plain.kept.size()) << name;
      for (std::size_t i = 0; i < out.kept.size(); ++i) {
        EXPECT_EQ(out.kept[i].value, plain.kept[i].value) << name;
        EXPECT_EQ(out.kept[i].origin.line, plain.kept[i].origin.line) << name;
        EXPECT_EQ(out.kept[i].origin.index, plain.kept[i].origin.index) << name;
        EXPECT_EQ(out.kept[i].origin.byte_offset, plain.kept[i].origin.byte_offset) << name << ": decompressed offsets";
        EXPECT_EQ(out.kept[i].origin.source, path);
      }
      ASSERT_EQ(out.rejects.size(), 1u) << name;
      EXPECT_EQ(out.rejects[0].reason, plain.rejects[0].reason) << name;
      EXPECT_EQ(out.rejects[0].raw, "{oops");
    }
  }
}

TEST_F(JsonlInputsTest, ACompressedFilesBomIsSkippedToo) {
  const auto path = write("bom.jsonl.gz", ingest::testing::gzipped("\xEF\xBB\xBF{\"a\": 1}\n{\"b\": 2}\n"));
  const auto out = run({{"path", path}});
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_EQ(out.kept[0].origin.byte_offset, 3u);
  EXPECT_EQ(out.kept[1].value, json({{"b", 2}}));
}

TEST_F(JsonlInputsTest, ATruncatedGzipFileIsADataErrorAfterItsCompleteLines) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "{\"i\": " + std::to_string(i) + ", \"t\": \"some text to compress\"}\n";
  const std::string whole = ingest::testing::gzipped(text);
  const auto path = write("cut.jsonl.gz", whole.substr(0, whole.size() / 2));
  const auto out = run({{"path", path}});
  ASSERT_FALSE(out.status.isOk());
  EXPECT_EQ(out.status.code(), StatusCode::kDataError);
  EXPECT_THAT(out.status.message(), HasSubstr("cannot decompress '" + path + "' at compressed byte "));
  EXPECT_THAT(out.status.message(), HasSubstr("the gzip data ends early: the file is truncated"));
  EXPECT_GT(out.kept.size(), 0u);
}

TEST_F(JsonlInputsTest, AFileNamedGzipThatIsNotIsAnErrorBeforeTheRun) {
  const auto path = write("lie.jsonl.gz", "{\"a\": 1}\n");
  const Status status = refusal({{"path", path}});
  EXPECT_EQ(status.code(), StatusCode::kDataError);
  EXPECT_EQ(status.message(), "'" + path + "' is named like a gzip file but does not start like one (its first bytes "
                                           "are 7B 22 61 22); rename it if it is not compressed, or check that the "
                                           "download finished");
}

TEST_F(JsonlInputsTest, NothingToReadIsAConfigErrorAtPath) {
  write("empty/readme.md", "no data here");
  const Status empty = refusal({{"path", "empty"}});
  EXPECT_EQ(empty.code(), StatusCode::kConfigError);
  EXPECT_EQ(empty.pointer(), "/path");
  EXPECT_THAT(empty.message(), HasSubstr("holds no .jsonl or .ndjson file (compressed or not); it holds: readme.md"));

  const Status glob = refusal({{"path", "nothing/*.jsonl"}});
  EXPECT_EQ(glob.code(), StatusCode::kConfigError);
  EXPECT_EQ(glob.pointer(), "/path");
  EXPECT_THAT(glob.message(), HasSubstr("no file matches the glob 'nothing/*.jsonl'"));

  const Status missing = refusal({{"path", "nope.jsonl"}});
  EXPECT_EQ(missing.code(), StatusCode::kConfigError);
  EXPECT_EQ(missing.pointer(), "/path");
  EXPECT_THAT(missing.message(), HasSubstr("input 'nope.jsonl' (resolved to '"));
}

TEST_F(JsonlInputsTest, ProgressCountsCompressedBytesOfAllFilesUpToTheirTotalSize) {
  write("p/a.jsonl", "{\"a\": 1}\n");
  write("p/b.jsonl.gz", ingest::testing::gzipped("{\"b\": 2}\n"));
  const auto out = run({{"path", (dir_.path() / "p").string()}});
  ASSERT_TRUE(out.status.isOk());
  const auto total = std::filesystem::file_size(dir_.path() / "p/a.jsonl") +
                     std::filesystem::file_size(dir_.path() / "p/b.jsonl.gz");
  EXPECT_EQ(context().lastProgress(), total);
}

}  // namespace
}  // namespace ajuste::ingest_jsonl
