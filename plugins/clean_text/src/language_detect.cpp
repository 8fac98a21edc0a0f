#include "language_detect.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdio>  // before CLD2's header, which uses FILE without including it

#include <cld2/public/compact_lang_det.h>

namespace ajuste::clean_text {
namespace {

Language describe(CLD2::Language language) {
  return Language{.id = static_cast<int>(language),
                  .code = CLD2::LanguageCode(language),
                  .name = CLD2::LanguageName(language)};
}

}  // namespace

std::optional<Language> languageForCode(std::string_view code) {
  std::string lower(code);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // GetLanguageFromName also accepts names ("ENGLISH") and answers UNKNOWN for what it does not
  // know; only an exact code is taken, so "english" or a typo is refused rather than guessed.
  for (int id = 0; id < CLD2::NUM_LANGUAGES; ++id) {
    const auto language = static_cast<CLD2::Language>(id);
    if (language == CLD2::UNKNOWN_LANGUAGE) continue;
    std::string known = CLD2::LanguageCode(language);
    std::transform(known.begin(), known.end(), known.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (known == lower) return describe(language);
  }
  return std::nullopt;
}

LanguageGuess detectLanguage(std::string_view text) {
  CLD2::Language top3[3];
  int percent3[3] = {0, 0, 0};
  int text_bytes = 0;
  bool reliable = false;
  const int length = static_cast<int>(std::min<std::size_t>(text.size(), INT_MAX));
  int valid_prefix = 0;
  double scores3[3];
  const CLD2::Language language = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      text.data(), length, /*is_plain_text=*/true, /*cld_hints=*/nullptr, /*flags=*/0, top3, percent3, scores3,
      /*resultchunkvector=*/nullptr, &text_bytes, &reliable, &valid_prefix);
  if (valid_prefix < length) return LanguageGuess{.language = describe(CLD2::UNKNOWN_LANGUAGE)};
  return LanguageGuess{.language = describe(language),
                       .percent = top3[0] == language ? percent3[0] : 0,
                       .text_bytes = text_bytes,
                       .reliable = reliable && language != CLD2::UNKNOWN_LANGUAGE};
}

}  // namespace ajuste::clean_text
