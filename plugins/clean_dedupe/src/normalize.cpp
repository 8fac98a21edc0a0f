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

// Bytes that can begin one of the whitespace characters above; any other byte is copied as is.
bool mayStartWhitespace(unsigned char b) {
  return b == ' ' || (b >= 0x09 && b <= 0x0D) || b == 0xC2 || b == 0xE1 || b == 0xE2 || b == 0xE3;
}

void appendFolded(std::string_view piece, bool ignore_case, std::string& out) {
  const std::size_t from = out.size();
  out += piece;
  if (!ignore_case) return;
  for (std::size_t i = from; i < out.size(); ++i) {
    if (out[i] >= 'A' && out[i] <= 'Z') out[i] = static_cast<char>(out[i] - 'A' + 'a');
  }
}

}  // namespace

// Copies runs of ordinary bytes whole: this key is built for every record, so its cost is a
// visible share of a dedupe pass.
void appendNormalized(std::string_view text, const NormalizeOptions& options, std::string& out) {
  out.reserve(out.size() + text.size());
  if (!options.collapse_whitespace) {
    appendFolded(text, options.ignore_case, out);
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
    std::size_t end = i + 1;
    while (end < text.size() && !mayStartWhitespace(static_cast<unsigned char>(text[end]))) ++end;
    if (pending_space) out.push_back(' ');
    pending_space = false;
    appendFolded(text.substr(i, end - i), options.ignore_case, out);
    wrote = true;
    i = end;
  }
}

}  // namespace ajuste::clean_dedupe
