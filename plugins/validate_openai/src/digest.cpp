#include "digest.hpp"

#include <charconv>
#include <string>

namespace ajuste::validate_openai {
namespace {

using Json = nlohmann::json;

std::uint64_t escapedLength(std::string_view text) {
  std::uint64_t n = 2;  // the quotes
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
      n += 2;
    } else if (byte < 0x20) {
      n += 6;
    } else {
      n += 1;
    }
  }
  return n;
}

void walk(const Json& value, Fnv1a& hash, std::uint64_t& bytes) {
  switch (value.type()) {
    case Json::value_t::null:
      hash.update('n');
      bytes += 4;
      break;
    case Json::value_t::boolean:
      hash.update(value.get<bool>() ? 't' : 'f');
      bytes += value.get<bool>() ? 4u : 5u;
      break;
    case Json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      hash.update('s');
      const std::string length = std::to_string(text.size());
      hash.update(length);
      hash.update(':');
      hash.update(text);
      bytes += escapedLength(text);
      break;
    }
    case Json::value_t::number_integer: {
      const std::string text = std::to_string(value.get<std::int64_t>());
      hash.update('i');
      hash.update(text);
      hash.update(';');
      bytes += text.size();
      break;
    }
    case Json::value_t::number_unsigned: {
      const std::string text = std::to_string(value.get<std::uint64_t>());
      hash.update('i');
      hash.update(text);
      hash.update(';');
      bytes += text.size();
      break;
    }
    case Json::value_t::number_float: {
      char text[64];
      const auto result = std::to_chars(text, text + sizeof text, value.get<double>());
      const std::string_view shortest(text, static_cast<std::size_t>(result.ptr - text));
      hash.update('d');
      hash.update(shortest);
      hash.update(';');
      bytes += shortest.size() + (shortest.find_first_of(".e") == std::string_view::npos ? 2 : 0);
      break;
    }
    case Json::value_t::array: {
      hash.update('[');
      bytes += 2 + (value.empty() ? 0 : value.size() - 1);
      for (const Json& item : value) walk(item, hash, bytes);
      hash.update(']');
      break;
    }
    case Json::value_t::object: {
      hash.update('{');
      bytes += 2 + (value.empty() ? 0 : value.size() - 1);
      for (const auto& [key, item] : value.items()) {
        hash.update(std::to_string(key.size()));
        hash.update(':');
        hash.update(key);
        bytes += escapedLength(key) + 1;
        walk(item, hash, bytes);
      }
      hash.update('}');
      break;
    }
    default:
      hash.update('?');
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
  Fnv1a hash;
  std::uint64_t bytes = 0;
  walk(value, hash, bytes);
  return JsonDigest{hash.value(), bytes};
}

}  // namespace ajuste::validate_openai
