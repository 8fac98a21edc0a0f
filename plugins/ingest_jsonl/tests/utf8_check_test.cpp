#include "utf8_check.hpp"

#include <string>

#include <gtest/gtest.h>

namespace ajuste::ingest_jsonl {
namespace {

TEST(FindInvalidUtf8, AcceptsAsciiAndEveryWellFormedLength) {
  EXPECT_FALSE(findInvalidUtf8(""));
  EXPECT_FALSE(findInvalidUtf8("plain ASCII text that is longer than eight bytes"));
  EXPECT_FALSE(findInvalidUtf8("Avalia\xC3\xA7\xC3\xA3o: 4 estrelas"));      // ç ã
  EXPECT_FALSE(findInvalidUtf8("\xE2\x82\xAC and \xE4\xB8\xAD"));            // € 中
  EXPECT_FALSE(findInvalidUtf8("\xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));        // 😀 U+10FFFF
  EXPECT_FALSE(findInvalidUtf8("\xED\x9F\xBF"));                             // U+D7FF, just below surrogates
}

TEST(FindInvalidUtf8, NamesTheOffsetAndTheProblem) {
  struct Case {
    std::string text;
    std::size_t offset;
    std::string what;
  };
  const Case cases[] = {
      {"caf\xE9!", 3, "0xE9 starts a multi-byte character but is followed by 0x21"},
      {"abc\xFF", 3, "0xFF can never appear in UTF-8 text"},
      {"\x80", 0, "0x80 is a continuation byte with no character before it"},
      {"0123456789\xC0\xAF", 10, "0xC0 starts an overlong (non-shortest) encoding"},
      {"\xE0\x80\xAF", 0, "0xE0 0x80 is an overlong (non-shortest) encoding"},
      {"\xF0\x80\x80\xAF", 0, "0xF0 0x80 is an overlong (non-shortest) encoding"},
      {"x\xED\xA0\x80", 1, "0xED 0xA0 encodes a UTF-16 surrogate"},
      {"\xF4\x90\x80\x80", 0, "0xF4 0x90 encodes a code point above U+10FFFF"},
      {"ok \xE2\x82", 3, "0xE2 starts a 3-byte character but the line ends after 2 bytes"},
      {"ok \xF0", 3, "0xF0 starts a 4-byte character but the line ends after 1 byte"},
      {"\xE2\x82x", 0, "0xE2 starts a 3-byte character but byte 3 is 0x78, not a continuation byte"},
  };
  for (const Case& c : cases) {
    const auto error = findInvalidUtf8(c.text);
    ASSERT_TRUE(error.has_value()) << c.what;
    EXPECT_EQ(error->offset, c.offset) << c.what;
    EXPECT_EQ(error->what, c.what);
  }
}

TEST(Utf8Prefix, NeverCutsACharacter) {
  const std::string text = "a\xC3\xA7\xE2\x82\xAC";  // a ç €
  EXPECT_EQ(utf8Prefix(text, 100), text);
  EXPECT_EQ(utf8Prefix(text, 1), "a");
  EXPECT_EQ(utf8Prefix(text, 2), "a");
  EXPECT_EQ(utf8Prefix(text, 3), "a\xC3\xA7");
  EXPECT_EQ(utf8Prefix(text, 5), "a\xC3\xA7");
  EXPECT_EQ(utf8Prefix(text, 0), "");
}

}  // namespace
}  // namespace ajuste::ingest_jsonl
