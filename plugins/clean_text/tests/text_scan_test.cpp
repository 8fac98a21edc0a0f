#include "text_scan.hpp"

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace ajuste::clean_text {
namespace {

// The definitions, one byte at a time.
bool slowHasControls(std::string_view text, bool keep_tabs) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n' || (byte == '\t' && keep_tabs)) continue;
    if (byte < 0x20 || byte == 0x7F) return true;
    if (byte == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

bool slowIsTidy(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  if (text.empty()) return true;
  if (blank(text.front()) || text.front() == '\n' || text.back() == '\n' || blank(text.back())) return false;
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '\n' && (text[i - 1] == '\n' || blank(text[i - 1]))) return false;
    if (blank(text[i]) && blank(text[i - 1])) return false;
  }
  return true;
}

// Random texts of up to 40 bytes from bytes that matter to either scan, so every position in
// a word and every word boundary meets each of them.
std::vector<std::string> randomTexts() {
  const std::string alphabet = std::string("a ,\t\n\r\x01\x1F\x7F\xC2\x80\x9F\xA0\xC3\xE2", 15) + std::string(1, '\0');
  std::mt19937 random(31337);
  std::vector<std::string> texts;
  for (int round = 0; round < 200000; ++round) {
    std::string text(random() % 41, 'a');
    // Mostly letters, as real text is, so that long clean stretches occur too.
    for (char& c : text) {
      if (random() % 4 == 0) c = alphabet[random() % alphabet.size()];
    }
    texts.push_back(std::move(text));
  }
  return texts;
}

TEST(TextScan, HasControlsMatchesTheByteByByteDefinition) {
  for (const std::string& text : randomTexts()) {
    for (const bool keep_tabs : {true, false}) {
      ASSERT_EQ(hasControls(text, keep_tabs), slowHasControls(text, keep_tabs))
          << ::testing::PrintToString(text) << " keep_tabs " << keep_tabs;
    }
  }
}

TEST(TextScan, IsTidyMatchesTheByteByByteDefinition) {
  for (const std::string& text : randomTexts()) {
    ASSERT_EQ(isTidy(text), slowIsTidy(text)) << ::testing::PrintToString(text);
  }
}

TEST(TextScan, FindsWhatSitsOnEitherSideOfAWordBoundary) {
  // Eight-byte words: byte 7 and byte 8 are in different words.
  EXPECT_FALSE(isTidy("abcdefg  hij"));
  EXPECT_FALSE(isTidy("abcdefg \nhij"));
  EXPECT_FALSE(isTidy("abcdefg\n\nhij"));
  EXPECT_TRUE(isTidy("abcdefg h\nij"));
  EXPECT_TRUE(hasControls("abcdefg\xC2\x85", true));
  EXPECT_FALSE(hasControls("abcdefg\xC2\xA0", true));
  EXPECT_TRUE(hasControls(std::string("abcdefghijklmno\x7F", 16), true));
  EXPECT_FALSE(hasControls("abc\tdefghijklmn\n", true));
  EXPECT_TRUE(hasControls("abc\tdefghijklmn\n", false));
}

}  // namespace
}  // namespace ajuste::clean_text
