#include "filter_stage.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "text_fields.hpp"
#include "utf8.hpp"

namespace ajuste::clean_text {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "$defs": {
    "pattern_rule": {
      "type": "object",
      "additionalProperties": false,
      "required": ["field", "pattern"],
      "properties": {
        "field": {"type": "string", "description": "A role (system, developer, user, assistant, tool): any text of a message of that role; example: any text; or a JSON pointer (/metadata/source) to a string."},
        "pattern": {"type": "string", "minLength": 1, "description": "A PCRE2 regular expression (UTF-8, Unicode classes), searched anywhere in the text: anchor it with ^...$."},
        "ignore_case": {"type": "boolean", "default": false}
      }
    }
  },
  "properties": {
    "encoding": {"type": "string", "enum": ["o200k_base", "cl100k_base"], "default": "o200k_base",
                 "description": "Tokenizer for min_tokens/max_tokens (o200k_base: gpt-4o and later)."},
    "length": {
      "type": "array",
      "description": "Length limits; each rule needs a scope and at least one limit.",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["scope"],
        "properties": {
          "scope": {"type": "string", "description": "A role (system, developer, user, assistant, tool): each text of a message of that role on its own; example: all texts together."},
          "min_chars": {"type": "integer", "minimum": 0},
          "max_chars": {"type": "integer", "minimum": 0},
          "min_tokens": {"type": "integer", "minimum": 0},
          "max_tokens": {"type": "integer", "minimum": 0}
        }
      }
    },
    "include": {"type": "array", "items": {"$ref": "#/$defs/pattern_rule"},
                "description": "Keep only examples where each rule matches at least one selected text."},
    "exclude": {"type": "array", "items": {"$ref": "#/$defs/pattern_rule"},
                "description": "Reject examples where any rule matches a selected text."},
    "language": {
      "type": "object",
      "additionalProperties": false,
      "required": ["allow"],
      "description": "Keep only examples whose texts are in an allowed language, as detected by CLD2.",
      "properties": {
        "allow": {"type": "array", "minItems": 1, "items": {"type": "string"},
                  "description": "Language codes as CLD2 reports them (ISO 639-1 where one exists: en, pt, es, ja, zh, zh-Hant)."},
        "scope": {"type": "string", "default": "user",
                  "description": "A role (system, developer, user, assistant, tool) or example: whose texts are joined and judged."},
        "min_bytes": {"type": "integer", "minimum": 0, "default": 30,
                      "description": "Texts shorter than this many bytes are kept without a verdict: too little to tell."},
        "unreliable": {"type": "string", "enum": ["keep", "reject"], "default": "keep",
                       "description": "When CLD2 is not sure of the language: keep the example, or reject it (language_unsure)."}
      }
    }
  }
})json";

Result<std::unique_ptr<Stage>> makeFilterStage(const Json& with, Context& /*ctx*/) {
  auto options = parseFilterOptions(with);
  if (!options.ok()) return options.error();
  return std::unique_ptr<Stage>(std::make_unique<FilterStage>(std::move(options.value())));
}

// The texts a selector picks; for a pointer, the string it points at (nothing when absent or
// not a string).
std::vector<TextField> select(Json& example, const FieldSelector& selector) {
  if (selector.kind == FieldSelector::Kind::kPointer) {
    if (!example.contains(selector.pointer)) return {};
    Json& value = example[selector.pointer];
    if (!value.is_string()) return {};
    return {TextField{&value.get_ref<std::string&>(), selector.text, {}}};
  }
  std::vector<TextField> fields = textFields(example);
  if (selector.kind == FieldSelector::Kind::kRole) {
    std::erase_if(fields, [&](const TextField& field) { return field.role != selector.role; });
  }
  return fields;
}

std::string ruleLabel(const LengthRule& rule) {
  return "length[" + std::to_string(rule.index) + "], scope " + rule.scope.text;
}

// "has 3 characters, fewer than min_chars 10" or nothing when within [min, max].
std::optional<FilterStage::Problem> compare(std::size_t value, const std::optional<std::size_t>& min,
                                            const std::optional<std::size_t>& max, const char* unit,
                                            const char* min_key, const char* max_key, const std::string& subject,
                                            const std::string& label) {
  if (min && value < *min) {
    return FilterStage::Problem{"too_short", subject + " has " + std::to_string(value) + " " + unit +
                                                 ", fewer than " + min_key + " " + std::to_string(*min) + " (" +
                                                 label + ")"};
  }
  if (max && value > *max) {
    return FilterStage::Problem{"too_long", subject + " has " + std::to_string(value) + " " + unit +
                                                ", more than " + max_key + " " + std::to_string(*max) + " (" +
                                                label + ")"};
  }
  return std::nullopt;
}

}  // namespace

const StageInfo& FilterStage::info() {
  static const StageInfo kInfo{
      .name = "clean/filter",
      .kind = StageKind::kRecords,
      .summary =
          "Keeps examples whose texts are within length limits, in characters (Unicode code points) and in "
          "tokens (o200k_base or cl100k_base), per message role or for the whole example, and that match "
          "include patterns and no exclude pattern (PCRE2, compiled once, JIT) on a role's texts, every text, or "
          "the string at a JSON pointer, and whose language (CLD2) is on an allow-list. Works on chat, preference "
          "and legacy prompt/completion examples; never edits a record. Rejects: too_short, too_long, "
          "include_not_matched, excluded_pattern, regex_limit, language_not_allowed, language_unsure.",
      .options_schema = std::string(kSchema),
      .consumes = {},
      .produces = {},
      .parallel = true,
      .keeps_text = true,
      .make = &makeFilterStage,
  };
  return kInfo;
}

std::optional<FilterStage::Problem> FilterStage::checkLength(Json& example, const LengthRule& rule) const {
  const std::vector<TextField> fields = select(example, rule.scope);
  const std::string label = ruleLabel(rule);
  const auto tokens = [&](const std::string& text) { return options_.encoding->countOrdinary(text); };
  if (rule.scope.kind == FieldSelector::Kind::kExample) {
    std::size_t chars = 0;
    std::size_t token_count = 0;
    for (const TextField& field : fields) {
      chars += countCodePoints(*field.text);
      if (rule.needsTokens()) token_count += tokens(*field.text);
    }
    if (auto p = compare(chars, rule.min_chars, rule.max_chars, "characters", "min_chars", "max_chars", "the example", label)) return p;
    if (rule.needsTokens()) {
      return compare(token_count, rule.min_tokens, rule.max_tokens, "tokens", "min_tokens", "max_tokens", "the example", label);
    }
    return std::nullopt;
  }
  for (const TextField& field : fields) {
    if (rule.min_chars || rule.max_chars) {
      if (auto p = compare(countCodePoints(*field.text), rule.min_chars, rule.max_chars, "characters", "min_chars",
                           "max_chars", field.path, label)) {
        return p;
      }
    }
    if (rule.needsTokens()) {
      if (auto p = compare(tokens(*field.text), rule.min_tokens, rule.max_tokens, "tokens", "min_tokens", "max_tokens",
                           field.path, label)) {
        return p;
      }
    }
  }
  return std::nullopt;
}

std::optional<FilterStage::Problem> FilterStage::checkPattern(Json& example, const PatternRule& rule) const {
  const std::string shown = rule.name + " (" + rule.regex->pattern() + ")";
  for (const TextField& field : select(example, rule.field)) {
    bool limit_hit = false;
    const bool matched = rule.regex->find(*field.text, 0, limit_hit).has_value();
    if (limit_hit) {
      return Problem{"regex_limit", rule.name + " hit the regular expression match limit on " + field.path +
                                        "; simplify the pattern"};
    }
    if (matched && !rule.include) return Problem{"excluded_pattern", field.path + " matches " + shown};
    if (matched && rule.include) return std::nullopt;
  }
  if (!rule.include) return std::nullopt;
  if (rule.field.kind == FieldSelector::Kind::kPointer) {
    return Problem{"include_not_matched", rule.field.text + " is missing, not a string, or does not match " + shown};
  }
  const std::string texts = rule.field.kind == FieldSelector::Kind::kRole ? "no " + rule.field.role + " text"
                                                                          : std::string("no text of the example");
  return Problem{"include_not_matched", texts + " matches " + shown};
}

std::optional<FilterStage::Problem> FilterStage::checkLanguage(Json& example, const LanguageRule& rule,
                                                               std::string& judged) const {
  std::string text;
  for (const TextField& field : select(example, rule.scope)) {
    if (!text.empty()) text += '\n';
    text += *field.text;
  }
  const std::string whose = rule.scope.kind == FieldSelector::Kind::kRole ? "the " + rule.scope.role + " texts"
                                                                          : std::string("the texts of the example");
  if (text.size() < rule.min_bytes) {
    judged = "too_short_to_judge";
    return std::nullopt;
  }
  const LanguageGuess guess = detectLanguage(text);
  const std::string detected = guess.language.name + " (" + guess.language.code + ", " +
                               std::to_string(guess.percent) + "% of " + std::to_string(guess.text_bytes) +
                               " scored bytes" + (guess.reliable ? "" : ", unsure") + ")";
  if (!guess.reliable) {
    judged = "unsure";
    if (!rule.reject_unreliable) return std::nullopt;
    return Problem{"language_unsure", "cannot tell the language of " + whose + " reliably: best guess " + detected +
                                          "; language.unreliable is reject (set it to keep to let such examples through)"};
  }
  judged = guess.language.code;
  for (const Language& allowed : rule.allow) {
    if (allowed.id == guess.language.id) return std::nullopt;
  }
  std::string allowed_codes;
  for (const Language& allowed : rule.allow) allowed_codes += (allowed_codes.empty() ? "" : ", ") + allowed.code;
  return Problem{"language_not_allowed", whose + " are in " + detected + ", not in language.allow [" +
                                             allowed_codes + "]"};
}

std::optional<FilterStage::Problem> FilterStage::check(Json& example) const {
  std::string judged;
  return check(example, judged);
}

std::optional<FilterStage::Problem> FilterStage::check(Json& example, std::string& judged) const {
  for (const LengthRule& rule : options_.length) {
    if (auto problem = checkLength(example, rule)) return problem;
  }
  for (const PatternRule& rule : options_.patterns) {
    if (auto problem = checkPattern(example, rule)) return problem;
  }
  if (options_.language) return checkLanguage(example, *options_.language, judged);
  return std::nullopt;
}

Status FilterStage::process(Batch& batch, Context& ctx) {
  std::map<std::string, std::int64_t> languages;  // counted per batch, reported once per batch
  rejectProblems(batch, [&](Json& example) {
    std::string judged;
    auto problem = check(example, judged);
    if (!judged.empty()) ++languages["language_" + judged];
    return problem;
  });
  for (const auto& [name, count] : languages) ctx.count(name, count);
  return Status::ok();
}

}  // namespace ajuste::clean_text
