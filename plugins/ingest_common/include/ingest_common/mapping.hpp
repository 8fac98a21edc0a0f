#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/batch.hpp"
#include "ajuste/status.hpp"
#include "ingest_common/message_template.hpp"

namespace ajuste::ingest {

// How the records of a source are read as training examples.
enum class Preset {
  kTemplate,          // user/assistant (and system) messages from templates over any fields
  kPromptCompletion,  // {"prompt", "completion"} -> user, assistant
  kAlpaca,            // {"instruction", "input", "output"} -> user (instruction + input), assistant
  kShareGpt,          // {"conversations": [{"from": "human"|"gpt"|"system", "value"}]}
};

// What a mapped record looks like.
enum class OutputForm {
  kChat,              // {"messages": [{"role", "content"}, ...]}: OpenAI chat fine-tuning
  kPromptCompletion,  // {"prompt", "completion"}: the legacy completion format
};

// Why a record did not fit the mapping: a reject.
struct MappingFailure {
  std::string kind;     // missing_field, field_not_text, plural_not_number, invalid_conversation, unknown_role, not_single_turn
  std::string reason;   // says which option ("mapping.user: ...") and which field
  std::string pointer;  // the option whose reading failed: "/mapping/user", "/mapping/preset"
};

// A field the mapping cannot do without, and the option that needs it.
struct FieldUse {
  std::string field;    // "review"
  std::string pointer;  // "/mapping/user"
  std::string label;    // "mapping.user", "preset alpaca"
};

// The `mapping` option of the ingest sources, parsed once; immutable, so `apply` may run on
// several decode workers at once. README.md (ingest_common) is the user's reference.
class Mapping {
 public:
  // The JSON Schema of the `mapping` option, embedded in each source's options schema.
  [[nodiscard]] static nlohmann::json schema();
  // From the schema-checked (defaults filled) option; config errors point inside "/mapping".
  [[nodiscard]] static Result<Mapping> fromOptions(const nlohmann::json& options);

  // Replaces `record` with the example it maps to; on failure `record` is left as it was.
  [[nodiscard]] std::optional<MappingFailure> apply(nlohmann::json& record) const;

  // The fields every record must have (optional ones, like alpaca's input, are not listed).
  [[nodiscard]] std::vector<FieldUse> requiredFields() const;

  [[nodiscard]] Preset preset() const { return preset_; }
  [[nodiscard]] OutputForm output() const { return output_; }

 private:
  // A template with the option it came from.
  struct Slot {
    MessageTemplate text;
    std::string pointer;  // "/mapping/user"
    std::string label;    // "mapping.user"
  };

  Mapping() = default;

  [[nodiscard]] std::optional<MappingFailure> fill(const Slot& slot, const nlohmann::json& record,
                                                   std::string& out) const;
  [[nodiscard]] std::optional<MappingFailure> messagesFromTemplates(const nlohmann::json& record,
                                                                    nlohmann::json& messages) const;
  [[nodiscard]] std::optional<MappingFailure> messagesFromAlpaca(const nlohmann::json& record,
                                                                 nlohmann::json& messages) const;
  [[nodiscard]] std::optional<MappingFailure> messagesFromShareGpt(const nlohmann::json& record,
                                                                   nlohmann::json& messages) const;
  [[nodiscard]] std::optional<MappingFailure> toPromptCompletion(nlohmann::json& messages) const;

  Preset preset_ = Preset::kTemplate;
  OutputForm output_ = OutputForm::kChat;
  std::optional<Slot> system_;
  std::optional<Slot> user_;       // template preset; for prompt_completion, "{prompt}"
  std::optional<Slot> assistant_;  // template preset; for prompt_completion, "{completion}"
};

// Applies `mapping` (when there is one) to every live record of `batch`, rejecting those that do
// not fit: the decode step shared by the ingest sources.
void applyMapping(const std::optional<Mapping>& mapping, Batch& batch);

}  // namespace ajuste::ingest
