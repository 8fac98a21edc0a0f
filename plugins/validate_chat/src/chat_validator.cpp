#include "chat_validator.hpp"

#include <array>
#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>

namespace ajuste::validate_chat {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 4> kRoles = {"system", "user", "assistant", "tool"};
constexpr std::array<std::string_view, 8> kMessageKeys = {"role",   "content",      "name",          "weight",
                                                          "tool_calls", "tool_call_id", "function_call", "refusal"};
constexpr std::array<std::string_view, 4> kTopLevelKeys = {"messages", "tools", "functions", "parallel_tool_calls"};
// Values quoted in reasons are cut to this many bytes, so a reason stays one readable line.
constexpr std::size_t kQuoteBytes = 60;

constexpr std::string_view kSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "require_assistant": {
      "type": "boolean",
      "default": true,
      "description": "Reject examples without any assistant message (kind missing_assistant). Turn off only for data that is completed later, e.g. prompts for distillation."
    }
  }
})json";

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view value) {
  for (const std::string_view item : set) {
    if (item == value) return true;
  }
  return false;
}

template <std::size_t N>
std::string joined(const std::array<std::string_view, N>& set) {
  std::string out;
  for (const std::string_view item : set) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

// Compact JSON text of `value`, cut at a character boundary after kQuoteBytes bytes.
std::string quote(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() <= kQuoteBytes) return text;
  std::size_t end = kQuoteBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text + "...";
}

// "a number (42)", "an object ({\"text\":\"hi\"})", "null", "a boolean (true)".
std::string found(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean (" + quote(value) + ")";
    case Json::value_t::string: return "a string (" + quote(value) + ")";
    case Json::value_t::array: return "an array (" + quote(value) + ")";
    case Json::value_t::object: return "an object (" + quote(value) + ")";
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

bool hasToolCall(const Json& message) {
  const auto calls = message.find("tool_calls");
  if (calls != message.end() && calls->is_array() && !calls->empty()) return true;
  const auto call = message.find("function_call");
  return call != message.end() && call->is_object();
}

ChatProblem problem(std::string kind, std::string reason) { return ChatProblem{std::move(kind), std::move(reason)}; }

std::optional<ChatProblem> checkContentParts(const Json& parts, const std::string& at) {
  if (parts.empty()) {
    return problem("empty_content", at + " is an empty array, expected text or at least one content part");
  }
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Json& part = parts[i];
    const std::string part_at = at + "[" + std::to_string(i) + "]";
    if (!part.is_object()) {
      return problem("non_string_content", part_at + " is " + found(part) +
                                               ", expected a content part {\"type\": \"text\", \"text\": \"...\"} or "
                                               "{\"type\": \"image_url\", \"image_url\": {\"url\": \"...\"}}");
    }
    const auto type = part.find("type");
    if (type == part.end() || !type->is_string() || (*type != "text" && *type != "image_url")) {
      return problem("non_string_content",
                     part_at + ".type is " + (type == part.end() ? std::string("missing") : found(*type)) +
                         ", expected \"text\" or \"image_url\"");
    }
    if (*type == "text") {
      const auto text = part.find("text");
      if (text == part.end() || !text->is_string()) {
        return problem("non_string_content", part_at + ".text is " +
                                                 (text == part.end() ? std::string("missing") : found(*text)) +
                                                 ", expected a string");
      }
    } else if (!part.contains("image_url")) {
      return problem("non_string_content", part_at + ".image_url is missing, expected {\"url\": \"...\"}");
    }
  }
  return std::nullopt;
}

std::optional<ChatProblem> checkContent(const Json& message, const std::string& role, const std::string& at) {
  const std::string content_at = at + ".content";
  const auto content = message.find("content");
  if (content == message.end() || content->is_null()) {
    if (role == "assistant" && hasToolCall(message)) return std::nullopt;
    return problem("missing_content",
                   content_at + (content == message.end() ? " is missing" : " is null") +
                       "; only an assistant message with tool_calls or function_call may leave it out");
  }
  if (content->is_string()) {
    if (content->get_ref<const std::string&>().empty()) {
      return problem("empty_content", content_at + " is an empty string, expected the " + role + "'s text");
    }
    return std::nullopt;
  }
  if (content->is_array()) {
    if (role == "user") return checkContentParts(*content, content_at);
    return problem("non_string_content", content_at + " is " + found(*content) +
                                             ", expected a string (content parts are accepted on user messages only)");
  }
  return problem("non_string_content", content_at + " is " + found(*content) + ", expected a string");
}

std::optional<ChatProblem> checkMessage(const Json& message, const std::string& at) {
  if (!message.is_object()) {
    return problem("message_not_object", at + " is " + found(message) + ", expected an object with role and content");
  }
  const auto role = message.find("role");
  if (role == message.end()) {
    return problem("missing_role", at + ".role is missing, expected one of " + joined(kRoles));
  }
  if (!role->is_string()) {
    return problem("unknown_role", at + ".role is " + found(*role) + ", expected one of " + joined(kRoles));
  }
  const auto& role_name = role->get_ref<const std::string&>();
  if (!contains(kRoles, role_name)) {
    std::string reason = at + ".role " + quote(*role) + " is not one of " + joined(kRoles);
    std::string lower = role_name;
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (lower != role_name && contains(kRoles, lower)) reason += " (roles are lowercase: \"" + lower + "\")";
    if (role_name == "function") reason += " (the deprecated \"function\" role is not accepted: use \"tool\")";
    return problem("unknown_role", std::move(reason));
  }
  for (const auto& [key, value] : message.items()) {
    if (!contains(kMessageKeys, key)) {
      return problem("extra_keys", at + " has unknown key \"" + key + "\"; allowed keys are " + joined(kMessageKeys));
    }
  }
  if (auto bad = checkContent(message, role_name, at)) return bad;
  if (const auto weight = message.find("weight"); weight != message.end()) {
    const bool ok = weight->is_number() && (*weight == 0 || *weight == 1);
    if (!ok) return problem("invalid_weight", at + ".weight is " + found(*weight) + ", expected 0 or 1");
  }
  if (const auto name = message.find("name"); name != message.end()) {
    if (!name->is_string()) {
      return problem("invalid_name",
                     at + ".name is " + found(*name) + ", expected a string of 1 to 64 letters, digits, _ or -");
    }
    if (!isValidName(name->get_ref<const std::string&>())) {
      return problem("invalid_name", at + ".name " + quote(*name) +
                                         " does not match ^[a-zA-Z0-9_-]{1,64}$ (1 to 64 letters, digits, _ or -)");
    }
  }
  return std::nullopt;
}

Result<std::unique_ptr<Stage>> makeChatValidator(const nlohmann::json& with, Context& /*ctx*/) {
  return std::unique_ptr<Stage>(
      std::make_unique<ChatValidator>(ChatOptions{.require_assistant = with.value("require_assistant", true)}));
}

}  // namespace

const StageInfo& ChatValidator::info() {
  static const StageInfo kInfo{
      .name = "validate/chat",
      .kind = StageKind::kRecords,
      .summary =
          "Checks that each record is a structurally valid OpenAI chat fine-tuning example: a top-level object "
          "with only messages, tools, functions and parallel_tool_calls; a non-empty messages array of objects "
          "whose role is system, user, assistant or tool; only the known message keys; non-empty string content "
          "(content parts on user messages; null only on an assistant message with tool calls); weight 0 or 1; "
          "a valid name; and at least one assistant message. The first broken rule rejects the record with its "
          "JSON path, what was found and what is allowed. Token limits and tool schemas are not checked here.",
      .options_schema = std::string(kSchema),
      .consumes = {},
      .produces = {},
      .parallel = true,
      .keeps_text = true,
      .make = &makeChatValidator,
  };
  return kInfo;
}

std::optional<ChatProblem> ChatValidator::check(const nlohmann::json& example) const {
  if (!example.is_object()) {
    return problem("not_object", "record is " + found(example) + ", expected an object with \"messages\"");
  }
  const auto messages = example.find("messages");
  if (messages == example.end()) {
    std::string reason = "messages is missing; a chat example is {\"messages\": [{\"role\": \"user\", \"content\": "
                         "\"...\"}, {\"role\": \"assistant\", \"content\": \"...\"}]}";
    if (example.contains("prompt") || example.contains("completion")) {
      reason += " (this looks like a legacy prompt/completion example: turn it into messages)";
    } else if (!example.empty()) {
      std::string keys;
      for (const auto& [key, value] : example.items()) keys += (keys.empty() ? "" : ", ") + key;
      reason += " (found keys: " + keys + ")";
    }
    return problem("missing_messages", std::move(reason));
  }
  for (const auto& [key, value] : example.items()) {
    if (!contains(kTopLevelKeys, key)) {
      return problem("extra_keys", "unknown top-level key \"" + key + "\"; allowed keys are " + joined(kTopLevelKeys));
    }
  }
  if (!messages->is_array()) {
    return problem("messages_not_array", "messages is " + found(*messages) + ", expected an array of messages");
  }
  if (messages->empty()) {
    return problem("empty_messages", "messages is an empty array; add at least a user and an assistant message");
  }
  bool has_assistant = false;
  for (std::size_t i = 0; i < messages->size(); ++i) {
    const Json& message = (*messages)[i];
    if (auto bad = checkMessage(message, "messages[" + std::to_string(i) + "]")) return bad;
    if (message.at("role") == "assistant") has_assistant = true;
  }
  if (options_.require_assistant && !has_assistant) {
    std::string roles;
    for (const Json& message : *messages) roles += (roles.empty() ? "" : ", ") + message.at("role").get<std::string>();
    return problem("missing_assistant", "no assistant message (roles: " + roles +
                                            "); an example needs the assistant's answer for the model to learn from");
  }
  return std::nullopt;
}

Status ChatValidator::process(Batch& batch, Context& /*ctx*/) {
  for (Record& record : batch) {
    if (auto bad = check(record.value)) batch.reject(record, std::move(bad->reason), std::move(bad->kind));
  }
  return Status::ok();
}

}  // namespace ajuste::validate_chat
