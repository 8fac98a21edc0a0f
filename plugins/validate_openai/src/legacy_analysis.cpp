#include "legacy_analysis.hpp"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

namespace ajuste::validate_openai {
namespace {

// prepare_data's candidates, in its order (OAI-0.28 validators.py).
constexpr std::array<std::string_view, 6> kSeparators = {" ->",         "\n\n###\n\n",  "\n\n===\n\n",
                                                         "\n\n---\n\n", "\n\n===>\n\n", "\n\n--->\n\n"};
constexpr std::string_view kFallbackSeparator = "\n\n### =>\n\n";
constexpr std::array<std::string_view, 9> kStops = {"\n", ".", " END", "***", "+++", "&&&", "$$$", "@@@", "%%%"};
constexpr std::string_view kFallbackStop = " [END]";
// prepare_data's thresholds.
constexpr std::size_t kLongSuffixChars = 10;
constexpr std::size_t kLongPromptPrefixChars = 12;
constexpr std::size_t kCompletionPrefixChars = 5;
constexpr std::uint64_t kClassificationThreshold = 3;
constexpr std::size_t kPlacesPerFinding = 5;

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::size_t characters(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return !continuation(c); }));
}

// Shrinks `prefix` to the longest common prefix with `text`, ending at a character boundary.
void commonPrefix(std::string& prefix, std::string_view text) {
  std::size_t n = 0;
  const std::size_t limit = std::min(prefix.size(), text.size());
  while (n < limit && prefix[n] == text[n]) ++n;
  while (n > 0 && n < prefix.size() && continuation(prefix[n])) --n;
  prefix.resize(n);
}

void commonSuffix(std::string& suffix, std::string_view text) {
  std::size_t n = 0;
  const std::size_t limit = std::min(suffix.size(), text.size());
  while (n < limit && suffix[suffix.size() - 1 - n] == text[text.size() - 1 - n]) ++n;
  while (n > 0 && continuation(suffix[suffix.size() - n])) --n;
  suffix.erase(0, suffix.size() - n);
}

void countCase(std::string_view text, std::uint64_t& upper, std::uint64_t& lower) {
  for (const char c : text) {
    if (c >= 'A' && c <= 'Z') ++upper;
    if (c >= 'a' && c <= 'z') ++lower;
  }
}

std::string ofN(std::uint64_t k, std::uint64_t n) { return std::to_string(k) + " of " + std::to_string(n); }

// The largest L <= cap such that the last L bytes of `text` also occur in text[0, size - L), or 0.
// Monotone in L, so a binary search over the lengths needs log2(cap) searches of `text`.
std::uint64_t longestRepeatedEnding(std::string_view text, std::size_t cap) {
  const auto repeats = [&](std::size_t length) {
    return text.substr(0, text.size() - length).find(text.substr(text.size() - length)) != std::string_view::npos;
  };
  std::size_t low = 0;  // repeats (vacuously for 0)
  std::size_t high = std::min(cap, text.size() / 2) + 1;  // does not repeat: no room for two copies
  while (high - low > 1) {
    const std::size_t middle = low + (high - low) / 2;
    (repeats(middle) ? low : high) = middle;
  }
  return low;
}

}  // namespace

std::string shown(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void LegacyAnalysis::add(std::string_view prompt, std::string_view completion, std::string_view source,
                         std::uint64_t line) {
  if (examples_ == 0) {
    prompt_prefix_ = prompt_suffix_ = first_prompt_ = std::string(prompt);
    completion_prefix_ = completion_suffix_ = first_completion_ = std::string(completion);
  } else {
    commonPrefix(prompt_prefix_, prompt);
    commonSuffix(prompt_suffix_, prompt);
    commonPrefix(completion_prefix_, completion);
    commonSuffix(completion_suffix_, completion);
    prompts_identical_ = prompts_identical_ && prompt == first_prompt_;
    completions_identical_ = completions_identical_ && completion == first_completion_;
  }
  if (examples_ == 0) source_ = std::string(source);
  if (const std::uint64_t repeated = longestRepeatedEnding(prompt, prompt_suffix_.size()); repeated > 0) {
    repeats_.push_back(Repeat{repeated, line});
  }
  ++examples_;
  prompt_chars_ += prompt.size();
  if (prompt.find('\n') != std::string_view::npos) any_prompt_newline_ = true;
  countCase(prompt, prompt_upper_, prompt_lower_);
  countCase(completion, completion_upper_, completion_lower_);
  if (completion.empty() || completion.front() != ' ') ++completions_without_space_;
  for (std::size_t i = 0; i < kSeparators.size(); ++i) {
    if (prompt.find(kSeparators[i]) != std::string_view::npos) separators_seen_ |= 1u << i;
  }
  for (std::size_t i = 0; i < kStops.size(); ++i) {
    if (completion.find(kStops[i]) != std::string_view::npos) stops_seen_ |= 1u << i;
  }
}

LegacyAnalysis::TaskType LegacyAnalysis::taskType(std::uint64_t distinct_completions) const {
  if (prompt_chars_ == 0) return TaskType::kOpenEnded;
  if (distinct_completions * kClassificationThreshold < examples_) return TaskType::kClassification;
  return TaskType::kConditionalGeneration;
}

std::string LegacyAnalysis::suggestedSeparator() const {
  for (std::size_t i = 0; i < kSeparators.size(); ++i) {
    if (i == 0 && any_prompt_newline_) continue;
    if ((separators_seen_ & (1u << i)) == 0) return std::string(kSeparators[i]);
  }
  return std::string(kFallbackSeparator);
}

std::string LegacyAnalysis::suggestedStop() const {
  for (std::size_t i = 0; i < kStops.size(); ++i) {
    if ((stops_seen_ & (1u << i)) == 0) return std::string(kStops[i]);
  }
  return std::string(kFallbackStop);
}

void LegacyAnalysis::repeatedSuffix(std::vector<Finding>& out) const {
  std::uint64_t count = 0;
  std::string places;
  for (const Repeat& repeat : repeats_) {
    if (repeat.length < prompt_suffix_.size()) continue;
    if (++count <= kPlacesPerFinding && repeat.line > 0) {
      places += (places.empty() ? "" : ", ") + source_ + ":" + std::to_string(repeat.line);
    }
  }
  if (count == 0) return;
  if (!places.empty()) places = " (" + places + (count > kPlacesPerFinding ? ", ..." : "") + ")";
  out.push_back({"warning", "repeated_prompt_suffix",
                 ofN(count, examples_) + " prompts contain the separator " + shown(prompt_suffix_) +
                     " before their end too" + places +
                     ", so the model may take that place for the end of the prompt; review these prompts and end "
                     "every prompt with a separator that occurs nowhere else, e.g. " + shown(suggestedSeparator())});
}

void LegacyAnalysis::findings(std::uint64_t distinct_completions, std::vector<Finding>& out) const {
  if (examples_ == 0) return;
  const TaskType task = taskType(distinct_completions);
  const std::string n = std::to_string(examples_);
  switch (task) {
    case TaskType::kOpenEnded:
      out.push_back({"info", "task_type", "task type: open-ended generation (every prompt is empty)"});
      break;
    case TaskType::kClassification:
      out.push_back({"info", "task_type",
                     "task type: classification (" + std::to_string(distinct_completions) +
                         " distinct completions for " + n + " examples, fewer than one per 3 examples)"});
      out.push_back({"warning", "classification_without_validation",
                     "this looks like classification: hold out a validation set (e.g. split/random; prepare_data "
                     "keeps max(N - 1000, 0.8 N) examples for training) so accuracy can be measured"});
      break;
    case TaskType::kConditionalGeneration:
      out.push_back({"info", "task_type", "task type: conditional generation"});
      break;
  }
  // lower_case validators (9-10): more than a third of the letters uppercase.
  const auto upperCase = [&](const char* column, std::uint64_t upper, std::uint64_t lower) {
    if (upper * 2 > lower) {
      out.push_back({"warning", "uppercase_text",
                     std::string("more than a third of the letters of the ") + column + " are uppercase (" +
                         ofN(upper, upper + lower) + " ASCII letters); lowercase them unless case matters "
                         "(fixes: {lowercase: true})"});
    }
  };
  upperCase("prompts", prompt_upper_, prompt_lower_);
  upperCase("completions", completion_upper_, completion_lower_);

  if (examples_ >= 2 && prompts_identical_ && task != TaskType::kOpenEnded) {
    out.push_back({"error", "identical_prompts",
                   "all " + n + " prompts are identical (" + shown(first_prompt_.substr(0, 60)) +
                       "); the model cannot learn which completion belongs to which input"});
  } else if (task != TaskType::kOpenEnded) {
    if (prompt_suffix_.empty()) {
      const std::string suggestion = suggestedSeparator();
      out.push_back({"warning", "missing_prompt_separator",
                     "the prompts do not end with a common separator, so the model cannot tell where a prompt ends; "
                     "append one that occurs in no prompt, e.g. " + shown(suggestion) +
                         " (fixes: {prompt_separator: " + shown(suggestion) + "}), and end prompts with it at inference"});
    } else {
      out.push_back({"info", "common_prompt_suffix",
                     "all prompts end with the separator " + shown(prompt_suffix_) + "; end prompts with it at inference"});
      if (characters(prompt_suffix_) > kLongSuffixChars) {
        out.push_back({"warning", "long_prompt_suffix",
                       "the common prompt suffix " + shown(prompt_suffix_) + " is " +
                           std::to_string(characters(prompt_suffix_)) +
                           " characters long; a short separator such as " + shown(suggestedSeparator()) +
                           " costs fewer tokens per example"});
      }
      repeatedSuffix(out);
    }
  }
  if (!prompt_prefix_.empty() && !prompts_identical_) {
    if (characters(prompt_prefix_) > kLongPromptPrefixChars) {
      out.push_back({"warning", "long_prompt_prefix",
                     "all prompts start with " + shown(prompt_prefix_) + " (" +
                         std::to_string(characters(prompt_prefix_)) +
                         " characters); it teaches the model nothing and costs tokens: remove it"});
    } else {
      out.push_back({"info", "common_prompt_prefix", "all prompts start with " + shown(prompt_prefix_)});
    }
  }
  if (examples_ >= 2 && completions_identical_) {
    out.push_back({"error", "identical_completions",
                   "all " + n + " completions are identical (" + shown(first_completion_.substr(0, 60)) +
                       "); the model would learn to ignore its input"});
    return;
  }
  if (characters(completion_prefix_) >= kCompletionPrefixChars) {
    out.push_back({"warning", "common_completion_prefix",
                   "all completions start with " + shown(completion_prefix_) +
                       "; the model learns nothing from it: remove it (keep one leading space if it began with one)"});
  }
  if (task == TaskType::kConditionalGeneration) {
    if (completion_suffix_.empty()) {
      const std::string suggestion = suggestedStop();
      out.push_back({"warning", "missing_stop_sequence",
                     "the completions do not end with a common stop sequence, so the model will not know when to "
                     "stop; append one that occurs in no completion, e.g. " + shown(suggestion) +
                         " (fixes: {completion_stop: " + shown(suggestion) + "}), and pass it as stop at inference"});
    } else {
      out.push_back({"info", "common_completion_suffix",
                     "all completions end with " + shown(completion_suffix_) + "; use it as the stop sequence at inference"});
      if (characters(completion_suffix_) > kLongSuffixChars) {
        out.push_back({"warning", "long_completion_suffix",
                       "the common completion suffix " + shown(completion_suffix_) + " is " +
                           std::to_string(characters(completion_suffix_)) +
                           " characters long; a short stop sequence such as " + shown(suggestedStop()) +
                           " costs fewer tokens"});
      }
    }
  }
  if (completions_without_space_ > 0) {
    out.push_back({"warning", "completion_leading_space",
                   ofN(completions_without_space_, examples_) +
                       " completions do not start with a space; with these tokenizers a leading space gives better "
                       "results (fixes: {completion_leading_space: true})"});
  }
}

}  // namespace ajuste::validate_openai
