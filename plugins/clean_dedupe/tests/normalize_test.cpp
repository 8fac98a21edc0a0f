#include "normalize.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace ajuste::clean_dedupe {
namespace {

TEST(Normalize, CollapsesAsciiAndUnicodeWhitespaceAndTrims) {
  const NormalizeOptions options;
  EXPECT_EQ(normalized("  a \t\n b  ", options), "a b");
  // NO-BREAK SPACE, IDEOGRAPHIC SPACE, EN SPACE, LINE SEPARATOR, NARROW NO-BREAK SPACE.
  EXPECT_EQ(normalized("a\u00A0\u3000b\u2002c\u2028d\u202Fe", options), "a b c d e");
  EXPECT_EQ(normalized(" \u00A0 ", options), "");
  EXPECT_EQ(normalized("", options), "");
}

TEST(Normalize, KeepsNonSpaceUnicodeAndInvalidBytes) {
  const NormalizeOptions options;
  EXPECT_EQ(normalized("ação  日本", options), "ação 日本");
  EXPECT_EQ(normalized("a\xE2\x80 b\xC2", options), "a\xE2\x80 b\xC2");  // truncated sequences pass through
}

TEST(Normalize, FoldsAsciiCaseOnlyWhenAsked) {
  EXPECT_EQ(normalized("Hello ÉCOLE", {.collapse_whitespace = true, .ignore_case = true}), "hello École");
  EXPECT_EQ(normalized("Hello", {.collapse_whitespace = true, .ignore_case = false}), "Hello");
}

TEST(Normalize, CanKeepWhitespaceAsWritten) {
  EXPECT_EQ(normalized(" A  b ", {.collapse_whitespace = false, .ignore_case = true}), " a  b ");
}

// The definition, written the slow way: every whitespace code point's UTF-8 form is looked for
// at every byte; a run of them becomes one space, and the ends are trimmed.
std::string referenceNormalized(std::string_view text, bool ignore_case) {
  static const std::vector<std::string> spaces = [] {
    std::vector<std::string> out;
    std::vector<char32_t> points = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
    for (char32_t c = 0x2000; c <= 0x200A; ++c) points.push_back(c);
    for (const char32_t c : points) {
      std::string bytes;
      if (c < 0x80) {
        bytes += static_cast<char>(c);
      } else if (c < 0x800) {
        bytes += static_cast<char>(0xC0 | (c >> 6));
        bytes += static_cast<char>(0x80 | (c & 0x3F));
      } else {
        bytes += static_cast<char>(0xE0 | (c >> 12));
        bytes += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        bytes += static_cast<char>(0x80 | (c & 0x3F));
      }
      out.push_back(bytes);
    }
    return out;
  }();
  std::string out;
  bool pending = false;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t width = 0;
    for (const std::string& space : spaces) {
      if (text.substr(i).starts_with(space)) width = space.size();
    }
    if (width != 0) {
      pending = !out.empty();
      i += width;
      continue;
    }
    if (pending) out += ' ';
    pending = false;
    char c = text[i++];
    if (ignore_case && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    out += c;
  }
  return out;
}

TEST(Normalize, MatchesTheSlowDefinitionOnRandomTexts) {
  // Pieces that exercise every branch: each space kind, their lead bytes followed by something
  // else, truncated sequences at the end, letters of both cases, other multi-byte characters.
  const std::vector<std::string> pieces = {"a", "Z", "q", " ", "\t", "\n", "\r", "\v", "\f", "\xC2\xA0", "\xC2\x85", "\xC2",
                                           "\xC2\xA9", "\xE1\x9A\x80", "\xE1\x9A", "\xE1", "\xE2\x80\x80",
                                           "\xE2\x80\x8A", "\xE2\x80\x8B", "\xE2\x80\xA8", "\xE2\x80\xAF",
                                           "\xE2\x81\x9F", "\xE2\x81", "\xE2\x80", "\xE2", "\xE3\x80\x80",
                                           "\xE3\x80\x81", "\xE3", "ç", "日", "\xFF", "\x80",
                                           "\xE3\x81\x8B", "\xE2\x9C\x85", "\xE2\x80\x94", "\xE1\x84\x80",
                                           "\xC2\x80", "\xC3\xA9", "longer words"};
  std::mt19937 random(20261203);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int length = static_cast<int>(random() % (round % 4 == 0 ? 48 : 12));
    for (int k = 0; k < length; ++k) text += pieces[random() % pieces.size()];
    for (const bool ignore_case : {false, true}) {
      const std::string prefix = "kept|";  // appending leaves what is already there alone
      std::string out = prefix;
      appendNormalized(text, {.collapse_whitespace = true, .ignore_case = ignore_case}, out);
      ASSERT_EQ(out, prefix + referenceNormalized(text, ignore_case)) << "text: " << ::testing::PrintToString(text);
    }
  }
}

}  // namespace
}  // namespace ajuste::clean_dedupe
