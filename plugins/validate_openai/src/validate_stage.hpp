#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/batch.hpp"
#include "ajuste/context.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"
#include "ajuste/tokenizer/encoding.hpp"

#include "options.hpp"
#include "record_checks.hpp"

namespace ajuste::validate_openai {

// validate/openai: checks every example as OpenAI's fine-tuning service would (and stricter),
// applies the opt-in fixes, counts its tokens with the model's tokenizer and enforces the
// model's token limit per example. A valid record continues with its numbers in
// record.meta["openai"] (see docs/validation.md) for stats/openai and split/random:
//   {"format", "tokens", "sequence_tokens", "assistant_tokens", "messages", "billed", "hash",
//    "bytes", "system"?, "no_user"?, "label"?, "label_hash"?, "over_limit"?, "warnings"?}
// Threads: `parallel`; keeps no state between batches (dataset statistics are stats/openai's).
class OpenAIValidator final : public RecordStage {
 public:
  [[nodiscard]] static const StageInfo& info();
  explicit OpenAIValidator(OpenAIOptions options);

  [[nodiscard]] Status process(Batch& batch, Context& ctx) override;

 private:
  // Applies the opt-in fixes to `value`; returns the names of the fixes that changed it.
  std::vector<const char*> applyFixes(nlohmann::json& value) const;

  const OpenAIOptions options_;
  const ExampleChecker checker_;
  const Encoding& encoding_;
};

}  // namespace ajuste::validate_openai
