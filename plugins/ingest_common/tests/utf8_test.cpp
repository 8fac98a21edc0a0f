#include "ingest_common/utf8.hpp"

#include <gtest/gtest.h>

namespace ajuste::ingest {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_FALSE(findInvalidUtf8("plain ascii text, long enough for the fast path"));
  EXPECT_FALSE(findInvalidUtf8("Avaliação: 5 estrelas 😀 — ok"));
  EXPECT_FALSE(findInvalidUtf8(""));
}

TEST(Utf8, NamesTheFirstBadByteAndWhy) {
  auto bad = findInvalidUtf8("caf\xE9 au lait");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->offset, 3u);
  EXPECT_EQ(bad->what, "0xE9 starts a multi-byte character but is followed by 0x20");
  bad = findInvalidUtf8("ok \xFF");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->what, "0xFF can never appear in UTF-8 text");
  bad = findInvalidUtf8("\x80");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->what, "0x80 is a continuation byte with no character before it");
  bad = findInvalidUtf8("\xC0\xAF");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->what, "0xC0 starts an overlong (non-shortest) encoding");
  bad = findInvalidUtf8("\xED\xA0\x80");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->what, "0xED 0xA0 encodes a UTF-16 surrogate");
  bad = findInvalidUtf8("x\xE2\x82");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->offset, 1u);
  EXPECT_EQ(bad->what, "0xE2 starts a 3-byte character but the text ends after 2 bytes");
}

TEST(Utf8, PrefixNeverCutsACharacter) {
  EXPECT_EQ(utf8Prefix("aé", 2), "a");
  EXPECT_EQ(utf8Prefix("aé", 3), "aé");
  EXPECT_EQ(utf8Prefix("abc", 10), "abc");
}

TEST(Utf8, PositionCountsLinesLikeTheParsers) {
  const std::string text = "ab\ncd\r\nef\rgh";
  EXPECT_EQ(positionIn(text, 0, {5, 3}).line, 5u);
  EXPECT_EQ(positionIn(text, 0, {5, 3}).column, 3u);
  EXPECT_EQ(positionIn(text, 1, {5, 3}).column, 4u);
  EXPECT_EQ(positionIn(text, 3, {5, 3}).line, 6u);
  EXPECT_EQ(positionIn(text, 3, {5, 3}).column, 1u);
  EXPECT_EQ(positionIn(text, 7, {5, 3}).line, 7u);
  EXPECT_EQ(positionIn(text, 10, {5, 3}).line, 8u);
  EXPECT_EQ(positionIn(text, 11, {5, 3}).column, 2u);
}

TEST(Utf8, DescribesAnInvalidByteForAReject) {
  EXPECT_EQ(describeInvalidUtf8(Utf8Error{2, "0xE9 can never appear"}, {4, 7}, 120),
            "invalid UTF-8 at line 4, column 7 (byte offset 120): 0xE9 can never appear; the input must be UTF-8 "
            "(re-save it as UTF-8: Latin-1 or Windows-1252 text shows this)");
}

}  // namespace
}  // namespace ajuste::ingest
