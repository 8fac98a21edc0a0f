#include "text_scan.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>

#include "byte_scan/block_masks.hpp"

namespace ajuste::clean_text {
namespace {

using byte_scan::bitmask;
using byte_scan::Block;
using byte_scan::equalTo;
using byte_scan::kBlockBytes;
using byte_scan::lessThan;
using byte_scan::loadBlock;

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
  for (; i + kBlockBytes <= text.size(); i += kBlockBytes) {
    const Block block = loadBlock(text.data() + i);
    // Candidates only: newlines (and kept tabs) are no controls, and C2 also starts other
    // characters; controlAt decides.
    for (std::uint32_t candidates = bitmask(lessThan(block, 0x20) | equalTo(block, 0x7F) | equalTo(block, 0xC2));
         candidates != 0; candidates &= candidates - 1) {
      if (controlAt(text, i + static_cast<std::size_t>(std::countr_zero(candidates)), keep_tabs)) return true;
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
  // Bit k of a block's bitmask is the byte after bit k - 1's, so shifting a bitmask left by one
  // lines each byte up with its predecessor; the block's first byte gets the last byte of the
  // block before.
  std::uint32_t previous_blanks = 0;
  std::uint32_t previous_newlines = 0;
  std::size_t at = 0;
  for (; at + kBlockBytes <= text.size(); at += kBlockBytes) {
    const Block block = loadBlock(text.data() + at);
    const std::uint32_t blanks = bitmask(equalTo(block, ' ') | equalTo(block, '\t'));
    const std::uint32_t newlines = bitmask(equalTo(block, '\n'));
    const std::uint32_t blank_before = (blanks << 1) | (previous_blanks >> (kBlockBytes - 1));
    const std::uint32_t newline_before = (newlines << 1) | (previous_newlines >> (kBlockBytes - 1));
    if (((blank_before & blanks) | ((blank_before | newline_before) & newlines)) != 0) return false;
    previous_blanks = blanks;
    previous_newlines = newlines;
  }
  for (std::size_t i = at == 0 ? 1 : at; i < text.size(); ++i) {
    if (untidyPair(text[i - 1], text[i])) return false;
  }
  return true;
}

}  // namespace ajuste::clean_text
