#include "utf8.hpp"

namespace ajuste::clean_text {
namespace {

constexpr CodePoint kIllFormed{.value = 0xFFFD, .length = 1, .valid = false};

bool isContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

CodePoint decodeAt(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) return {.value = lead, .length = 1, .valid = true};
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;  // overlong encodings are ill-formed
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return kIllFormed;
  }
  if (at + length > text.size()) return kIllFormed;
  for (std::size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[at + i]);
    if (!isContinuation(byte)) return kIllFormed;
    value = (value << 6) | (byte & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return kIllFormed;
  return {.value = value, .length = length, .valid = true};
}

std::size_t countCodePoints(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t at = 0; at < text.size(); at += decodeAt(text, at).length) ++count;
  return count;
}

}  // namespace ajuste::clean_text
