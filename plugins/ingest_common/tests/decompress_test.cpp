#include "ingest_common/decompress.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "compress.hpp"
#include "ingest_common/open_input.hpp"
#include "scratch_dir.hpp"

namespace ajuste::ingest {
namespace {

using ::testing::HasSubstr;
using testing::gzipped;
using testing::zstded;

// Some megabytes of text that does not compress to nothing.
std::string bigText() {
  std::string text;
  std::uint64_t state = 7;
  while (text.size() < (std::size_t{3} << 20)) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    text += "row " + std::to_string(state >> 40) + ",\"quoted, text\",é\n";
  }
  return text;
}

// Everything a stream yields, read `capacity` bytes at a time.
Result<std::string> drain(ByteStream& stream, std::size_t capacity = 4096) {
  std::string out;
  std::string buffer(capacity, '\0');
  for (;;) {
    auto got = stream.read(buffer.data(), buffer.size());
    if (!got.ok()) return got.error();
    if (*got == 0) return out;
    out.append(buffer.data(), *got);
  }
}

Result<std::string> decompress(std::string bytes, const std::string& name, std::size_t chunk = 1 << 20,
                               std::size_t capacity = 4096) {
  auto opened = openStream(std::make_unique<MemoryStream>(std::move(bytes), chunk), name);
  if (!opened.ok()) return opened.error();
  return drain(*opened->stream, capacity);
}

TEST(Decompress, MagicBytesAndNames) {
  EXPECT_EQ(compressionFromMagic("\x1F\x8B\x08"), Compression::kGzip);
  EXPECT_EQ(compressionFromMagic("\x28\xB5\x2F\xFD"), Compression::kZstd);
  EXPECT_EQ(compressionFromMagic("a,b"), Compression::kNone);
  EXPECT_EQ(compressionFromMagic(""), Compression::kNone);
  EXPECT_EQ(compressionFromName("x.csv.gz"), Compression::kGzip);
  EXPECT_EQ(compressionFromName("x.json.zst"), Compression::kZstd);
  EXPECT_EQ(compressionFromName("x.zstd"), Compression::kZstd);
  EXPECT_EQ(compressionFromName("x.csv"), Compression::kNone);
  EXPECT_EQ(withoutCompressionSuffix("reviews.csv.gz"), "reviews.csv");
  EXPECT_EQ(withoutCompressionSuffix("reviews.tsv.zst"), "reviews.tsv");
  EXPECT_EQ(withoutCompressionSuffix("reviews.csv"), "reviews.csv");
}

TEST(Decompress, PlainInputPassesThroughWhateverTheChunking) {
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{1} << 20}) {
    const auto got = decompress("a,b\n1,2\n", "x.csv", chunk);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, "a,b\n1,2\n");
  }
  const auto tiny = decompress("a", "x.csv");
  ASSERT_TRUE(tiny.ok());
  EXPECT_EQ(*tiny, "a");
  const auto empty = decompress("", "x.csv");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
}

TEST(Decompress, GzipRoundTripsLargeInputThroughSmallReads) {
  const std::string text = bigText();
  const auto got = decompress(gzipped(text), "x.csv.gz", 1000, 777);
  ASSERT_TRUE(got.ok()) << got.error().toString();
  EXPECT_EQ(*got, text);
}

TEST(Decompress, GzipMagicWinsOverTheName) {
  const auto got = decompress(gzipped("hello"), "named-plain.csv", 1);
  ASSERT_TRUE(got.ok()) << got.error().toString();
  EXPECT_EQ(*got, "hello");
}

TEST(Decompress, ConcatenatedGzipMembersReadAsOneStream) {
  const auto got = decompress(gzipped("first\n") + gzipped("second\n"), "x.gz", 5);
  ASSERT_TRUE(got.ok()) << got.error().toString();
  EXPECT_EQ(*got, "first\nsecond\n");
}

TEST(Decompress, TruncatedGzipIsADataErrorSayingSo) {
  std::string bytes = gzipped(bigText());
  bytes.resize(bytes.size() / 2);
  const auto got = decompress(bytes, "dump.csv.gz");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code(), StatusCode::kDataError);
  EXPECT_THAT(got.error().message(), HasSubstr("cannot decompress 'dump.csv.gz' at compressed byte"));
  EXPECT_THAT(got.error().message(), HasSubstr("truncated"));
}

TEST(Decompress, CorruptGzipIsADataError) {
  std::string bytes = gzipped("some text that is long enough to corrupt");
  bytes[12] = static_cast<char>(bytes[12] ^ 0x55);
  bytes[13] = static_cast<char>(bytes[13] ^ 0x55);
  const auto got = decompress(bytes, "x.gz");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code(), StatusCode::kDataError);
  EXPECT_THAT(got.error().message(), HasSubstr("cannot decompress 'x.gz'"));
}

TEST(Decompress, GarbageAfterTheGzipDataIsAnError) {
  const auto got = decompress(gzipped("text") + "garbage!", "x.gz");
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(got.error().message(), HasSubstr("unexpected bytes after the end of the gzip data"));
}

TEST(Decompress, ZstdRoundTripsLargeInputAndSeveralFrames) {
  const std::string text = bigText();
  const auto got = decompress(zstded(text) + zstded("tail\n"), "x.json.zst", 999, 513);
  ASSERT_TRUE(got.ok()) << got.error().toString();
  EXPECT_EQ(*got, text + "tail\n");
}

TEST(Decompress, TruncatedZstdIsADataErrorSayingSo) {
  std::string bytes = zstded(bigText());
  bytes.resize(bytes.size() - 10);
  const auto got = decompress(bytes, "x.zst");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code(), StatusCode::kDataError);
  EXPECT_THAT(got.error().message(), HasSubstr("truncated"));
}

TEST(Decompress, CorruptZstdIsADataError) {
  std::string bytes = zstded("some text that is long enough to corrupt, some text that is long enough");
  for (std::size_t i = 6; i < bytes.size(); ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0xA5);
  const auto got = decompress(bytes, "x.zst");
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(got.error().message(), HasSubstr("cannot decompress 'x.zst'"));
}

TEST(Decompress, ANameThatPromisesCompressionOnPlainBytesIsRefused) {
  const auto got = decompress("review,stars\n", "reviews.csv.gz");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code(), StatusCode::kDataError);
  EXPECT_THAT(got.error().message(),
              HasSubstr("'reviews.csv.gz' is named like a gzip file but does not start like one (its first bytes are "
                        "72 65 76 69)"));
  const auto empty = decompress("", "empty.zst");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.error().message(), HasSubstr("nothing (the file is empty)"));
}

TEST(Decompress, OpenInputReadsARealCompressedFile) {
  testing::ScratchDir dir("ingest-decompress");
  const auto path = dir.write("a.csv.zst", zstded("a,b\n1,2\n"));
  auto opened = openInput(InputFile{"a.csv.zst", path, 0});
  ASSERT_TRUE(opened.ok()) << opened.error().toString();
  EXPECT_EQ(opened->compression, Compression::kZstd);
  const auto text = drain(*opened->stream);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "a,b\n1,2\n");
  EXPECT_EQ(opened->stream->consumed(), std::filesystem::file_size(path));

  const auto missing = openInput(InputFile{"gone.csv", dir.path() / "gone.csv", 0});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), StatusCode::kIoError);
  EXPECT_THAT(missing.error().message(), HasSubstr("cannot open input file 'gone.csv': No such file or directory"));
}

}  // namespace
}  // namespace ajuste::ingest
