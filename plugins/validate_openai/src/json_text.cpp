#include "json_text.hpp"

namespace ajuste::validate_openai {

std::string shorten(std::string_view text, std::size_t bytes) {
  if (text.size() <= bytes) return std::string(text);
  std::size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "...";
}

std::string quote(const nlohmann::json& value) {
  return shorten(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), kQuoteBytes);
}

std::string found(const nlohmann::json& value) {
  using Type = nlohmann::json::value_t;
  switch (value.type()) {
    case Type::null: return "null";
    case Type::boolean: return "a boolean (" + quote(value) + ")";
    case Type::string: return "a string (" + quote(value) + ")";
    case Type::array: return "an array (" + quote(value) + ")";
    case Type::object: return "an object (" + quote(value) + ")";
    default: return "a number (" + quote(value) + ")";
  }
}

bool isValidName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace ajuste::validate_openai
