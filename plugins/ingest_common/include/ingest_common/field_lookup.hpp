#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ajuste::ingest {

// The value a mapping names in a record: the key `name` itself when the record has it; otherwise,
// when `name` holds dots, the path through nested objects (and arrays, by 0-based index):
// "meta.title", "turns.0.text". The whole key wins, so a CSV column called "a.b" is reachable.
// nullptr when there is no such value.
[[nodiscard]] const nlohmann::json* lookupField(const nlohmann::json& record, std::string_view name);

// The text of a value inside a message: strings as they are, integers in decimal, other numbers
// as JSON writes them (4.5), booleans as true/false. nullopt for null, objects and arrays, which
// have no obvious text.
[[nodiscard]] std::optional<std::string> fieldText(const nlohmann::json& value);

// The number a plural rule reads: a JSON number, or a string holding one ("1", " 2 ", "1.0").
[[nodiscard]] std::optional<double> fieldNumber(const nlohmann::json& value);

// "a string", "an object", "null", ... for messages.
[[nodiscard]] std::string jsonKind(const nlohmann::json& value);

// The top-level keys of an object record, in its order, for "the record has: ..." messages.
[[nodiscard]] std::vector<std::string> fieldNames(const nlohmann::json& record);

// "text, stars, lang" (quoted with ', at most 20, then "and 3 more"); "no fields" when empty.
[[nodiscard]] std::string listNames(const std::vector<std::string>& names);

// "; did you mean 'review_text'?" when one of `names` is close to `name` (see nearestName), else
// "" (always for names under 3 characters).
[[nodiscard]] std::string didYouMean(std::string_view name, const std::vector<std::string>& names);

}  // namespace ajuste::ingest
