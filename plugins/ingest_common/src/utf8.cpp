#include "ingest_common/utf8.hpp"

#include <cstring>

namespace ajuste::ingest {
namespace {

std::string hex(unsigned char byte) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out = "0x";
  out += kDigits[byte >> 4];
  out += kDigits[byte & 0x0F];
  return out;
}

bool isContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The allowed range of the byte after a lead byte; later continuation bytes are 80..BF.
struct LeadRule {
  std::size_t length;  // bytes in the sequence, 0 = never a lead byte
  unsigned char second_min;
  unsigned char second_max;
};

LeadRule leadRule(unsigned char lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return {2, 0x80, 0xBF};
  if (lead == 0xE0) return {3, 0xA0, 0xBF};
  if (lead == 0xED) return {3, 0x80, 0x9F};
  if (lead >= 0xE1 && lead <= 0xEF) return {3, 0x80, 0xBF};
  if (lead == 0xF0) return {4, 0x90, 0xBF};
  if (lead >= 0xF1 && lead <= 0xF3) return {4, 0x80, 0xBF};
  if (lead == 0xF4) return {4, 0x80, 0x8F};
  return {0, 0, 0};
}

std::string badLead(unsigned char lead) {
  if (isContinuation(lead)) return hex(lead) + " is a continuation byte with no character before it";
  if (lead == 0xC0 || lead == 0xC1) return hex(lead) + " starts an overlong (non-shortest) encoding";
  return hex(lead) + " can never appear in UTF-8 text";
}

std::string badSecond(unsigned char lead, unsigned char second) {
  if (isContinuation(second)) {
    if (lead == 0xE0 || lead == 0xF0) return hex(lead) + " " + hex(second) + " is an overlong (non-shortest) encoding";
    if (lead == 0xED) return hex(lead) + " " + hex(second) + " encodes a UTF-16 surrogate";
    if (lead == 0xF4) return hex(lead) + " " + hex(second) + " encodes a code point above U+10FFFF";
  }
  return hex(lead) + " starts a multi-byte character but is followed by " + hex(second);
}

}  // namespace

std::optional<Utf8Error> findInvalidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    // Fast path: eight ASCII bytes at a time (most of a dataset is ASCII).
    if (i + 8 <= size) {
      std::uint64_t word = 0;
      std::memcpy(&word, bytes + i, sizeof word);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    const LeadRule rule = leadRule(lead);
    if (rule.length == 0) return Utf8Error{i, badLead(lead)};
    for (std::size_t k = 1; k < rule.length; ++k) {
      if (i + k >= size) {
        return Utf8Error{i, hex(lead) + " starts a " + std::to_string(rule.length) + "-byte character but the text ends after " +
                                std::to_string(k) + (k == 1 ? " byte" : " bytes")};
      }
      const unsigned char next = bytes[i + k];
      const bool ok = k == 1 ? (next >= rule.second_min && next <= rule.second_max) : isContinuation(next);
      if (!ok) {
        if (k == 1) return Utf8Error{i, badSecond(lead, next)};
        return Utf8Error{i, hex(lead) + " starts a " + std::to_string(rule.length) + "-byte character but byte " +
                                std::to_string(k + 1) + " is " + hex(next) + ", not a continuation byte"};
      }
    }
    i += rule.length;
  }
  return std::nullopt;
}

std::string_view utf8Prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  // Step back over continuation bytes to the lead byte, which then starts outside the prefix.
  while (end > 0 && isContinuation(static_cast<unsigned char>(text[end]))) --end;
  return text.substr(0, end);
}

TextPosition positionIn(std::string_view text, std::size_t offset, TextPosition start) {
  TextPosition at = start;
  const std::size_t end = offset < text.size() ? offset : text.size();
  for (std::size_t i = 0; i < end; ++i) {
    const char c = text[i];
    // A line ends at \n, \r\n or a lone \r, as the parsers count lines.
    if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return at;
}

std::string describeInvalidUtf8(const Utf8Error& error, TextPosition at, std::uint64_t input_offset) {
  return "invalid UTF-8 at line " + std::to_string(at.line) + ", column " + std::to_string(at.column) +
         " (byte offset " + std::to_string(input_offset) + "): " + error.what +
         "; the input must be UTF-8 (re-save it as UTF-8: Latin-1 or Windows-1252 text shows this)";
}

}  // namespace ajuste::ingest
