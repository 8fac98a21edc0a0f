#include "normalize.hpp"

#include <cstddef>

namespace ajuste::clean_dedupe {
namespace {

// Length in bytes of the whitespace character starting at text[i], or 0.
std::size_t whitespaceAt(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u;
  };
  const unsigned b0 = byte(0);
  if (b0 == ' ' || (b0 >= 0x09 && b0 <= 0x0D)) return 1;
  if (b0 == 0xC2 && (byte(1) == 0x85 || byte(1) == 0xA0)) return 2;  // NEL, NO-BREAK SPACE
  if (b0 == 0xE1 && byte(1) == 0x9A && byte(2) == 0x80) return 3;    // OGHAM SPACE MARK
  if (b0 == 0xE2 && byte(1) == 0x80) {
    const unsigned b2 = byte(2);
    // U+2000..U+200A spaces, U+2028/U+2029 separators, U+202F narrow no-break space.
    if ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) return 3;
  }
  if (b0 == 0xE2 && byte(1) == 0x81 && byte(2) == 0x9F) return 3;  // MEDIUM MATHEMATICAL SPACE
  if (b0 == 0xE3 && byte(1) == 0x80 && byte(2) == 0x80) return 3;  // IDEOGRAPHIC SPACE
  return 0;
}

char folded(char c, bool ignore_case) {
  if (ignore_case && c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  return c;
}

}  // namespace

void appendNormalized(std::string_view text, const NormalizeOptions& options, std::string& out) {
  if (!options.collapse_whitespace) {
    for (const char c : text) out.push_back(folded(c, options.ignore_case));
    return;
  }
  bool pending_space = false;
  bool wrote = false;
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t width = whitespaceAt(text, i); width != 0) {
      pending_space = wrote;
      i += width;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(folded(text[i], options.ignore_case));
    wrote = true;
    ++i;
  }
}

}  // namespace ajuste::clean_dedupe
