#include "normalize.hpp"

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

}  // namespace
}  // namespace ajuste::clean_dedupe
