#pragma once

#include <cstddef>
#include <string_view>

namespace ajuste::clean_text {

// One step through UTF-8 text. Ingest rejects invalid UTF-8, but stages must not trust that:
// an ill-formed byte is returned as one step with `valid == false`, so callers can copy it
// through unchanged instead of crashing or looping.
struct CodePoint {
  char32_t value = 0;      // U+FFFD when !valid
  std::size_t length = 1;  // bytes consumed, >= 1
  bool valid = true;
};

// Decodes the code point starting at `text[at]` (`at < text.size()`).
CodePoint decodeAt(std::string_view text, std::size_t at);

// Characters as users count them: Unicode code points (an ill-formed byte counts as one).
std::size_t countCodePoints(std::string_view text);

}  // namespace ajuste::clean_text
