#include "text_scan.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>

#include "byte_scan/word_masks.hpp"

namespace ajuste::clean_text {
namespace {

using byte_scan::bytesBelow;
using byte_scan::bytesEqual;
using byte_scan::kWordBytes;
using byte_scan::loadWord;

bool isBlank(char c) { return c == ' ' || c == '\t'; }

bool controlAt(std::string_view text, std::size_t i, bool keep_tabs) {
  const auto byte = static_cast<unsigned char>(text[i]);
  if (byte >= 0x20 && byte != 0x7F && byte != 0xC2) return false;
  if (byte == '\n' || (byte == '\t' && keep_tabs)) return false;
  if (byte == 0xC2) return i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xE0) == 0x80;
  return true;
}

// A blank or line end that follows something isTidy refuses: "  ", "\t ", " \n", "\n\n".
bool untidyPair(char previous, char current) {
  return (current == '\n' && (previous == '\n' || isBlank(previous))) || (isBlank(current) && isBlank(previous));
}

}  // namespace

bool hasControls(std::string_view text, bool keep_tabs) {
  std::size_t i = 0;
  for (; i + kWordBytes <= text.size(); i += kWordBytes) {
    const std::uint64_t word = loadWord(text.data() + i);
    if ((bytesBelow(word, 0x20) | bytesEqual(word, 0x7F) | bytesEqual(word, 0xC2)) == 0) continue;
    for (std::size_t k = i; k < i + kWordBytes; ++k) {
      if (controlAt(text, k, keep_tabs)) return true;
    }
  }
  for (; i < text.size(); ++i) {
    if (controlAt(text, i, keep_tabs)) return true;
  }
  return false;
}

bool isTidy(std::string_view text) {
  if (text.empty()) return true;
  if (isBlank(text.front()) || text.front() == '\n' || text.back() == '\n' || isBlank(text.back())) return false;
  std::size_t i = 1;
  if constexpr (std::endian::native == std::endian::little) {
    // Byte k of a word is the one after byte k - 1, so shifting a mask left by one byte lines
    // each byte up with its predecessor; the word's first byte gets the last byte of the one before.
    std::uint64_t previous_blanks = 0;
    std::uint64_t previous_newlines = 0;
    std::size_t at = 0;
    for (; at + kWordBytes <= text.size(); at += kWordBytes) {
      const std::uint64_t word = loadWord(text.data() + at);
      const std::uint64_t blanks = bytesEqual(word, ' ') | bytesEqual(word, '\t');
      const std::uint64_t newlines = bytesEqual(word, '\n');
      const std::uint64_t blank_before = (blanks << 8) | (previous_blanks >> 56);
      const std::uint64_t newline_before = (newlines << 8) | (previous_newlines >> 56);
      if (((blank_before & blanks) | ((blank_before | newline_before) & newlines)) != 0) return false;
      previous_blanks = blanks;
      previous_newlines = newlines;
    }
    i = at == 0 ? 1 : at;
  }
  for (; i < text.size(); ++i) {
    if (untidyPair(text[i - 1], text[i])) return false;
  }
  return true;
}

}  // namespace ajuste::clean_text
