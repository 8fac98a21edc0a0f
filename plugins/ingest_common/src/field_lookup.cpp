#include "ingest_common/field_lookup.hpp"

#include <charconv>
#include <cmath>

#include "ajuste/suggest.hpp"

namespace ajuste::ingest {
namespace {

constexpr std::size_t kNamesListed = 20;

const nlohmann::json* step(const nlohmann::json& value, std::string_view key) {
  if (value.is_object()) {
    const auto it = value.find(key);
    return it == value.end() ? nullptr : &*it;
  }
  if (value.is_array() && !key.empty()) {
    std::size_t index = 0;
    const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), index);
    if (error != std::errc() || end != key.data() + key.size() || index >= value.size()) return nullptr;
    return &value[index];
  }
  return nullptr;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

const nlohmann::json* lookupField(const nlohmann::json& record, std::string_view name) {
  if (!record.is_object()) return nullptr;
  if (const auto it = record.find(name); it != record.end()) return &*it;
  if (name.find('.') == std::string_view::npos) return nullptr;
  const nlohmann::json* value = &record;
  while (value != nullptr) {
    const std::size_t dot = name.find('.');
    value = step(*value, name.substr(0, dot));
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  return value;
}

std::optional<std::string> fieldText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return value.dump();
  return std::nullopt;
}

std::optional<double> fieldNumber(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const std::string_view text = trimmed(value.get_ref<const std::string&>());
  if (text.empty()) return std::nullopt;
  const char* begin = text.data() + (text.front() == '+' ? 1 : 0);
  double number = 0;
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(number)) return std::nullopt;
  return number;
}

std::string jsonKind(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::boolean: return "a boolean";
    default: return "a number";
  }
}

std::vector<std::string> fieldNames(const nlohmann::json& record) {
  std::vector<std::string> names;
  if (!record.is_object()) return names;
  for (const auto& item : record.items()) names.push_back(item.key());
  return names;
}

std::string listNames(const std::vector<std::string>& names) {
  if (names.empty()) return "no fields";
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kNamesListed; ++i) out += (i == 0 ? "'" : ", '") + names[i] + "'";
  if (names.size() > kNamesListed) out += " and " + std::to_string(names.size() - kNamesListed) + " more";
  return out;
}

std::string didYouMean(std::string_view name, const std::vector<std::string>& names) {
  // Any one-letter name is "close" to any other: no hint is better than a random one.
  if (name.size() < 3) return "";
  const auto nearest = nearestName(name, names);
  return nearest ? "; did you mean '" + *nearest + "'?" : "";
}

}  // namespace ajuste::ingest
