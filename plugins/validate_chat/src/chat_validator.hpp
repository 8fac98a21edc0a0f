#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ajuste/batch.hpp"
#include "ajuste/context.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"

namespace ajuste::validate_chat {

struct ChatOptions {
  bool require_assistant = true;
};

// Why a record is not a usable chat example: `kind` is the stable key summaries count by (the
// same keys as the bench's peer validator), `reason` names the JSON path, what was found and
// what is allowed.
struct ChatProblem {
  std::string kind;
  std::string reason;
};

// validate/chat: structural checks of OpenAI chat fine-tuning examples. The first failing rule
// wins; rules run in this order (record, then each message in order, then the whole):
//   not_object, missing_messages, extra_keys (top level), messages_not_array, empty_messages,
//   per message: message_not_object, missing_role, unknown_role, extra_keys, empty_content |
//   missing_content | non_string_content, invalid_weight, invalid_name;
//   then missing_assistant.
// Stateless, so `parallel`: any instance may see any batch.
class ChatValidator final : public RecordStage {
 public:
  [[nodiscard]] static const StageInfo& info();
  explicit ChatValidator(ChatOptions options) : options_(options) {}

  [[nodiscard]] Status process(Batch& batch, Context& ctx) override;

  // The first rule `example` breaks, or nothing when it is a valid chat example.
  [[nodiscard]] std::optional<ChatProblem> check(const nlohmann::json& example) const;

 private:
  const ChatOptions options_;
};

}  // namespace ajuste::validate_chat
