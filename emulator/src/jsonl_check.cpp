#include "jsonl_check.hpp"

#include <array>
#include <optional>

#include <nlohmann/json.hpp>

namespace ajuste::emulator {
namespace {

using nlohmann::json;

// The first problem found in one example; empty when it is fine.
using Problem = std::optional<std::string>;

// A member of an object, or null when absent: `const json::operator[]` must not see a missing key.
const json& member(const json& object, const char* key) {
  static const json kNull;
  const auto found = object.find(key);
  return found == object.end() ? kNull : *found;
}

std::optional<std::size_t> firstInvalidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    if (c < 0x80U) {
      extra = 0;
    } else if ((c & 0xE0U) == 0xC0U && c >= 0xC2U) {
      extra = 1;
    } else if ((c & 0xF0U) == 0xE0U) {
      extra = 2;
    } else if ((c & 0xF8U) == 0xF0U && c <= 0xF4U) {
      extra = 3;
    } else {
      return i;
    }
    for (std::size_t k = 1; k <= extra; ++k) {
      if (i + k >= text.size() || (static_cast<unsigned char>(text[i + k]) & 0xC0U) != 0x80U) return i;
    }
    i += extra + 1;
  }
  return std::nullopt;
}

std::string hexByte(unsigned char c) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  return std::string("0x") + kHex[c >> 4U] + kHex[c & 0xFU];
}

bool isOneOf(const std::string& value, std::initializer_list<std::string_view> options) {
  for (const auto option : options) {
    if (value == option) return true;
  }
  return false;
}

Problem checkContentParts(const json& parts, const std::string& where) {
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const json& part = parts[i];
    const std::string at = where + ", key content, part " + std::to_string(i + 1);
    if (!part.is_object() || !member(part, "type").is_string())
      return at + ": must be an object with a \"type\"";
    const auto type = member(part, "type").get<std::string>();
    if (type == "text") {
      if (!member(part, "text").is_string()) return at + ": a text part needs a string \"text\"";
    } else if (type == "image_url") {
      if (!member(member(part, "image_url"), "url").is_string())
        return at + ": an image_url part needs {\"image_url\": {\"url\": ...}}";
    } else {
      return at + ": unsupported content part type \"" + type + "\" (expected text or image_url)";
    }
  }
  return std::nullopt;
}

// `where` is "Line 3, message 2" or "Line 3, preferred_output message 1".
Problem checkMessage(const json& message, const std::string& where, bool& is_trained_assistant) {
  if (!message.is_object()) return where + ": must be a JSON object";
  for (const auto& [key, value] : message.items()) {
    if (!isOneOf(key, {"role", "content", "name", "weight", "tool_calls", "tool_call_id", "function_call", "refusal"}))
      return where + ", key " + key + ": unrecognized key";
  }
  if (!message.contains("role")) return where + ", key role: is required";
  if (!member(message, "role").is_string()) return where + ", key role: must be a string";
  const auto role = member(message, "role").get<std::string>();
  if (!isOneOf(role, {"system", "developer", "user", "assistant", "tool", "function"}))
    return where + ", key role: \"" + role + "\" is not one of system, developer, user, assistant, tool, function";
  const bool calls = message.contains("tool_calls") || message.contains("function_call");
  if (message.contains("tool_calls") && !member(message, "tool_calls").is_array())
    return where + ", key tool_calls: must be a list";
  if (message.contains("name") && !member(message, "name").is_string()) return where + ", key name: must be a string";
  if (member(message, "content").is_null()) {
    if (!(role == "assistant" && calls)) return where + ", key content: is required";
  } else {
    const json& content = member(message, "content");
    if (content.is_string()) {
      if (content.get_ref<const std::string&>().empty() && !calls) return where + ", key content: must not be empty";
    } else if (content.is_array()) {
      if (content.empty()) return where + ", key content: must not be an empty list";
      if (auto problem = checkContentParts(content, where)) return problem;
    } else {
      return where + ", key content: must be a string or a list of content parts, got " + std::string(content.type_name());
    }
  }
  if (message.contains("weight")) {
    if (role != "assistant") return where + ", key weight: is only allowed on assistant messages";
    const json& weight = member(message, "weight");
    if (!weight.is_number_integer() || (weight.get<std::int64_t>() != 0 && weight.get<std::int64_t>() != 1))
      return where + ", key weight: must be 0 or 1, got " + weight.dump();
  }
  is_trained_assistant = role == "assistant" && message.value("weight", 1) != 0;
  return std::nullopt;
}

Problem checkMessages(const json& messages, const std::string& line_at, const std::string& label, bool& has_assistant) {
  for (std::size_t i = 0; i < messages.size(); ++i) {
    bool trained = false;
    if (auto problem = checkMessage(messages[i], line_at + ", " + label + std::to_string(i + 1), trained)) return problem;
    has_assistant = has_assistant || trained;
  }
  return std::nullopt;
}

Problem checkTools(const json& example, const std::string& at) {
  if (example.contains("tools") && !member(example, "tools").is_array()) return at + ", key tools: must be a list";
  if (example.contains("parallel_tool_calls") && !member(example, "parallel_tool_calls").is_boolean())
    return at + ", key parallel_tool_calls: must be true or false";
  return std::nullopt;
}

Problem checkChat(const json& example, const std::string& at) {
  const json& messages = member(example, "messages");
  if (!messages.is_array()) return at + ", key messages: must be a list of messages";
  if (messages.empty()) return at + ", key messages: must contain at least one message";
  if (auto problem = checkTools(example, at)) return problem;
  bool has_assistant = false;
  if (auto problem = checkMessages(messages, at, "message ", has_assistant)) return problem;
  if (!has_assistant)
    return at + ": no assistant message to train on (each example needs a message with role assistant and weight 1)";
  return std::nullopt;
}

Problem checkPreference(const json& example, const std::string& at) {
  const json& input = member(example, "input");
  if (!input.is_object() || !member(input, "messages").is_array())
    return at + ", key input: must be an object with a \"messages\" list";
  if (member(input, "messages").empty()) return at + ", key input.messages: must contain at least one message";
  if (auto problem = checkTools(input, at + ", key input")) return problem;
  bool ignored = false;
  if (auto problem = checkMessages(member(input, "messages"), at, "input message ", ignored)) return problem;
  for (const char* key : {"preferred_output", "non_preferred_output"}) {
    const json& output = member(example, key);
    if (!output.is_array() || output.empty())
      return at + ", key " + key + ": must be a list with at least one assistant message";
    bool has_assistant = false;
    if (auto problem = checkMessages(output, at, std::string(key) + " message ", has_assistant)) return problem;
    for (std::size_t i = 0; i < output.size(); ++i) {
      if (member(output[i], "role") != "assistant")
        return at + ", " + key + " message " + std::to_string(i + 1) + ", key role: must be assistant";
    }
  }
  return std::nullopt;
}

Problem checkCompletion(const json& example, const std::string& at) {
  for (const char* key : {"prompt", "completion"}) {
    if (!member(example, key).is_string()) return at + ", key " + std::string(key) + ": must be a string";
  }
  if (member(example, "completion").get_ref<const std::string&>().empty()) return at + ", key completion: must not be empty";
  return std::nullopt;
}

DataFormat detect(const json& example) {
  if (example.contains("messages")) return DataFormat::kChat;
  if (example.contains("input") || example.contains("preferred_output") || example.contains("non_preferred_output"))
    return DataFormat::kPreference;
  if (example.contains("prompt") || example.contains("completion")) return DataFormat::kCompletion;
  return DataFormat::kUnknown;
}

FileCheck fail(FileCheck check, std::string code, std::size_t line, const std::string& detail) {
  check.ok = false;
  check.code = std::move(code);
  check.line = line;
  check.message = (check.code == "invalid_file_format" ? "Invalid file format. " : "") + detail;
  return check;
}

}  // namespace

std::string_view formatName(DataFormat format) {
  switch (format) {
    case DataFormat::kChat: return "chat";
    case DataFormat::kPreference: return "preference";
    case DataFormat::kCompletion: return "prompt-completion";
    case DataFormat::kUnknown: break;
  }
  return "unknown";
}

std::uint64_t estimateTokens(std::string_view text) { return text.empty() ? 1 : (text.size() + 3) / 4; }

FileCheck checkFineTuneFile(std::string_view content, std::size_t min_examples) {
  FileCheck check;
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  std::size_t line_number = 0;
  std::size_t first_line = 0;
  std::size_t start = 0;
  while (start < content.size()) {
    std::size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    const std::string at = "Line " + std::to_string(line_number);
    if (const auto bad = firstInvalidUtf8(line)) {
      return fail(check, "invalid_encoding", line_number,
                  "Invalid file encoding. " + at + ": not valid UTF-8 (byte " +
                      hexByte(static_cast<unsigned char>(line[*bad])) + " at column " + std::to_string(*bad + 1) +
                      "); the file must be UTF-8 encoded");
    }
    json example;
    try {
      example = json::parse(line);
    } catch (const json::parse_error& e) {
      return fail(check, "invalid_file_format", line_number, at + ": is not valid JSON (" + std::string(e.what()) + ")");
    }
    if (!example.is_object())
      return fail(check, "invalid_file_format", line_number,
                  at + ": each line must be a JSON object, got " + std::string(example.type_name()));
    const DataFormat format = detect(example);
    if (format == DataFormat::kUnknown)
      return fail(check, "invalid_file_format", line_number,
                  at + ": unrecognized example: expected a \"messages\" list (chat), \"input\" with "
                       "\"preferred_output\" and \"non_preferred_output\" (preference), or \"prompt\" and "
                       "\"completion\" (legacy)");
    if (check.format == DataFormat::kUnknown) {
      check.format = format;
      first_line = line_number;
    } else if (format != check.format) {
      return fail(check, "invalid_file_format", line_number,
                  at + ": is a " + std::string(formatName(format)) + " example, but line " + std::to_string(first_line) +
                      " is a " + std::string(formatName(check.format)) + " example; a file holds one format");
    }
    Problem problem;
    switch (format) {
      case DataFormat::kChat: problem = checkChat(example, at); break;
      case DataFormat::kPreference: problem = checkPreference(example, at); break;
      case DataFormat::kCompletion: problem = checkCompletion(example, at); break;
      case DataFormat::kUnknown: break;
    }
    if (problem) return fail(check, "invalid_file_format", line_number, *problem);
    ++check.examples;
    check.tokens += estimateTokens(line);
  }
  if (check.examples < min_examples) {
    return fail(check, "invalid_n_examples", 0,
                "Training file has " + std::to_string(check.examples) + " example(s), but must have at least " +
                    std::to_string(min_examples) + " examples");
  }
  check.ok = true;
  return check;
}

}  // namespace ajuste::emulator
