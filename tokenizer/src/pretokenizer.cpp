#include "pretokenizer.hpp"

#include <cstdint>

#include "unicode_class.hpp"

namespace ajuste::tokenizer_detail {

namespace {

constexpr std::size_t kNoMatch = static_cast<std::size_t>(-1);
// Flag of the pseudo-character past the end of the text, so that class tests written as
// "none of these bits" (such as [^\s\p{L}\p{N}]) never match the end.
constexpr std::uint8_t kEnd = 128;

struct Text {
  std::string_view s;

  DecodedChar at(std::size_t p) const noexcept {
    if (p >= s.size()) return {0, kEnd, 0};
    return decodeChar(s, p);
  }
  bool byteIs(std::size_t p, char c) const noexcept { return p < s.size() && s[p] == c; }
};

// [^\s\p{L}\p{N}]
bool isOther(std::uint8_t f) noexcept { return (f & (kLetter | kNumber | kSpace | kEnd)) == 0; }
// [^\r\n\p{L}\p{N}]
bool isWordPrefix(std::uint8_t f) noexcept { return (f & (kLetter | kNumber | kCrLf | kEnd)) == 0; }

// End of the run of characters having any of `bits`, starting at p.
std::size_t runEnd(const Text& t, std::size_t p, std::uint8_t bits) noexcept {
  for (;;) {
    const DecodedChar c = t.at(p);
    if ((c.flags & bits) == 0 || (c.flags & kEnd) != 0) return p;
    p += c.size;
  }
}

// '(?i:s|t|re|ve|m|ll|d) at p (both patterns accept the same set); the end, or kNoMatch.
std::size_t contractionEnd(const Text& t, std::size_t p) noexcept {
  if (!t.byteIs(p, '\'')) return kNoMatch;
  const DecodedChar c1 = t.at(p + 1);
  const std::size_t after1 = p + 1 + c1.size;
  switch (foldedContractionLetter(c1.cp)) {
    case 's':
    case 't':
    case 'm':
    case 'd':
      return after1;
    case 'r':
    case 'v':
      if (const DecodedChar c2 = t.at(after1); foldedContractionLetter(c2.cp) == 'e') return after1 + c2.size;
      return kNoMatch;
    case 'l':
      if (const DecodedChar c2 = t.at(after1); foldedContractionLetter(c2.cp) == 'l') return after1 + c2.size;
      return kNoMatch;
    default:
      return kNoMatch;
  }
}

std::size_t optionalContraction(const Text& t, std::size_t p) noexcept {
  const std::size_t end = contractionEnd(t, p);
  return end == kNoMatch ? p : end;
}

// Shared tail of both patterns once no earlier alternative matched at a whitespace character:
// the run of \s from pos, cut as \s++$ / \s*[\r\n] / \s+(?!\S) / \s would cut it.
// `endFirst`: cl100k tries \s++$ before \s*[\r\n]; o200k has no $ alternative, so a run
// with a CR/LF at the end of the text stops after its last CR/LF.
std::size_t whitespaceEnd(const Text& t, std::size_t pos, bool endFirst) noexcept {
  std::size_t p = pos;
  std::size_t lastStart = pos;
  std::size_t afterLastCrLf = kNoMatch;
  std::size_t count = 0;
  for (;;) {
    const DecodedChar c = t.at(p);
    if ((c.flags & kSpace) == 0) break;
    lastStart = p;
    p += c.size;
    ++count;
    if (c.flags & kCrLf) afterLastCrLf = p;
  }
  if (count == 0) return pos + t.at(pos).size;  // unreachable: callers pass a \s character
  const bool atEnd = p == t.s.size();
  if (endFirst && atEnd) return p;                    // \s++$
  if (afterLastCrLf != kNoMatch) return afterLastCrLf;  // \s*[\r\n] (o200k: \s*[\r\n]+)
  if (atEnd) return p;                                // o200k \s+(?!\S) at the end
  if (count >= 2) return lastStart;                   // \s+(?!\S): leave the last one
  return p;                                           // \s / \s+
}

// [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+ with backtracking, then the
// optional contraction. Greedy U* gives back characters until W+ can start: either right after
// the U run (a Ll), or at the last U character that is also W (Lm/Lo/M), which W+ then takes
// alone because the character after it is not W.
std::size_t o200kUpperThenLower(const Text& t, std::size_t start) noexcept {
  std::size_t p = start;
  std::size_t afterLastBoth = kNoMatch;
  DecodedChar c = t.at(p);
  while ((c.flags & kUpperish) != 0) {
    p += c.size;
    if (c.flags & kLowerish) afterLastBoth = p;
    c = t.at(p);
  }
  if (c.flags & kLowerish) return optionalContraction(t, runEnd(t, p, kLowerish));
  if (afterLastBoth != kNoMatch) return optionalContraction(t, afterLastBoth);
  return kNoMatch;
}

// [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]* then the optional contraction.
std::size_t o200kUpperRun(const Text& t, std::size_t start) noexcept {
  const std::size_t p = runEnd(t, start, kUpperish);
  if (p == start) return kNoMatch;
  return optionalContraction(t, runEnd(t, p, kLowerish));
}

}  // namespace

std::size_t cl100kPieceEnd(std::string_view text, std::size_t pos) noexcept {
  const Text t{text};
  const DecodedChar c = t.at(pos);

  // '(?i:[sdmt]|ll|ve|re)
  if (c.cp == '\'') {
    if (const std::size_t end = contractionEnd(t, pos); end != kNoMatch) return end;
  }
  // [^\r\n\p{L}\p{N}]?+\p{L}++ : the prefix is possessive, but backtracking could not help
  // anyway since a prefix character is never a letter.
  if (c.flags & kLetter) return runEnd(t, pos, kLetter);
  if (isWordPrefix(c.flags)) {
    const std::size_t next = pos + c.size;
    if (t.at(next).flags & kLetter) return runEnd(t, next, kLetter);
  }
  // \p{N}{1,3}+
  if (c.flags & kNumber) {
    std::size_t p = pos + c.size;
    for (int i = 1; i < 3; ++i) {
      const DecodedChar d = t.at(p);
      if ((d.flags & kNumber) == 0) break;
      p += d.size;
    }
    return p;
  }
  //  ?[^\s\p{L}\p{N}]++[\r\n]*+
  std::size_t start = kNoMatch;
  if (c.cp == ' ' && isOther(t.at(pos + 1).flags)) start = pos + 1;
  else if (isOther(c.flags)) start = pos;
  if (start != kNoMatch) {
    std::size_t p = start;
    for (DecodedChar d = t.at(p); isOther(d.flags); d = t.at(p)) p += d.size;
    while (t.byteIs(p, '\r') || t.byteIs(p, '\n')) ++p;
    return p;
  }
  // \s++$|\s*[\r\n]|\s+(?!\S)|\s
  return whitespaceEnd(t, pos, /*endFirst=*/true);
}

std::size_t o200kPieceEnd(std::string_view text, std::size_t pos) noexcept {
  const Text t{text};
  const DecodedChar c = t.at(pos);

  // The two word alternatives, each first with the optional prefix taken (greedy ?), then
  // without it. Without it the word must start at c itself, which only a mark can do when c
  // is also a prefix character.
  const bool prefix = isWordPrefix(c.flags);
  const std::size_t afterPrefix = pos + c.size;
  if (prefix) {
    if (const std::size_t end = o200kUpperThenLower(t, afterPrefix); end != kNoMatch) return end;
  }
  if (c.flags & (kUpperish | kLowerish)) {
    if (const std::size_t end = o200kUpperThenLower(t, pos); end != kNoMatch) return end;
  }
  if (prefix) {
    if (const std::size_t end = o200kUpperRun(t, afterPrefix); end != kNoMatch) return end;
  }
  if (c.flags & kUpperish) {
    if (const std::size_t end = o200kUpperRun(t, pos); end != kNoMatch) return end;
  }
  // \p{N}{1,3}
  if (c.flags & kNumber) {
    std::size_t p = pos + c.size;
    for (int i = 1; i < 3; ++i) {
      const DecodedChar d = t.at(p);
      if ((d.flags & kNumber) == 0) break;
      p += d.size;
    }
    return p;
  }
  //  ?[^\s\p{L}\p{N}]+[\r\n/]*  (nothing after the + can fail, so greedy = maximal)
  std::size_t start = kNoMatch;
  if (c.cp == ' ' && isOther(t.at(pos + 1).flags)) start = pos + 1;
  else if (isOther(c.flags)) start = pos;
  if (start != kNoMatch) {
    std::size_t p = start;
    for (DecodedChar d = t.at(p); isOther(d.flags); d = t.at(p)) p += d.size;
    while (t.byteIs(p, '\r') || t.byteIs(p, '\n') || t.byteIs(p, '/')) ++p;
    return p;
  }
  // \s*[\r\n]+|\s+(?!\S)|\s+
  return whitespaceEnd(t, pos, /*endFirst=*/false);
}

}  // namespace ajuste::tokenizer_detail
