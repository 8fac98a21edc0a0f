#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ajuste/batch.hpp"
#include "ajuste/context.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"

#include "filter_options.hpp"
#include "record_problem.hpp"

namespace ajuste::clean_text {

// clean/filter: keeps the examples whose texts are within length limits (code points and
// tokens), match the include patterns and none of the exclude patterns, and are in an allowed
// language. Rules run in the order length, include, exclude, language; the first failing one
// rejects (kinds too_short, too_long, include_not_matched, excluded_pattern, regex_limit,
// language_not_allowed, language_unsure). Never edits a record. Stateless apart
// from each instance's own compiled patterns, so `parallel`.
class FilterStage final : public RecordStage {
 public:
  [[nodiscard]] static const StageInfo& info();
  explicit FilterStage(FilterOptions options) : options_(std::move(options)) {}

  [[nodiscard]] Status process(Batch& batch, Context& ctx) override;

  using Problem = RecordProblem;
  // The first rule `example` breaks. Takes the example mutably only to reuse the text walker;
  // it does not change it.
  std::optional<Problem> check(nlohmann::json& example) const;
  // The same; `judged` is set to the language code the language rule detected ("unsure",
  // "too_short_to_judge"), left empty when there is no language rule or an earlier rule failed.
  std::optional<Problem> check(nlohmann::json& example, std::string& judged) const;

 private:
  std::optional<Problem> checkLength(nlohmann::json& example, const LengthRule& rule) const;
  std::optional<Problem> checkPattern(nlohmann::json& example, const PatternRule& rule) const;
  std::optional<Problem> checkLanguage(nlohmann::json& example, const LanguageRule& rule, std::string& judged) const;

  const FilterOptions options_;
};

}  // namespace ajuste::clean_text
