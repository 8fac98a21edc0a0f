#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "findings.hpp"

namespace ajuste::validate_openai {

// prepare_data's dataset-wide analysis of legacy prompt/completion data, computed while the
// examples stream past (one pass; memory independent of N but for the last check below):
// common prefixes and suffixes (character-wise, at UTF-8 boundaries), identical
// prompts/completions, uppercase ratio, completions starting with a space, which separator /
// stop-sequence candidates already occur (so a suggestion never collides with the data), and
// prompts holding their ending earlier too.
//
// The common prompt suffix S is known only at the end, so for "S also occurs inside a prompt"
// each prompt p keeps the longest length L (at most the suffix common so far, which S is a
// suffix of) such that p's last L bytes also occur in p without them. Whether p's ending of
// length L recurs is monotone in L (a shorter ending is the end of a longer occurrence), so p
// repeats S exactly when its L >= |S|. Memory: 16 bytes per prompt with such an L > 0.
class LegacyAnalysis {
 public:
  // `source` and `line` name the example in messages.
  void add(std::string_view prompt, std::string_view completion, std::string_view source = {},
           std::uint64_t line = 0);

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
  // prepare_data's "Some of your prompts contain the suffix ... more than once" warning.
  void repeatedSuffix(std::vector<Finding>& out) const;

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
  struct Repeat {
    std::uint64_t length;  // the longest ending of the prompt that also occurs earlier in it
    std::uint64_t line;
  };
  std::vector<Repeat> repeats_;
  std::string source_;
};

// Human-readable JSON string of `text` (escapes newlines), for messages.
std::string shown(std::string_view text);

}  // namespace ajuste::validate_openai
