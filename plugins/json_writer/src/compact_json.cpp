#include "json_writer/compact_json.hpp"

#include <bit>
#include <charconv>
#include <cstdint>
#include <string_view>

#include <simdjson.h>

#include "byte_scan/block_masks.hpp"

namespace ajuste::json_writer {
namespace {

// Thrown inside this file only: the caller then lets dump() produce nlohmann's own error.
struct InvalidUtf8 {};

void appendEscape(unsigned char c, std::string& out) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";  // dump() writes lowercase \u00xx
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
}

// The first byte at or after `at` that a JSON string must escape (controls, '"', '\\'), or the
// text's size; a block at a time, since most strings have none.
std::size_t nextEscape(std::string_view text, std::size_t at) {
  using namespace byte_scan;
  for (; at + kBlockBytes <= text.size(); at += kBlockBytes) {
    const Block block = loadBlock(text.data() + at);
    const std::uint32_t escapes = bitmask(lessThan(block, 0x20) | equalTo(block, '"') | equalTo(block, '\\'));
    if (escapes != 0) return at + static_cast<std::size_t>(std::countr_zero(escapes));
  }
  for (; at < text.size(); ++at) {
    const auto c = static_cast<unsigned char>(text[at]);
    if (c < 0x20 || c == '"' || c == '\\') return at;
  }
  return text.size();
}

void appendString(std::string_view text, std::string& out) {
  if (!simdjson::validate_utf8(text.data(), text.size())) throw InvalidUtf8{};
  out += '"';
  std::size_t copied = 0;
  for (std::size_t i = nextEscape(text, 0); i < text.size(); i = nextEscape(text, copied)) {
    out.append(text, copied, i - copied);
    appendEscape(static_cast<unsigned char>(text[i]), out);
    copied = i + 1;
  }
  out.append(text, copied);
  out += '"';
}

template <typename Integer>
void appendInteger(Integer number, std::string& out) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, number);
  out.append(digits, result.ptr);
}

void appendValue(const nlohmann::json& value, std::string& out) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const nlohmann::json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        appendString(key, out);
        out += ':';
        appendValue(member, out);
      }
      out += '}';
      return;
    }
    case nlohmann::json::value_t::array: {
      out += '[';
      bool first = true;
      for (const nlohmann::json& element : value.get_ref<const nlohmann::json::array_t&>()) {
        if (!first) out += ',';
        first = false;
        appendValue(element, out);
      }
      out += ']';
      return;
    }
    case nlohmann::json::value_t::string: appendString(value.get_ref<const std::string&>(), out); return;
    case nlohmann::json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return;
    case nlohmann::json::value_t::null: out += "null"; return;
    case nlohmann::json::value_t::number_integer: appendInteger(value.get<std::int64_t>(), out); return;
    case nlohmann::json::value_t::number_unsigned: appendInteger(value.get<std::uint64_t>(), out); return;
    default: out += value.dump(); return;  // floats (nlohmann's shortest round-trip form), binary, discarded
  }
}

}  // namespace

void appendCompactJson(const nlohmann::json& value, std::string& out) {
  const std::size_t start = out.size();
  try {
    appendValue(value, out);
  } catch (const InvalidUtf8&) {
    out.resize(start);
    out += value.dump();  // throws type_error 316 naming the byte, exactly as before
  }
}

std::optional<std::string> appendJsonLine(const nlohmann::json& value, std::string& out) {
  try {
    appendCompactJson(value, out);
  } catch (const nlohmann::json::exception& error) {
    return std::string(error.what());
  }
  out += '\n';
  return std::nullopt;
}

std::optional<std::string> appendRecordLine(const Record& record, std::string& out) {
  if (record.text.empty()) return appendJsonLine(record.value, out);
  out += record.text;
  out += '\n';
  return std::nullopt;
}

bool appendJsonString(std::string_view text, std::string& out) {
  try {
    appendString(text, out);
  } catch (const InvalidUtf8&) {
    return false;
  }
  return true;
}

}  // namespace ajuste::json_writer
