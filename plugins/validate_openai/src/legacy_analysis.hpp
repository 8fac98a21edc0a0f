#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "findings.hpp"

namespace ajuste::validate_openai {

// prepare_data's dataset-wide analysis of legacy prompt/completion data, computed while the
// examples stream past (one pass, memory independent of N): common prefixes and suffixes
// (character-wise, at UTF-8 boundaries), identical prompts/completions, uppercase ratio,
// completions starting with a space, and which separator / stop-sequence candidates already
// occur (so a suggestion never collides with the data).
class LegacyAnalysis {
 public:
  void add(std::string_view prompt, std::string_view completion);

  enum class TaskType { kOpenEnded, kClassification, kConditionalGeneration };
  // prepare_data's infer_task_type: open-ended when every prompt is empty, classification when
  // distinct completions < N / 3, else conditional generation.
  [[nodiscard]] TaskType taskType(std::uint64_t distinct_completions) const;

  // Appends prepare_data's findings (validators 11-15 and 9-10) in its order.
  void findings(std::uint64_t distinct_completions, std::vector<Finding>& out) const;

  // The separator / stop sequence prepare_data would suggest: the first candidate that occurs in
  // no prompt (completion).
  [[nodiscard]] std::string suggestedSeparator() const;
  [[nodiscard]] std::string suggestedStop() const;

 private:
  std::uint64_t examples_ = 0;
  std::uint64_t prompt_chars_ = 0;
  std::string prompt_prefix_, prompt_suffix_, completion_prefix_, completion_suffix_;
  std::string first_prompt_, first_completion_;
  bool prompts_identical_ = true;
  bool completions_identical_ = true;
  bool any_prompt_newline_ = false;
  std::uint64_t prompt_upper_ = 0, prompt_lower_ = 0, completion_upper_ = 0, completion_lower_ = 0;
  std::uint64_t completions_without_space_ = 0;
  std::uint32_t separators_seen_ = 0;  // bit i: candidate i occurs in some prompt
  std::uint32_t stops_seen_ = 0;       // bit i: candidate i occurs in some completion
};

// Human-readable JSON string of `text` (escapes newlines), for messages.
std::string shown(std::string_view text);

}  // namespace ajuste::validate_openai
