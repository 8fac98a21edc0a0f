#include "normalize_text.hpp"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nfc.hpp"
#include "support/normalize_reference.hpp"

namespace ajuste::clean_text {
namespace {

// Up to `most` pieces from an alphabet of what the fast paths must get right: blank runs, tabs,
// line ends of three kinds, C0/C1 controls and DEL, NBSP (0xC2 that is not a control), a lone
// 0xC2 and other ill-formed bytes, an ill-formed lead before a C1 control, composing marks
// after ASCII and after non-ASCII letters, Hangul jamo, astral characters.
std::string randomText(std::mt19937& random, unsigned most) {
  static const std::vector<std::string> kAlphabet = {
      "a", "b", "word", " ", "  ", "\t", " \t ", "\n", "\n\n", "\n  \n", "\r", "\r\n", "\x01", "\x1F", "\x7F",
      "\xC2\x85", "\xC2\x9F", "\xC2\xA0", "\xC2", "\xFF", "\xE0\xC2\x85", "e\xCC\x81", "\xCC\x81", "\xCC\xA3",
      "\xC3\xA9", "\xE1\x84\x80", "\xE1\x85\xA1", "\xE3\x81\x8B\xE3\x82\x99", "\xE2\x84\xAB", "\xF0\x9F\x91\x8D",
      "12345678", "  indented"};
  std::string text;
  const auto length = static_cast<unsigned>(random() % most);
  for (unsigned i = 0; i < length; ++i) text += kAlphabet[random() % kAlphabet.size()];
  return text;
}

NormalizeEffects slowNormalize(std::string& text, const NormalizeOptions& options) {
  NormalizeEffects effects;
  if (options.remove_controls) effects.controls_removed = reference::removeControls(text, options.keep_tabs);
  if (options.nfc) {
    const NfcOutcome outcome = toNfc(text);
    effects.nfc_changed = outcome == NfcOutcome::kChanged;
    effects.invalid_utf8 = outcome == NfcOutcome::kInvalidUtf8;
  }
  effects.whitespace_tidied = reference::tidyWhitespace(text, options);
  return effects;
}

TEST(NormalizeText, MatchesTheSlowDefinitionOnRandomTexts) {
  const std::vector<NormalizeOptions> variants = {
      {},
      {.keep_tabs = false},
      {.collapse_spaces = false},
      {.trim = false},
      {.collapse_spaces = false, .trim = false},
      {.trim = false, .max_blank_lines = 0},
      {.max_blank_lines = 0},
      {.max_blank_lines = 2},
      {.max_blank_lines = -1},
      {.collapse_spaces = false, .trim = false, .max_blank_lines = -1},
      {.nfc = false, .remove_controls = false},
  };
  std::mt19937 random(20261204);
  for (int round = 0; round < 20000; ++round) {
    const std::string input = randomText(random, round % 10 == 0 ? 200 : 24);
    const NormalizeOptions& options = variants[static_cast<std::size_t>(round) % variants.size()];
    std::string fast = input;
    std::string slow = input;
    const NormalizeEffects fast_effects = normalizeText(fast, options);
    const NormalizeEffects slow_effects = slowNormalize(slow, options);
    ASSERT_EQ(fast, slow) << "round " << round << ", input of " << input.size() << " bytes";
    ASSERT_EQ(fast_effects.controls_removed, slow_effects.controls_removed) << "round " << round;
    ASSERT_EQ(fast_effects.whitespace_tidied, slow_effects.whitespace_tidied) << "round " << round;
    ASSERT_EQ(fast_effects.nfc_changed, slow_effects.nfc_changed) << "round " << round;
    ASSERT_EQ(fast_effects.invalid_utf8, slow_effects.invalid_utf8) << "round " << round;
  }
}

}  // namespace
}  // namespace ajuste::clean_text
