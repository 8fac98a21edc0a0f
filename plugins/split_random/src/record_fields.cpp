#include "record_fields.hpp"

namespace ajuste::split_random {
namespace {

constexpr std::uint64_t kFnvOffset = 0xCBF29CE484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001B3ULL;

bool isAssistant(const nlohmann::json& message) {
  return message.is_object() && message.contains("role") && message.at("role") == "assistant" &&
         message.contains("content");
}

std::optional<nlohmann::json> lastAssistantContent(const nlohmann::json& messages) {
  if (!messages.is_array() || messages.empty() || !isAssistant(messages.back())) return std::nullopt;
  const nlohmann::json& content = messages.back().at("content");
  if (content.is_null()) return std::nullopt;
  return content;
}

std::optional<nlohmann::json> valueAt(const nlohmann::json& root, const nlohmann::json::json_pointer& pointer) {
  // contains() throws for a pointer that indexes an array with a non-number; that is "absent".
  try {
    if (!root.is_object() && !root.is_array()) return std::nullopt;
    if (!root.contains(pointer)) return std::nullopt;
    const nlohmann::json& found = root.at(pointer);
    if (found.is_null()) return std::nullopt;
    return found;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = kFnvOffset;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

std::optional<nlohmann::json> answerOf(const nlohmann::json& value) {
  if (!value.is_object()) return std::nullopt;
  if (value.contains("preferred_output")) return lastAssistantContent(value.at("preferred_output"));
  if (value.contains("messages")) return lastAssistantContent(value.at("messages"));
  if (value.contains("completion") && !value.at("completion").is_null()) return value.at("completion");
  return std::nullopt;
}

std::optional<nlohmann::json> fieldAt(const Record& record, const nlohmann::json::json_pointer& pointer) {
  if (auto found = valueAt(record.value, pointer)) return found;
  if (record.meta.is_object() && record.meta.contains("fields")) return valueAt(record.meta.at("fields"), pointer);
  return std::nullopt;
}

std::string labelText(const nlohmann::json& field) {
  return field.is_string() ? field.get<std::string>() : field.dump();
}

}  // namespace ajuste::split_random
