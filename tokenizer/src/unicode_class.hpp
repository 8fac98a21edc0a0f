#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

// Character classes of the tiktoken patterns, and UTF-8 decoding with the replacement rule the
// library documents. Internal header: not installed, used by the pre-tokenizers and the tests.
namespace ajuste::tokenizer_detail {

// Bits of the flag byte of a code point. L, N, White_Space and M are disjoint (the generator
// checks it). Upperish/Lowerish are o200k's [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] and
// [\p{Ll}\p{Lm}\p{Lo}\p{M}].
enum CharFlag : std::uint8_t {
  kLetter = 1,
  kNumber = 2,
  kSpace = 4,
  kMark = 8,
  kUpperish = 16,
  kLowerish = 32,
  kCrLf = 64,
};

inline constexpr unsigned kUnicodeBlockBits = 7;

// Flags of a code point per UCD 16.0.0 (generated table); 0 for unassigned and out of range.
std::uint8_t unicodeFlags(char32_t cp) noexcept;
// The ASCII letter among s d m t l v r e that `cp` equals under simple case folding
// (so 'S' and U+017F give 's'), or 0.
char foldedContractionLetter(char32_t cp) noexcept;

inline constexpr char32_t kReplacementChar = 0xFFFD;

struct DecodedChar {
  char32_t cp;
  std::uint8_t flags;
  std::uint8_t size;  // bytes consumed, 1..4
};

namespace utf8_detail {
constexpr std::array<std::uint8_t, 128> makeAsciiFlags() {
  std::array<std::uint8_t, 128> t{};
  for (unsigned c = 0; c < 128; ++c) {
    std::uint8_t f = 0;
    if ((c >= 'a' && c <= 'z')) f = kLetter | kLowerish;
    if ((c >= 'A' && c <= 'Z')) f = kLetter | kUpperish;
    if (c >= '0' && c <= '9') f = kNumber;
    if ((c >= 0x09 && c <= 0x0d) || c == ' ') f = kSpace;
    if (c == '\r' || c == '\n') f = kSpace | kCrLf;
    t[c] = f;
  }
  return t;
}
}  // namespace utf8_detail

// The same values unicodeFlags() gives for ASCII, without the table walk.
inline constexpr std::array<std::uint8_t, 128> kAsciiFlags = utf8_detail::makeAsciiFlags();

// Decodes the character at text[pos] (pos < text.size()). Ill-formed input yields U+FFFD whose
// size is the maximal subpart of an ill-formed sequence (Unicode 16 §3.9, "U+FFFD Substitution
// of Maximal Subparts"): the longest prefix of a well-formed sequence, or one byte.
inline DecodedChar decodeChar(std::string_view text, std::size_t pos) noexcept {
  const auto b0 = static_cast<unsigned char>(text[pos]);
  if (b0 < 0x80) return {b0, kAsciiFlags[b0], 1};
  const std::size_t avail = text.size() - pos;
  auto byteAt = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  unsigned need = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  char32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    cp = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    cp = b0 & 0x0Fu;
    if (b0 == 0xE0) lo = 0xA0;  // no overlongs
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    cp = b0 & 0x07u;
    if (b0 == 0xF0) lo = 0x90;  // no overlongs
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return {kReplacementChar, 0, 1};
  }
  for (unsigned i = 1; i <= need; ++i) {
    if (i >= avail) return {kReplacementChar, 0, static_cast<std::uint8_t>(i)};
    const unsigned char b = byteAt(i);
    if (b < lo || b > hi) return {kReplacementChar, 0, static_cast<std::uint8_t>(i)};
    lo = 0x80;
    hi = 0xBF;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  return {cp, unicodeFlags(cp), static_cast<std::uint8_t>(need + 1)};
}

}  // namespace ajuste::tokenizer_detail
