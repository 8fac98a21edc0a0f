#include "filter_options.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace ajuste::clean_text {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 5> kRoles = {"system", "developer", "user", "assistant", "tool"};

Result<FieldSelector> parseSelector(const std::string& text, const std::string& pointer, bool pointers_allowed) {
  FieldSelector selector;
  selector.text = text;
  if (text == "example") {
    selector.kind = FieldSelector::Kind::kExample;
    return selector;
  }
  for (const std::string_view role : kRoles) {
    if (text == role) {
      selector.kind = FieldSelector::Kind::kRole;
      selector.role = text;
      return selector;
    }
  }
  if (pointers_allowed && !text.empty() && text.front() == '/') {
    try {
      selector.pointer = Json::json_pointer(text);
    } catch (const Json::exception& e) {
      return Status::configError(pointer, "\"" + text + "\" is not a valid JSON pointer: " + e.what());
    }
    selector.kind = FieldSelector::Kind::kPointer;
    return selector;
  }
  return Status::configError(pointer, "expected a role (system, developer, user, assistant, tool) or example" +
                                          std::string(pointers_allowed ? ", or a JSON pointer such as /metadata/source" : "") +
                                          ", got \"" + text + "\"");
}

std::optional<std::size_t> optionalCount(const Json& rule, const char* key) {
  const auto it = rule.find(key);
  if (it == rule.end()) return std::nullopt;
  return it->get<std::size_t>();
}

Status checkOrder(const std::optional<std::size_t>& min, const std::optional<std::size_t>& max,
                  const std::string& rule_pointer, const char* min_key, const char* max_key) {
  if (min && max && *max < *min) {
    return Status::configError(rule_pointer + "/" + max_key, std::string("must be >= ") + min_key + " (" +
                                                                 std::to_string(*min) + "), got " + std::to_string(*max));
  }
  return Status::ok();
}

Result<LengthRule> parseLengthRule(const Json& rule, std::size_t index) {
  const std::string at = "/length/" + std::to_string(index);
  auto scope = parseSelector(rule.at("scope").get<std::string>(), at + "/scope", false);
  if (!scope.ok()) return scope.error();
  LengthRule parsed{.index = index,
                    .scope = std::move(scope.value()),
                    .min_chars = optionalCount(rule, "min_chars"),
                    .max_chars = optionalCount(rule, "max_chars"),
                    .min_tokens = optionalCount(rule, "min_tokens"),
                    .max_tokens = optionalCount(rule, "max_tokens")};
  if (!parsed.min_chars && !parsed.max_chars && !parsed.min_tokens && !parsed.max_tokens) {
    return Status::configError(at, "a length rule needs at least one of min_chars, max_chars, min_tokens, max_tokens");
  }
  if (Status s = checkOrder(parsed.min_chars, parsed.max_chars, at, "min_chars", "max_chars"); !s.isOk()) return s;
  if (Status s = checkOrder(parsed.min_tokens, parsed.max_tokens, at, "min_tokens", "max_tokens"); !s.isOk()) return s;
  return parsed;
}

Status appendPatterns(const Json& with, const char* key, bool include, std::vector<PatternRule>& out) {
  const auto list = with.find(key);
  if (list == with.end()) return Status::ok();
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& rule = (*list)[i];
    const std::string at = std::string("/") + key + "/" + std::to_string(i);
    auto field = parseSelector(rule.at("field").get<std::string>(), at + "/field", true);
    if (!field.ok()) return field.error();
    auto regex = Regex::compile(rule.at("pattern").get<std::string>(), at + "/pattern", rule.value("ignore_case", false));
    if (!regex.ok()) return regex.error();
    out.push_back(PatternRule{.name = std::string(key) + "[" + std::to_string(i) + "]",
                              .include = include,
                              .field = std::move(field.value()),
                              .regex = std::move(regex.value())});
  }
  return Status::ok();
}

Result<std::optional<LanguageRule>> parseLanguageRule(const Json& with) {
  const auto found = with.find("language");
  if (found == with.end()) return std::optional<LanguageRule>();
  const Json& rule = *found;
  auto scope = parseSelector(rule.value("scope", "user"), "/language/scope", false);
  if (!scope.ok()) return scope.error();
  LanguageRule parsed{.scope = std::move(scope.value()),
                      .allow = {},
                      .min_bytes = rule.value("min_bytes", std::size_t{30}),
                      .reject_unreliable = rule.value("unreliable", "keep") == "reject"};
  const Json& allow = rule.at("allow");
  for (std::size_t i = 0; i < allow.size(); ++i) {
    const std::string code = allow[i].get<std::string>();
    auto language = languageForCode(code);
    if (!language) {
      return Status::configError("/language/allow/" + std::to_string(i),
                                 "unknown language code \"" + code + "\"; use the codes CLD2 reports, ISO 639-1 "
                                 "where one exists: en, pt, es, fr, de, it, ja, ko, zh (simplified), zh-Hant, ru, ar, hi");
    }
    parsed.allow.push_back(std::move(*language));
  }
  return std::optional<LanguageRule>(std::move(parsed));
}

}  // namespace

Result<FilterOptions> parseFilterOptions(const Json& with) {
  FilterOptions options;
  if (const auto rules = with.find("length"); rules != with.end()) {
    for (std::size_t i = 0; i < rules->size(); ++i) {
      auto rule = parseLengthRule((*rules)[i], i);
      if (!rule.ok()) return rule.error();
      options.length.push_back(std::move(rule.value()));
    }
  }
  if (Status s = appendPatterns(with, "include", true, options.patterns); !s.isOk()) return s;
  if (Status s = appendPatterns(with, "exclude", false, options.patterns); !s.isOk()) return s;
  auto language = parseLanguageRule(with);
  if (!language.ok()) return language.error();
  options.language = std::move(language.value());
  if (options.length.empty() && options.patterns.empty() && !options.language) {
    return Status::configError("", "set at least one rule in length, include, exclude or language; without rules the "
                                   "stage keeps everything");
  }
  for (const LengthRule& rule : options.length) {
    if (!rule.needsTokens()) continue;
    const std::string name = with.value("encoding", "o200k_base");
    const auto encoding = Encoding::parseName(name);
    if (!encoding) return Status::configError("/encoding", "unknown encoding \"" + name + "\"; use o200k_base or cl100k_base");
    options.encoding = &Encoding::get(*encoding);
    break;
  }
  return options;
}

}  // namespace ajuste::clean_text
