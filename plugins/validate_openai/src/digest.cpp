#include "digest.hpp"

#include <charconv>
#include <cstring>
#include <string>

namespace ajuste::validate_openai {
namespace {

using Json = nlohmann::json;

// Word-at-a-time structural hash for digest(): every item is tagged and every text carries its
// length, so the byte stream it hashes is unambiguous.
class WordHash {
 public:
  void tag(char kind, std::uint64_t length) { mix(static_cast<unsigned char>(kind) | length << 8); }
  void word(std::uint64_t value) { mix(value); }
  void text(std::string_view bytes) {
    const char* p = bytes.data();
    std::size_t n = bytes.size();
    for (; n >= 8; p += 8, n -= 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, p, 8);
      mix(w);
    }
    if (n > 0) {
      std::uint64_t w = 0;
      std::memcpy(&w, p, n);
      mix(w);
    }
  }
  [[nodiscard]] std::uint64_t value() const {
    std::uint64_t h = hash_;
    h = (h ^ (h >> 32)) * 0xD6E8FEB86659FD93ull;
    return h ^ (h >> 32);
  }

 private:
  void mix(std::uint64_t w) {
    hash_ = (hash_ ^ w) * 0x9E3779B97F4A7C15ull;
    hash_ ^= hash_ >> 29;
  }
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

// Bytes a string takes in nlohmann's compact dump (ensure_ascii off): quotes, two-character
// escapes for " \ \b \f \n \r \t, \u00XX for the other control characters.
std::uint64_t escapedLength(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHighs = 0x8080808080808080ull;
  const auto hasZeroByte = [&](std::uint64_t v) { return ((v - kOnes) & ~v & kHighs) != 0; };
  std::uint64_t n = 2 + text.size();  // the quotes, and one byte per byte; escapes add to it
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p != end) {
    if (end - p >= 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, p, 8);
      // No byte below 0x20, no '"' and no '\\' in these eight: nothing to add.
      const bool plain = ((w - kOnes * 0x20) & ~w & kHighs) == 0 && !hasZeroByte(w ^ (kOnes * static_cast<std::uint64_t>('"'))) &&
                         !hasZeroByte(w ^ (kOnes * static_cast<std::uint64_t>('\\')));
      if (plain) {
        p += 8;
        continue;
      }
    }
    const char c = *p++;
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
      n += 1;
    } else if (byte < 0x20) {
      n += 5;
    }
  }
  return n;
}

std::uint64_t decimalDigits(std::uint64_t value) {
  std::uint64_t digits = 1;
  for (; value >= 10; value /= 10) ++digits;
  return digits;
}

void walk(const Json& value, WordHash& hash, std::uint64_t& bytes) {
  switch (value.type()) {
    case Json::value_t::null:
      hash.tag('n', 0);
      bytes += 4;
      break;
    case Json::value_t::boolean:
      hash.tag(value.get<bool>() ? 't' : 'f', 0);
      bytes += value.get<bool>() ? 4u : 5u;
      break;
    case Json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      hash.tag('s', text.size());
      hash.text(text);
      bytes += escapedLength(text);
      break;
    }
    case Json::value_t::number_integer: {
      const auto number = value.get<std::int64_t>();
      // Non-negative values hash as number_unsigned does: nlohmann compares them equal.
      hash.tag(number < 0 ? 'm' : 'i', 0);
      hash.word(static_cast<std::uint64_t>(number));
      bytes += decimalDigits(number < 0 ? 0 - static_cast<std::uint64_t>(number) : static_cast<std::uint64_t>(number)) +
               (number < 0 ? 1 : 0);
      break;
    }
    case Json::value_t::number_unsigned: {
      const auto number = value.get<std::uint64_t>();
      hash.tag('i', 0);
      hash.word(number);
      bytes += decimalDigits(number);
      break;
    }
    case Json::value_t::number_float: {
      char text[64];
      const auto result = std::to_chars(text, text + sizeof text, value.get<double>());
      const std::string_view shortest(text, static_cast<std::size_t>(result.ptr - text));
      hash.tag('d', shortest.size());
      hash.text(shortest);
      bytes += shortest.size() + (shortest.find_first_of(".e") == std::string_view::npos ? 2 : 0);
      break;
    }
    case Json::value_t::array: {
      hash.tag('[', value.size());
      bytes += 2 + (value.empty() ? 0 : value.size() - 1);
      for (const Json& item : value) walk(item, hash, bytes);
      break;
    }
    case Json::value_t::object: {
      hash.tag('{', value.size());
      bytes += 2 + (value.empty() ? 0 : value.size() - 1);
      for (const auto& [key, item] : value.get_ref<const Json::object_t&>()) {
        hash.tag('k', key.size());
        hash.text(key);
        bytes += escapedLength(key) + 1;
        walk(item, hash, bytes);
      }
      break;
    }
    default:
      hash.tag('?', 0);
      break;
  }
}

}  // namespace

std::uint64_t hashText(std::string_view text) {
  Fnv1a hash;
  hash.update(text);
  return hash.value();
}

JsonDigest digest(const nlohmann::json& value) {
  WordHash hash;
  std::uint64_t bytes = 0;
  walk(value, hash, bytes);
  return JsonDigest{hash.value(), bytes};
}

}  // namespace ajuste::validate_openai
