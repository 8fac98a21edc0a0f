#include "nfc.hpp"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <utf8proc.h>

namespace ajuste::clean_text {
namespace {

std::string encode(char32_t c) {
  utf8proc_uint8_t bytes[4];
  const auto length = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), bytes);
  return {reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length)};
}

std::string nfcByUtf8proc(std::string_view text) {
  utf8proc_uint8_t* composed = nullptr;
  const auto length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                   static_cast<utf8proc_ssize_t>(text.size()), &composed,
                                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(composed, &std::free);
  if (length < 0) return "<invalid>";
  return {reinterpret_cast<const char*>(composed), static_cast<std::size_t>(length)};
}

// Up to `most` pieces drawn from an alphabet rich in the tricky cases: composing marks, marks
// of several combining classes, Hangul jamo, singletons (U+212B), exclusions (U+0958, U+2ADC,
// U+1D15E), Kannada and Japanese compositions, astral characters.
std::string randomText(std::mt19937& random, unsigned most) {
  static const std::vector<std::string> kAlphabet = {
      "a", "e", " ", "\xC3\xA9", "\xC3\xA7", "\xCC\x81", "\xCC\xA3", "\xCC\x96", "\xCC\xB4", "\xE2\x84\xAB",
      "\xE1\x84\x80", "\xE1\x85\xA1", "\xEA\xB0\x80", "\xE1\x86\xA8", "\xE0\xB3\x86", "\xE0\xB3\x95",
      "\xE3\x81\x8C", "\xE3\x81\x8B", "\xE3\x82\x99", "\xE0\xA4\x95", "\xE0\xA4\xBC", "\xE0\xA5\x8D",
      "\xE0\xA5\x98", "\xE2\xAB\x9C", "\xF0\x9D\x85\x9E", "\xF0\x9F\x91\x8D"};
  std::string text;
  const auto length = static_cast<unsigned>(random() % most);
  for (unsigned i = 0; i < length; ++i) text += kAlphabet[random() % kAlphabet.size()];
  return text;
}

// The quick check may only say "already NFC" when utf8proc agrees, for every code point alone
// and after a base letter it could otherwise compose with.
TEST(NfcQuickCheck, NeverClaimsNfcForACodePointThatNfcChanges) {
  std::size_t known = 0;
  for (char32_t c = 1; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string alone = encode(c);
    if (!isKnownNfc(alone)) continue;
    ++known;
    ASSERT_EQ(nfcByUtf8proc(alone), alone) << "U+" << std::hex << static_cast<std::uint32_t>(c);
    // Unassigned code points compose with nothing; the pairs are checked for assigned ones.
    if (utf8proc_category(static_cast<utf8proc_int32_t>(c)) == UTF8PROC_CATEGORY_CN) continue;
    for (const std::string_view before : {"e", "\xE1\x84\x80" /* U+1100 */, "\xE0\xB3\x86" /* U+0CC6 */}) {
      const std::string pair = std::string(before) + alone;
      if (isKnownNfc(pair)) {
        ASSERT_EQ(nfcByUtf8proc(pair), pair) << "U+" << std::hex << static_cast<std::uint32_t>(c);
      }
    }
  }
  // Nearly every assigned code point is covered, so the fast path is the common path.
  EXPECT_GT(known, 1'000'000u);
}

TEST(NfcQuickCheck, LeavesTheCasesThatNeedNormalizationToTheFullAlgorithm) {
  EXPECT_TRUE(isKnownNfc("Avalia\xC3\xA7\xC3\xA3o: 4 estrelas"));  // precomposed ç and ã
  EXPECT_TRUE(isKnownNfc("\xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x91\x8D"));  // CJK and an emoji
  EXPECT_TRUE(isKnownNfc("\xE3\x81\x8C"));                                  // が, precomposed
  EXPECT_TRUE(isKnownNfc("\xE0\xA4\x95\xE0\xA5\x8D\xE0\xA4\xB7"));      // क्ष: a virama between starters
  EXPECT_FALSE(isKnownNfc("a\xCC\x96\xCC\xB4"));                          // marks of class 220 then 1: reorder
  EXPECT_FALSE(isKnownNfc("e\xCC\x81"));                               // combining acute
  EXPECT_FALSE(isKnownNfc("\xE2\x84\xAB"));                            // U+212B ANGSTROM SIGN
  EXPECT_FALSE(isKnownNfc("\xE1\x84\x80\xE1\x85\xA1"));                // Hangul L + V
  EXPECT_FALSE(isKnownNfc("ok \xE9 not UTF-8"));
}

// Random texts over an alphabet rich in the tricky cases: a "known NFC" answer is always right.
TEST(NfcQuickCheck, AgreesWithUtf8procOnRandomTexts) {
  std::mt19937 random(7);
  std::size_t known = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::string text = randomText(random, 6);
    if (!isKnownNfc(text)) continue;
    ++known;
    ASSERT_EQ(nfcByUtf8proc(text), text);
  }
  EXPECT_GT(known, 1000u);
}

// toNfc normalizes piecewise; the result must be utf8proc's for the whole text, byte for byte.
TEST(ToNfc, GivesUtf8procsResultOnRandomTexts) {
  std::mt19937 random(11);
  std::size_t changed = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::string text = randomText(random, 9);
    const std::string expected = nfcByUtf8proc(text);
    std::string actual = text;
    const NfcOutcome outcome = toNfc(actual);
    ASSERT_EQ(actual, expected) << "input " << ::testing::PrintToString(text);
    ASSERT_EQ(outcome, expected == text ? NfcOutcome::kUnchanged : NfcOutcome::kChanged);
    changed += outcome == NfcOutcome::kChanged ? 1 : 0;
  }
  EXPECT_GT(changed, 5000u);
}

// toNfc steps over runs of starters (ASCII, CJK, kana, Hangul syllables) without decoding
// them one by one: every code point of the plane, alone, inside such a run, before and after
// the marks and jamo it could compose with, must still give utf8proc's result.
TEST(ToNfc, GivesUtf8procsResultForEveryCodePointOfTheBasicPlaneInAndAroundRuns) {
  const std::string han = "\xE6\xBC\xA2";  // 漢, a boundary
  for (char32_t c = 1; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string one = encode(c);
    for (const std::string& text :
         {one, han + one + han, "e" + one + "\xCC\x81", han + one + "\xCC\xA3\xCC\x81", one + one + "x",
          "\xE1\x84\x80" + one + "\xE1\x85\xA1", han + "\xE3\x81\x8B" + one, one + "\xE3\x82\x99" + han}) {
      std::string actual = text;
      const NfcOutcome outcome = toNfc(actual);
      const std::string expected = nfcByUtf8proc(text);
      ASSERT_EQ(actual, expected) << "U+" << std::hex << static_cast<std::uint32_t>(c) << " in "
                                  << ::testing::PrintToString(text);
      ASSERT_EQ(outcome, expected == text ? NfcOutcome::kUnchanged : NfcOutcome::kChanged);
      if (isKnownNfc(text)) {
        ASSERT_EQ(expected, text) << "U+" << std::hex << static_cast<std::uint32_t>(c);
      }
    }
  }
}

// A run ends at a sequence it cannot decode, which must then be reported, not stepped over.
TEST(ToNfc, ARunOfStartersStopsAtABrokenSequence) {
  for (const std::string broken : {"\xE6\xBC", "\xE6\xBC" "x", "\xE0\x80\x80", "\xE0\x83\xA9" /* é, overlong */, "\xED\xA0\x80", "\xC1\xBF", "\xBC"}) {
    const std::string text = "\xE6\xBC\xA2\xE5\xAD\x97 ok " + broken + "\xE5\xAD\x97";
    std::string actual = text;
    EXPECT_EQ(toNfc(actual), NfcOutcome::kInvalidUtf8) << ::testing::PrintToString(text);
    EXPECT_EQ(actual, text);
    EXPECT_FALSE(isKnownNfc(text));
  }
}

TEST(ToNfc, LeavesInvalidUtf8AloneAndSaysSo) {
  std::string text = "e\xCC\x81 then \xFF";
  EXPECT_EQ(toNfc(text), NfcOutcome::kInvalidUtf8);
  EXPECT_EQ(text, "e\xCC\x81 then \xFF");
}

TEST(ToNfc, NormalizesOnlyTheDecomposedPiecesOfALongText) {
  std::string text = std::string(1000, 'x') + "cafe\xCC\x81 " + std::string(1000, 'y') + "\xE2\x84\xAB";
  EXPECT_EQ(toNfc(text), NfcOutcome::kChanged);
  EXPECT_EQ(text, std::string(1000, 'x') + "caf\xC3\xA9 " + std::string(1000, 'y') + "\xC3\x85");
}

}  // namespace
}  // namespace ajuste::clean_text
