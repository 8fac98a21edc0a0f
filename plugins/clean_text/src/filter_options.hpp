#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/status.hpp"
#include "ajuste/tokenizer/encoding.hpp"

#include "language_detect.hpp"
#include "regex_common/pcre2_regex.hpp"

namespace ajuste::clean_text {

using regex_common::Regex;

// What a rule looks at: each text of the messages of one role, every text of the example, or
// (patterns only) the string at a JSON pointer.
struct FieldSelector {
  enum class Kind { kRole, kExample, kPointer };
  Kind kind = Kind::kExample;
  std::string role;                 // kRole
  nlohmann::json::json_pointer pointer;  // kPointer
  std::string text;                 // as the user wrote it, for reasons
};

// Limits on one scope; a role scope checks each text on its own, `example` their sum.
struct LengthRule {
  std::size_t index = 0;  // position in `length`, for reasons
  FieldSelector scope;
  std::optional<std::size_t> min_chars, max_chars, min_tokens, max_tokens;

  [[nodiscard]] bool needsTokens() const { return min_tokens || max_tokens; }
};

struct PatternRule {
  std::string name;  // "include[0]", "exclude[2]"
  bool include = false;
  FieldSelector field;
  std::unique_ptr<Regex> regex;
};

// The language allow-list: the texts of `scope`, joined, must be in one of `allow`.
struct LanguageRule {
  FieldSelector scope;
  std::vector<Language> allow;
  std::size_t min_bytes = 30;     // shorter texts are not judged (kept): too little to tell
  bool reject_unreliable = false; // when CLD2 is unsure: keep (false) or reject as language_unsure
};

struct FilterOptions {
  const Encoding* encoding = nullptr;  // null when no rule counts tokens
  std::vector<LengthRule> length;
  std::vector<PatternRule> patterns;  // includes first, then excludes, each in the user's order
  std::optional<LanguageRule> language;
};

// Builds the options from a schema-checked `with:` block: parses selectors, compiles every
// pattern once, and checks what the schema cannot say (min <= max, a rule sets some limit).
Result<FilterOptions> parseFilterOptions(const nlohmann::json& with);

}  // namespace ajuste::clean_text
