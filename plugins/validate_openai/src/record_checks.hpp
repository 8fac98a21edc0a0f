#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ajuste::validate_openai {

// The three dataset formats OpenAI fine-tuning accepts (one per training file).
enum class Format { kChat, kPreference, kCompletion };
std::string_view toString(Format format);
std::optional<Format> parseFormat(std::string_view name);

// Why a record is not a usable example: `kind` is the stable key summaries count by, `reason`
// names the JSON path inside the record, what was found and what is allowed.
struct Problem {
  std::string kind;
  std::string reason;
};

// What the checks need to know about the target.
struct CheckSettings {
  Format expected = Format::kChat;  // the only format the model and method accept
  std::string model_id;             // for messages
  bool vision = false;              // image inputs allowed (model and provider)
  bool azure = false;               // Azure's extra limits (64 images per example)
};

// The outcome of checking one record: a problem, or the per-record warnings of a valid example
// (kinds aggregated into dataset findings by stats/openai: deprecated_functions, undeclared_tools,
// untrained_example).
struct CheckOutcome {
  std::optional<Problem> problem;
  std::vector<std::string> warnings;
};

// The structural checks of one example, in a fixed order; the first failing rule wins (so one
// record gives one reject kind, as the peer validator and prepare_data's per-row rules do).
// Chat: not_object, format detection (missing_messages / unsupported_format), extra_keys (top
// level), messages_not_array, empty_messages, invalid_tools, per message (message_not_object,
// missing_role, unknown_role, extra_keys, content, weight, name, refusal, tool calls), the tool
// conversation (unknown_tool_call_id, invalid_tool_call), missing_assistant. Preference and
// completion examples have their own sequences (see docs/validation.md).
// Threads: immutable; `check` may run concurrently.
class ExampleChecker {
 public:
  explicit ExampleChecker(CheckSettings settings) : settings_(std::move(settings)) {}
  [[nodiscard]] CheckOutcome check(const nlohmann::json& example) const;
  [[nodiscard]] const CheckSettings& settings() const { return settings_; }

 private:
  CheckSettings settings_;
};

}  // namespace ajuste::validate_openai
