#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ajuste::clean_text {

// A language as CLD2 (Compact Language Detector 2, Debian: libcld2-dev) names it: an ISO 639-1
// code where one exists ("en", "pt", "ja"), otherwise CLD2's own ("zh-Hant", "haw").
struct Language {
  int id = 0;
  std::string code;
  std::string name;  // "ENGLISH"
};

// The language for a code a user wrote (case-insensitive), or nothing when CLD2 does not know it.
std::optional<Language> languageForCode(std::string_view code);

struct LanguageGuess {
  Language language;      // "un" (UNKNOWN) when CLD2 finds no language
  int percent = 0;        // share of the scored text in that language
  int text_bytes = 0;     // bytes CLD2 scored (letters; markup, digits and punctuation skipped)
  bool reliable = false;  // CLD2's own verdict: enough text, and a clear winner
};

// Detects the main language of UTF-8 plain text. CLD2 keeps no state between calls, so this
// is safe on any thread. Invalid UTF-8 gives the unknown language, unreliable.
LanguageGuess detectLanguage(std::string_view text);

}  // namespace ajuste::clean_text
