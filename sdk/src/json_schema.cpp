#include "ajuste/json_schema.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
// GCC 12 reports a false -Wmaybe-uninitialized inside <regex> at -O1 and above (GCC bug 105562);
// silence it for that header only so the rest of this file stays under -Werror.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ajuste/suggest.hpp"

namespace ajuste {
namespace detail {

using Json = nlohmann::json;
using TypeMask = unsigned;

inline constexpr std::size_t kNoNode = static_cast<std::size_t>(-1);

// JSON Schema's "number" is split in two so that "integer" is a plain subset and 3.0 can be
// classified as an integer, as the spec requires.
inline constexpr TypeMask kNull = 1u << 0;
inline constexpr TypeMask kBoolean = 1u << 1;
inline constexpr TypeMask kObject = 1u << 2;
inline constexpr TypeMask kArray = 1u << 3;
inline constexpr TypeMask kInteger = 1u << 4;
inline constexpr TypeMask kFraction = 1u << 5;
inline constexpr TypeMask kString = 1u << 6;
inline constexpr TypeMask kNumber = kInteger | kFraction;
inline constexpr TypeMask kAnyType = kNull | kBoolean | kObject | kArray | kNumber | kString;

struct JsonSchemaPattern {
  std::string source;
  std::regex regex;
};

// One schema object (or boolean schema) of the document, with every keyword already checked and
// converted. Children are indices into JsonSchemaData::nodes; `const Json*` point into the owned
// document, which never changes after compilation.
struct JsonSchemaNode {
  std::string path;  // JSON pointer of this schema inside the document ("" = root)
  bool is_bool = false;
  bool bool_value = true;

  std::optional<std::string> ref_text;  // the "$ref" as written
  std::size_t ref = kNoNode;

  TypeMask type_mask = 0;  // 0 = no "type" keyword
  std::vector<std::string> type_names;

  std::vector<std::pair<std::string, std::size_t>> properties;
  std::vector<std::string> required;
  std::size_t additional = kNoNode;
  std::vector<std::pair<JsonSchemaPattern, std::size_t>> pattern_properties;
  std::size_t property_names = kNoNode;
  std::optional<std::size_t> min_properties;
  std::optional<std::size_t> max_properties;
  std::vector<std::pair<std::string, std::vector<std::string>>> dependent_required;

  const Json* enum_values = nullptr;
  const Json* const_value = nullptr;

  const Json* minimum = nullptr;
  const Json* maximum = nullptr;
  const Json* exclusive_minimum = nullptr;
  const Json* exclusive_maximum = nullptr;
  const Json* multiple_of = nullptr;

  std::optional<std::size_t> min_length;
  std::optional<std::size_t> max_length;
  std::optional<JsonSchemaPattern> pattern;

  std::size_t items = kNoNode;
  std::vector<std::size_t> prefix_items;
  std::optional<std::size_t> min_items;
  std::optional<std::size_t> max_items;
  bool unique_items = false;
  std::size_t contains = kNoNode;

  std::vector<std::size_t> all_of;
  std::vector<std::size_t> any_of;
  std::vector<std::size_t> one_of;
  std::size_t not_schema = kNoNode;
  std::size_t if_schema = kNoNode;
  std::size_t then_schema = kNoNode;
  std::size_t else_schema = kNoNode;

  const Json* default_value = nullptr;
  bool secret = false;

  // Derived once references are resolved.
  bool effective_secret = false;  // this node or any schema applied in place marks x-secret
  bool contains_secret = false;   // ... or any schema below it does: its objects and arrays are not shown
  TypeMask accepted = kAnyType;   // the instance types this node can possibly accept
};

struct JsonSchemaData {
  Json document;
  std::vector<JsonSchemaNode> nodes;
  std::size_t root = kNoNode;
};

}  // namespace detail

namespace {

using detail::Json;
using detail::JsonSchemaData;
using detail::JsonSchemaNode;
using detail::JsonSchemaPattern;
using detail::kAnyType;
using detail::kArray;
using detail::kBoolean;
using detail::kFraction;
using detail::kInteger;
using detail::kNoNode;
using detail::kNull;
using detail::kNumber;
using detail::kObject;
using detail::kString;
using detail::TypeMask;
using Violations = std::vector<SchemaViolation>;

// Values quoted in messages are cut to this many code points: enough to recognise, short enough
// to keep a one-line message on one line.
constexpr std::size_t kMaxQuoted = 40;
// Longer lists of allowed names or values are cut, with a count of the rest.
constexpr std::size_t kMaxListed = 20;
// libstdc++'s std::regex matches recursively and overflows the stack on inputs of a few thousand
// bytes (under ASan sooner), which would crash the runner; longer strings are not matched.
constexpr std::size_t kMaxRegexInput = 1000;

// ---------------------------------------------------------------------------------------------
// Rendering values for humans

std::size_t codePointCount(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u;
  }));
}

// Cuts `text` after `limit` code points, never inside a UTF-8 sequence.
std::string_view cutCodePoints(std::string_view text, std::size_t limit, bool& cut) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0u) == 0x80u) continue;
    if (seen == limit) {
      cut = true;
      return text.substr(0, i);
    }
    ++seen;
  }
  cut = false;
  return text;
}

// JSON text that never throws: user strings may hold invalid UTF-8.
std::string dumpJson(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string quoteText(std::string_view text) {
  bool cut = false;
  std::string out = dumpJson(Json(std::string(cutCodePoints(text, kMaxQuoted, cut))));
  if (cut) out.insert(out.size() - 1, "…");
  return out;
}

std::string kindWithArticle(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    default: return "a number";
  }
}

std::string secretText(const Json& value) { return kindWithArticle(value) + " (secret, not shown)"; }

// The value as it would be written, shortened: "chat", 0.9, true, {"a":1}.
std::string literal(const Json& value, bool secret = false) {
  if (secret && !value.is_null()) return secretText(value);
  if (value.is_string()) return quoteText(value.get_ref<const std::string&>());
  const std::string text = dumpJson(value);
  bool cut = false;
  std::string out(cutCodePoints(text, kMaxQuoted, cut));
  if (cut) out += "…";
  return out;
}

// What was found, for "expected X, found Y": names the kind, then the value.
std::string describe(const Json& value, bool secret) {
  if (value.is_null()) return "null";
  if (secret) return secretText(value);
  switch (value.type()) {
    case Json::value_t::boolean: return "a boolean (" + dumpJson(value) + ")";
    case Json::value_t::string:
      return value.get_ref<const std::string&>().empty() ? "an empty string" : "a string (" + literal(value) + ")";
    case Json::value_t::array: return value.empty() ? "an empty array" : "an array";
    case Json::value_t::object: return value.empty() ? "an empty object" : "an object";
    default: return literal(value);
  }
}

std::string typeWithArticle(std::string_view name) {
  if (name == "null") return "null";
  if (name == "integer" || name == "object" || name == "array") return "an " + std::string(name);
  return "a " + std::string(name);
}

// "a", "a or b", "a, b or c" (and the same with "and").
std::string joinWords(const std::vector<std::string>& items, std::string_view last_separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? std::string(last_separator) : ", ";
    out += items[i];
  }
  return out;
}

std::string joinOr(const std::vector<std::string>& items) { return joinWords(items, " or "); }
std::string joinAnd(const std::vector<std::string>& items) { return joinWords(items, " and "); }

// "a, b, c", cut after kMaxListed entries with the number left out.
std::string joinList(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < kMaxListed; ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  if (items.size() > kMaxListed) out += ", … (" + std::to_string(items.size() - kMaxListed) + " more)";
  return out;
}

std::string plural(std::size_t count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

TypeMask kindOf(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return kNull;
    case Json::value_t::boolean: return kBoolean;
    case Json::value_t::object: return kObject;
    case Json::value_t::array: return kArray;
    case Json::value_t::string: return kString;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return kInteger;
    case Json::value_t::number_float: {
      const double number = value.get<double>();
      return std::isfinite(number) && std::trunc(number) == number ? kInteger : kFraction;
    }
    default: return 0;
  }
}

TypeMask typeMaskOf(std::string_view name) {
  if (name == "null") return kNull;
  if (name == "boolean") return kBoolean;
  if (name == "object") return kObject;
  if (name == "array") return kArray;
  if (name == "number") return kNumber;
  if (name == "integer") return kInteger;
  if (name == "string") return kString;
  return 0;
}

// Canonical order, the one JSON Schema itself lists types in.
std::vector<std::string> typeNamesOf(TypeMask mask) {
  std::vector<std::string> names;
  if (mask & kNull) names.emplace_back("null");
  if (mask & kBoolean) names.emplace_back("boolean");
  if (mask & kObject) names.emplace_back("object");
  if (mask & kArray) names.emplace_back("array");
  if ((mask & kNumber) == kNumber || (mask & kNumber) == kFraction) {
    names.emplace_back("number");
  } else if (mask & kInteger) {
    names.emplace_back("integer");
  }
  if (mask & kString) names.emplace_back("string");
  return names;
}

// ---------------------------------------------------------------------------------------------
// JSON pointers

std::string escapeToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string childPointer(const std::string& parent, std::string_view token) {
  return parent + "/" + escapeToken(token);
}

std::string childPointer(const std::string& parent, std::size_t index) {
  return parent + "/" + std::to_string(index);
}

// Splits "/a/b~1c" into {"a", "b/c"}; nullopt when `pointer` is not a JSON pointer.
std::optional<std::vector<std::string>> splitPointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer.front() != '/') return std::nullopt;
  std::string current;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens.push_back(std::move(current));
      current.clear();
    } else if (pointer[i] == '~') {
      if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) return std::nullopt;
      current += pointer[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      current += pointer[i];
    }
  }
  return tokens;
}

// An array index token as RFC 6901 writes it ("0", "12"; no sign, no leading zero).
std::optional<std::size_t> arrayIndex(std::string_view token) {
  if (token.empty() || (token.size() > 1 && token.front() == '0')) return std::nullopt;
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (error != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return value;
}

std::string schemaLocation(const std::string& path) { return "#" + path; }

// "%25" and friends may appear in URI fragments; decode them before reading the pointer.
std::optional<std::string> percentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (error != std::errc() || end != text.data() + i + 3) return std::nullopt;
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Numbers

// long double holds every int64, uint64 and double exactly on the platforms we build for, so
// comparisons across JSON number kinds are exact.
long double toLongDouble(const Json& number) {
  if (number.is_number_unsigned()) return static_cast<long double>(number.get<std::uint64_t>());
  if (number.is_number_integer()) return static_cast<long double>(number.get<std::int64_t>());
  return static_cast<long double>(number.get<double>());
}

bool isMultipleOf(const Json& value, const Json& divisor) {
  const long double x = toLongDouble(value);
  const long double d = toLongDouble(divisor);
  if (value.is_number_integer() && divisor.is_number_integer()) return std::fmod(x, d) == 0.0L;
  // 0.3 is not exactly 3 * 0.1 in binary, so accept a quotient within rounding of an integer.
  const long double quotient = x / d;
  if (!std::isfinite(quotient)) return false;
  const long double tolerance = std::max(1e-9L, std::fabs(quotient) * 1e-15L);
  return std::fabs(quotient - std::round(quotient)) <= tolerance;
}

// ---------------------------------------------------------------------------------------------
// The keyword table

constexpr auto kKeywords = std::to_array<std::string_view>({
    "$schema",     "$id",           "$comment",         "$defs",            "definitions",
    "$ref",        "type",          "properties",       "required",         "additionalProperties",
    "patternProperties",            "propertyNames",    "minProperties",    "maxProperties",
    "enum",        "const",         "minimum",          "maximum",          "exclusiveMinimum",
    "exclusiveMaximum",             "multipleOf",       "minLength",        "maxLength",
    "pattern",     "format",        "items",            "prefixItems",      "minItems",
    "maxItems",    "uniqueItems",   "contains",         "anyOf",            "oneOf",
    "allOf",       "not",           "if",               "then",             "else",
    "dependentRequired",            "title",            "description",      "default",
    "examples",    "deprecated",    "readOnly",         "writeOnly",        "x-secret",
    "x-doc",
});

// Keywords from other drafts or from OpenAPI that authors reach for, with what to write instead.
std::optional<std::string_view> replacementHint(std::string_view keyword) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kHints = {{
      {"dependencies", "use 'dependentRequired'"},
      {"dependentSchemas", "use 'if'/'then' or 'dependentRequired'"},
      {"additionalItems", "use 'items' together with 'prefixItems'"},
      {"unevaluatedProperties", "use 'additionalProperties'"},
      {"unevaluatedItems", "use 'items'"},
      {"nullable", "add \"null\" to 'type', e.g. \"type\": [\"string\", \"null\"]"},
      {"minContains", "not supported; 'contains' requires at least one match"},
      {"maxContains", "not supported; 'contains' requires at least one match"},
      {"$anchor", "refer to definitions with \"$ref\": \"#/$defs/name\""},
      {"$dynamicRef", "refer to definitions with \"$ref\": \"#/$defs/name\""},
  }};
  for (const auto& [name, hint] : kHints) {
    if (name == keyword) return hint;
  }
  return std::nullopt;
}

std::vector<std::string> keywordNames() {
  std::vector<std::string> names;
  for (std::string_view keyword : kKeywords) names.emplace_back(keyword);
  return names;
}

// ---------------------------------------------------------------------------------------------
// Regular expressions

// JSON Schema "pattern" semantics: found anywhere unless anchored. Inputs too long to match safely
// (see kMaxRegexInput) and std::regex_error (complexity limits) count as no match.
bool search(const std::string& text, const std::regex& regex) {
  if (text.size() > kMaxRegexInput) return false;
  try {
    return std::regex_search(text, regex);
  } catch (const std::regex_error&) {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Compiling

struct SchemaError {
  std::string path;     // schema pointer of the offending schema object
  std::string message;  // names the keyword
};

class Compiler {
 public:
  explicit Compiler(JsonSchemaData& data) : data_(data) {}

  void run() {
    data_.root = compile(data_.document, "");
    resolveReferences();
    rejectInPlaceCycles();
    for (std::size_t i = 0; i < data_.nodes.size(); ++i) deriveAccepted(i);
    for (std::size_t i = 0; i < data_.nodes.size(); ++i) deriveSecret(i);
    deriveContainsSecret();
    checkRequiredAgainstClosedObjects();
  }

 private:
  [[noreturn]] static void fail(const std::string& path, std::string message) {
    throw SchemaError{path, std::move(message)};
  }

  static std::string found(const Json& value) { return describe(value, false); }

  static std::size_t nonNegativeInteger(const Json& value, const std::string& path, std::string_view key) {
    if ((kindOf(value) & kInteger) == 0 || toLongDouble(value) < 0) {
      fail(path, "'" + std::string(key) + "' must be a non-negative integer, found " + found(value));
    }
    return static_cast<std::size_t>(toLongDouble(value));
  }

  static const Json* number(const Json& value, const std::string& path, std::string_view key) {
    if (!value.is_number()) {
      std::string message = "'" + std::string(key) + "' must be a number, found " + found(value);
      if (value.is_boolean() && (key == "exclusiveMinimum" || key == "exclusiveMaximum")) {
        message += "; since draft 6 it holds the limit itself, e.g. \"" + std::string(key) + "\": 0";
      }
      fail(path, message);
    }
    return &value;
  }

  static bool boolean(const Json& value, const std::string& path, std::string_view key) {
    if (!value.is_boolean()) fail(path, "'" + std::string(key) + "' must be true or false, found " + found(value));
    return value.get<bool>();
  }

  static void string(const Json& value, const std::string& path, std::string_view key) {
    if (!value.is_string()) fail(path, "'" + std::string(key) + "' must be a string, found " + found(value));
  }

  static std::vector<std::string> uniqueStrings(const Json& value, const std::string& path, std::string_view key) {
    const std::string what = "'" + std::string(key) + "' must be an array of unique strings";
    if (!value.is_array()) fail(path, what + ", found " + found(value));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string()) fail(path, what + ", found " + found(value[i]) + " at index " + std::to_string(i));
      const auto& text = value[i].get_ref<const std::string&>();
      if (std::find(out.begin(), out.end(), text) != out.end()) {
        fail(path, what + ", found " + quoteText(text) + " twice");
      }
      out.push_back(text);
    }
    return out;
  }

  static JsonSchemaPattern regex(const Json& value, const std::string& path, std::string_view key) {
    if (!value.is_string()) fail(path, "'" + std::string(key) + "' must be a regular expression string, found " + found(value));
    const auto& source = value.get_ref<const std::string&>();
    try {
      return JsonSchemaPattern{source, std::regex(source, std::regex::ECMAScript)};
    } catch (const std::regex_error& error) {
      fail(path, "'" + std::string(key) + "' " + quoteText(source) + " is not a valid ECMAScript regular expression (" +
                     error.what() + ")");
    }
  }

  void schemaArray(const Json& value, const std::string& path, std::string_view key, std::vector<std::size_t>& out) {
    if (!value.is_array() || value.empty()) {
      fail(path, "'" + std::string(key) + "' must be a non-empty array of schemas, found " + found(value));
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      out.push_back(compile(value[i], childPointer(childPointer(path, key), i)));
    }
  }

  void types(JsonSchemaNode& node, const Json& value, const std::string& path) {
    static const std::vector<std::string> kNames = {"null", "boolean", "object", "array", "number", "integer", "string"};
    const auto add = [&](const Json& name) {
      if (!name.is_string() || typeMaskOf(name.get_ref<const std::string&>()) == 0) {
        std::string message = "'type' must name JSON types (\"null\", \"boolean\", \"object\", \"array\", \"number\", "
                              "\"integer\", \"string\"), found " + found(name);
        if (name.is_string()) {
          if (auto near = nearestName(name.get_ref<const std::string&>(), kNames)) {
            message += "; did you mean \"" + *near + "\"?";
          }
        }
        fail(path, message);
      }
      const auto& text = name.get_ref<const std::string&>();
      if (std::find(node.type_names.begin(), node.type_names.end(), text) != node.type_names.end()) {
        fail(path, "'type' lists \"" + text + "\" twice");
      }
      node.type_names.push_back(text);
      node.type_mask |= typeMaskOf(text);
    };
    if (value.is_array()) {
      if (value.empty()) fail(path, "'type' must not be an empty array");
      for (const Json& name : value) add(name);
    } else {
      add(value);
    }
  }

  std::size_t compile(const Json& schema, const std::string& path) {
    JsonSchemaNode node;
    node.path = path;
    if (schema.is_boolean()) {
      node.is_bool = true;
      node.bool_value = schema.get<bool>();
      return add(std::move(node));
    }
    if (!schema.is_object()) {
      fail(path, "a schema must be an object or a boolean, found " + found(schema));
    }
    const auto child = [&](const Json& value, std::string_view key) { return compile(value, childPointer(path, key)); };
    const auto schemaMap = [&](const Json& value, std::string_view key, auto&& each) {
      if (!value.is_object()) fail(path, "'" + std::string(key) + "' must be an object of schemas, found " + found(value));
      for (const auto& [name, sub] : value.items()) {
        each(name, compile(sub, childPointer(childPointer(path, key), name)));
      }
    };

    for (const auto& [key, value] : schema.items()) {
      if (key == "$schema" || key == "$id" || key == "$comment" || key == "format" || key == "title" ||
          key == "description" || key == "x-doc") {
        string(value, path, key);
      } else if (key == "$defs" || key == "definitions") {
        schemaMap(value, key, [](const std::string&, std::size_t) {});
      } else if (key == "$ref") {
        string(value, path, key);
        node.ref_text = value.get<std::string>();
      } else if (key == "type") {
        types(node, value, path);
      } else if (key == "properties") {
        schemaMap(value, key, [&](const std::string& name, std::size_t index) { node.properties.emplace_back(name, index); });
      } else if (key == "required") {
        if (value.is_boolean()) {
          fail(path, "'required' must be an array of property names, found " + found(value) +
                         "; list the name in the parent object's \"required\" instead");
        }
        node.required = uniqueStrings(value, path, key);
      } else if (key == "additionalProperties") {
        node.additional = child(value, key);
      } else if (key == "patternProperties") {
        if (!value.is_object()) fail(path, "'patternProperties' must be an object of schemas, found " + found(value));
        for (const auto& [source, sub] : value.items()) {
          JsonSchemaPattern compiled = regex(Json(source), path, "patternProperties");
          node.pattern_properties.emplace_back(std::move(compiled),
                                               compile(sub, childPointer(childPointer(path, key), source)));
        }
      } else if (key == "propertyNames") {
        node.property_names = child(value, key);
      } else if (key == "minProperties") {
        node.min_properties = nonNegativeInteger(value, path, key);
      } else if (key == "maxProperties") {
        node.max_properties = nonNegativeInteger(value, path, key);
      } else if (key == "dependentRequired") {
        if (!value.is_object()) fail(path, "'dependentRequired' must be an object of string arrays, found " + found(value));
        for (const auto& [name, names] : value.items()) {
          node.dependent_required.emplace_back(name, uniqueStrings(names, path, "dependentRequired/" + name));
        }
      } else if (key == "enum") {
        if (!value.is_array() || value.empty()) fail(path, "'enum' must be a non-empty array, found " + found(value));
        node.enum_values = &value;
      } else if (key == "const") {
        node.const_value = &value;
      } else if (key == "minimum") {
        node.minimum = number(value, path, key);
      } else if (key == "maximum") {
        node.maximum = number(value, path, key);
      } else if (key == "exclusiveMinimum") {
        node.exclusive_minimum = number(value, path, key);
      } else if (key == "exclusiveMaximum") {
        node.exclusive_maximum = number(value, path, key);
      } else if (key == "multipleOf") {
        node.multiple_of = number(value, path, key);
        if (toLongDouble(value) <= 0) fail(path, "'multipleOf' must be greater than 0, found " + found(value));
      } else if (key == "minLength") {
        node.min_length = nonNegativeInteger(value, path, key);
      } else if (key == "maxLength") {
        node.max_length = nonNegativeInteger(value, path, key);
      } else if (key == "pattern") {
        node.pattern = regex(value, path, key);
      } else if (key == "items") {
        if (value.is_array()) {
          fail(path, "'items' must be a schema (an object or a boolean), found an array; for a tuple use "
                     "'prefixItems'");
        }
        node.items = child(value, key);
      } else if (key == "prefixItems") {
        schemaArray(value, path, key, node.prefix_items);
      } else if (key == "minItems") {
        node.min_items = nonNegativeInteger(value, path, key);
      } else if (key == "maxItems") {
        node.max_items = nonNegativeInteger(value, path, key);
      } else if (key == "uniqueItems") {
        node.unique_items = boolean(value, path, key);
      } else if (key == "contains") {
        node.contains = child(value, key);
      } else if (key == "allOf") {
        schemaArray(value, path, key, node.all_of);
      } else if (key == "anyOf") {
        schemaArray(value, path, key, node.any_of);
      } else if (key == "oneOf") {
        schemaArray(value, path, key, node.one_of);
      } else if (key == "not") {
        node.not_schema = child(value, key);
      } else if (key == "if") {
        node.if_schema = child(value, key);
      } else if (key == "then") {
        node.then_schema = child(value, key);
      } else if (key == "else") {
        node.else_schema = child(value, key);
      } else if (key == "default") {
        node.default_value = &value;
      } else if (key == "examples") {
        if (!value.is_array()) fail(path, "'examples' must be an array, found " + found(value));
      } else if (key == "deprecated" || key == "readOnly" || key == "writeOnly") {
        boolean(value, path, key);
      } else if (key == "x-secret") {
        node.secret = boolean(value, path, key);
      } else {
        fail(path, unknownKeywordMessage(key));
      }
    }
    return add(std::move(node));
  }

  static std::string unknownKeywordMessage(const std::string& key) {
    std::string message = "unsupported keyword '" + key + "'";
    if (auto hint = replacementHint(key)) return message + "; " + std::string(*hint);
    if (auto near = nearestName(key, keywordNames())) return message + "; did you mean '" + *near + "'?";
    if (key.rfind("x-", 0) == 0) return message + " (supported extensions: x-secret, x-doc)";
    return message + " (supported: a subset of JSON Schema draft 2020-12; see ajuste/json_schema.hpp)";
  }

  std::size_t add(JsonSchemaNode node) {
    by_path_.emplace(node.path, data_.nodes.size());
    data_.nodes.push_back(std::move(node));
    return data_.nodes.size() - 1;
  }

  void resolveReferences() {
    for (auto& node : data_.nodes) {
      if (!node.ref_text) continue;
      const std::string& text = *node.ref_text;
      if (text.empty() || text.front() != '#') {
        fail(node.path, "'$ref' " + quoteText(text) + " is not supported: only references inside this schema are, "
                        "written \"#/$defs/name\"");
      }
      const auto decoded = percentDecode(std::string_view(text).substr(1));
      if (!decoded || (!decoded->empty() && decoded->front() != '/') || !splitPointer(*decoded)) {
        fail(node.path, "'$ref' " + quoteText(text) + " is not a JSON pointer; write \"#/$defs/name\"");
      }
      const auto found_node = by_path_.find(*decoded);
      if (found_node == by_path_.end()) fail(node.path, missingTargetMessage(text, *decoded));
      node.ref = found_node->second;
    }
  }

  std::string missingTargetMessage(const std::string& text, const std::string& pointer) const {
    const auto tokens = splitPointer(pointer);
    bool exists = true;
    try {
      exists = data_.document.contains(Json::json_pointer(pointer));
    } catch (const Json::exception&) {
      exists = false;
    }
    if (exists) return "'$ref' " + quoteText(text) + " points to something that is not a schema";
    std::string message = "'$ref' " + quoteText(text) + " points to nothing";
    if (tokens && tokens->size() == 2 && ((*tokens)[0] == "$defs" || (*tokens)[0] == "definitions")) {
      std::vector<std::string> defined;
      if (const auto defs = data_.document.find((*tokens)[0]); defs != data_.document.end() && defs->is_object()) {
        for (const auto& [name, unused] : defs->items()) defined.push_back(name);
      }
      if (auto near = nearestName((*tokens)[1], defined)) {
        message += "; did you mean \"#/" + (*tokens)[0] + "/" + escapeToken(*near) + "\"?";
      } else if (!defined.empty()) {
        message += " (defined: " + joinList(defined) + ")";
      }
    }
    return message;
  }

  // Schemas applied to the same instance value as `node`.
  static std::vector<std::size_t> inPlaceChildren(const JsonSchemaNode& node) {
    std::vector<std::size_t> out;
    if (node.ref != kNoNode) out.push_back(node.ref);
    out.insert(out.end(), node.all_of.begin(), node.all_of.end());
    out.insert(out.end(), node.any_of.begin(), node.any_of.end());
    out.insert(out.end(), node.one_of.begin(), node.one_of.end());
    for (std::size_t index : {node.not_schema, node.if_schema, node.then_schema, node.else_schema}) {
      if (index != kNoNode) out.push_back(index);
    }
    return out;
  }

  // A loop of $ref/allOf/... that never moves to a child value would make validation recurse
  // forever; recursion through "properties" or "items" is fine because the instance is finite.
  void rejectInPlaceCycles() {
    enum class Mark { kNew, kOnStack, kDone };
    std::vector<Mark> marks(data_.nodes.size(), Mark::kNew);
    std::vector<std::size_t> stack;
    const auto visit = [&](auto&& self, std::size_t index) -> void {
      marks[index] = Mark::kOnStack;
      stack.push_back(index);
      for (std::size_t next : inPlaceChildren(data_.nodes[index])) {
        if (marks[next] == Mark::kOnStack) {
          std::string loop;
          const auto start = std::find(stack.begin(), stack.end(), next);
          for (auto it = start; it != stack.end(); ++it) loop += schemaLocation(data_.nodes[*it].path) + " -> ";
          loop += schemaLocation(data_.nodes[next].path);
          fail(data_.nodes[index].path, "'$ref' loops back to itself without descending into a property or item (" +
                                            loop + ")");
        }
        if (marks[next] == Mark::kNew) self(self, next);
      }
      stack.pop_back();
      marks[index] = Mark::kDone;
    };
    for (std::size_t i = 0; i < data_.nodes.size(); ++i) {
      if (marks[i] == Mark::kNew) visit(visit, i);
    }
  }

  // Recursion follows only in-place edges, which rejectInPlaceCycles proved acyclic, and never
  // adds nodes, so references into data_.nodes stay valid.
  TypeMask deriveAccepted(std::size_t index) {
    if (derived_accepted_.empty()) derived_accepted_.assign(data_.nodes.size(), false);
    JsonSchemaNode& node = data_.nodes[index];
    if (derived_accepted_[index]) return node.accepted;
    TypeMask mask = kAnyType;
    if (node.is_bool) {
      mask = node.bool_value ? kAnyType : 0;
    } else {
      if (node.type_mask != 0) mask &= node.type_mask;
      if (node.const_value != nullptr) mask &= kindOf(*node.const_value);
      if (node.enum_values != nullptr) {
        TypeMask values = 0;
        for (const Json& value : *node.enum_values) values |= kindOf(value);
        mask &= values;
      }
      if (node.ref != kNoNode) mask &= deriveAccepted(node.ref);
      for (std::size_t sub : node.all_of) mask &= deriveAccepted(sub);
      for (const auto* branches : {&node.any_of, &node.one_of}) {
        if (branches->empty()) continue;
        TypeMask any = 0;
        for (std::size_t sub : *branches) any |= deriveAccepted(sub);
        mask &= any;
      }
    }
    node.accepted = mask;
    derived_accepted_[index] = true;
    return mask;
  }

  bool deriveSecret(std::size_t index) {
    if (derived_secret_.empty()) derived_secret_.assign(data_.nodes.size(), false);
    if (derived_secret_[index]) return data_.nodes[index].effective_secret;
    bool secret = data_.nodes[index].secret;
    for (std::size_t sub : inPlaceChildren(data_.nodes[index])) {
      if (sub != data_.nodes[index].not_schema && deriveSecret(sub)) secret = true;
    }
    data_.nodes[index].effective_secret = secret;
    derived_secret_[index] = true;
    return secret;
  }

  // Recursive schemas make the child graph cyclic, so propagate to a fixed point instead of recursing.
  void deriveContainsSecret() {
    for (auto& node : data_.nodes) node.contains_secret = node.effective_secret;
    bool changed = true;
    while (changed) {
      changed = false;
      for (auto& node : data_.nodes) {
        if (node.contains_secret) continue;
        std::vector<std::size_t> children = inPlaceChildren(node);
        for (const auto& property : node.properties) children.push_back(property.second);
        for (const auto& pattern : node.pattern_properties) children.push_back(pattern.second);
        children.insert(children.end(), node.prefix_items.begin(), node.prefix_items.end());
        for (std::size_t index : {node.additional, node.items, node.contains}) children.push_back(index);
        node.contains_secret = std::any_of(children.begin(), children.end(), [&](std::size_t index) {
          return index != kNoNode && index != node.not_schema && data_.nodes[index].contains_secret;
        });
        changed = changed || node.contains_secret;
      }
    }
  }

  // "required": ["x"] next to "additionalProperties": false without declaring x can never be
  // satisfied; catching it here saves a plugin author a confusing bug report.
  void checkRequiredAgainstClosedObjects() const {
    for (const auto& node : data_.nodes) {
      if (node.additional == kNoNode) continue;
      const auto& additional = data_.nodes[node.additional];
      if (!additional.is_bool || additional.bool_value) continue;
      for (const auto& name : node.required) {
        const bool declared = std::any_of(node.properties.begin(), node.properties.end(),
                                          [&](const auto& property) { return property.first == name; }) ||
                              std::any_of(node.pattern_properties.begin(), node.pattern_properties.end(),
                                          [&](const auto& pattern) { return search(name, pattern.first.regex); });
        if (!declared) {
          fail(node.path, "'required' lists '" + name + "', which \"additionalProperties\": false forbids; declare it in "
                          "'properties'");
        }
      }
    }
  }

  JsonSchemaData& data_;
  std::unordered_map<std::string, std::size_t> by_path_;
  std::vector<bool> derived_accepted_;
  std::vector<bool> derived_secret_;
};

// ---------------------------------------------------------------------------------------------
// Validating

class Validator {
 public:
  Validator(const JsonSchemaData& data, const Json& root) : data_(data), root_(root) {}

  void check(std::size_t index, const Json& value, const std::string& pointer, bool secret, Violations& out) const {
    const JsonSchemaNode& node = data_.nodes[index];
    secret = secret || node.effective_secret;
    // `secret` travels down to members; `conceal` also hides an object or array quoted whole when
    // some member of it is secret.
    const bool conceal = secret || (value.is_structured() && node.contains_secret);
    if (node.is_bool) {
      if (!node.bool_value) out.push_back({pointer, "false", "no value is allowed here, found " + literal(value, conceal)});
      return;
    }
    // A value of the wrong type fails every other check too; saying so again would bury the one
    // fix the user needs.
    if (node.type_mask != 0 && (kindOf(value) & node.type_mask) == 0) {
      out.push_back({pointer, "type", typeMismatch(node.type_names, node.type_mask, value, secret)});
      return;
    }
    if (node.ref != kNoNode) check(node.ref, value, pointer, secret, out);
    checkValue(node, value, pointer, conceal, out);
    if (value.is_number()) checkNumber(node, value, pointer, secret, out);
    if (value.is_string()) checkString(node, value, pointer, secret, out);
    if (value.is_array()) checkArray(node, value, pointer, secret, out);
    if (value.is_object()) checkObject(node, value, pointer, secret, out);
    checkCombinations(node, value, pointer, secret, conceal, out);
  }

  bool matches(std::size_t index, const Json& value, const std::string& pointer, bool secret) const {
    Violations ignored;
    check(index, value, pointer, secret, ignored);
    return ignored.empty();
  }

  // Removes repeats (the same check reached through two paths) and orders by instance position.
  void finish(Violations& violations) const {
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    std::vector<std::pair<std::vector<std::string>, SchemaViolation>> keyed;
    for (auto& violation : violations) {
      if (!seen.emplace(violation.pointer, violation.keyword, violation.message).second) continue;
      auto tokens = splitPointer(violation.pointer).value_or(std::vector<std::string>{violation.pointer});
      keyed.emplace_back(std::move(tokens), std::move(violation));
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [this](const auto& a, const auto& b) { return before(a.first, b.first); });
    violations.clear();
    for (auto& entry : keyed) violations.push_back(std::move(entry.second));
  }

 private:
  bool before(const std::vector<std::string>& a, const std::vector<std::string>& b) const {
    const Json* current = &root_;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
      if (a[i] == b[i]) {
        current = step(current, a[i]);
        continue;
      }
      if (current != nullptr && current->is_array()) {
        const auto left = arrayIndex(a[i]);
        const auto right = arrayIndex(b[i]);
        if (left && right) return *left < *right;
      }
      return a[i] < b[i];  // object members: the order nlohmann::json iterates them in
    }
    return a.size() < b.size();
  }

  static const Json* step(const Json* current, const std::string& token) {
    if (current == nullptr) return nullptr;
    if (current->is_object()) {
      const auto it = current->find(token);
      return it == current->end() ? nullptr : &*it;
    }
    if (current->is_array()) {
      const auto index = arrayIndex(token);
      return index && *index < current->size() ? &(*current)[*index] : nullptr;
    }
    return nullptr;
  }

  static std::string typeMismatch(const std::vector<std::string>& names, TypeMask mask, const Json& value, bool secret) {
    std::vector<std::string> expected;
    for (const auto& name : names) expected.push_back(typeWithArticle(name));
    std::string message = "expected " + joinOr(expected) + ", found " + describe(value, secret);
    if (secret) return message;
    if (value.is_string() && (mask & (kNumber | kBoolean | kNull)) != 0) {
      // A quoted number in YAML stays a string; say how to write it.
      const auto& text = value.get_ref<const std::string&>();
      const Json parsed = Json::parse(text, nullptr, false);
      if (!parsed.is_discarded() && !parsed.is_structured() && (kindOf(parsed) & mask) != 0 &&
          text.find_first_of(" \t\r\n") == std::string::npos) {
        message += "; write " + text + " without quotes";
      }
    } else if ((mask & kArray) != 0 && value.is_primitive() && !value.is_null()) {
      message += "; for a single item write [" + literal(value) + "]";
    }
    return message;
  }

  void checkValue(const JsonSchemaNode& node, const Json& value, const std::string& pointer, bool secret,
                  Violations& out) const {
    if (node.const_value != nullptr && value != *node.const_value) {
      out.push_back({pointer, "const", "must be " + literal(*node.const_value) + ", found " + literal(value, secret)});
    }
    if (node.enum_values != nullptr) {
      const Json& allowed = *node.enum_values;
      if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
        out.push_back({pointer, "enum", enumMessage(allowed, value, secret)});
      }
    }
  }

  static std::string enumMessage(const Json& allowed, const Json& value, bool secret) {
    std::vector<std::string> shown;
    std::vector<std::string> names;
    for (const Json& option : allowed) {
      shown.push_back(literal(option));
      if (option.is_string()) names.push_back(option.get<std::string>());
    }
    std::string message = allowed.size() == 1 ? "must be " + shown.front() : "must be one of " + joinList(shown);
    message += "; found " + literal(value, secret);
    if (!secret && value.is_string()) {
      if (auto near = nearestName(value.get_ref<const std::string&>(), names)) {
        message += " (did you mean " + quoteText(*near) + "?)";
      }
    }
    return message;
  }

  static void checkNumber(const JsonSchemaNode& node, const Json& value, const std::string& pointer, bool secret,
                          Violations& out) {
    const long double x = toLongDouble(value);
    const auto limit = [&](const Json* bound, std::string_view keyword, std::string_view relation, bool ok) {
      if (bound != nullptr && !ok) {
        out.push_back({pointer, std::string(keyword),
                       "must be " + std::string(relation) + " " + literal(*bound) + ", found " + literal(value, secret)});
      }
    };
    limit(node.minimum, "minimum", ">=", node.minimum == nullptr || x >= toLongDouble(*node.minimum));
    limit(node.exclusive_minimum, "exclusiveMinimum", ">",
          node.exclusive_minimum == nullptr || x > toLongDouble(*node.exclusive_minimum));
    limit(node.maximum, "maximum", "<=", node.maximum == nullptr || x <= toLongDouble(*node.maximum));
    limit(node.exclusive_maximum, "exclusiveMaximum", "<",
          node.exclusive_maximum == nullptr || x < toLongDouble(*node.exclusive_maximum));
    if (node.multiple_of != nullptr && !isMultipleOf(value, *node.multiple_of)) {
      out.push_back({pointer, "multipleOf",
                     "must be a multiple of " + literal(*node.multiple_of) + ", found " + literal(value, secret)});
    }
  }

  static void checkString(const JsonSchemaNode& node, const Json& value, const std::string& pointer, bool secret,
                          Violations& out) {
    const auto& text = value.get_ref<const std::string&>();
    const std::size_t length = codePointCount(text);
    const auto foundText = [&] {
      if (secret) return secretText(value);
      if (text.empty()) return std::string("an empty string");
      return literal(value) + " (" + plural(length, "character") + ")";
    };
    if (node.min_length && length < *node.min_length) {
      out.push_back({pointer, "minLength",
                     "must be at least " + plural(*node.min_length, "character") + " long, found " + foundText()});
    }
    if (node.max_length && length > *node.max_length) {
      out.push_back({pointer, "maxLength",
                     "must be at most " + plural(*node.max_length, "character") + " long, found " + foundText()});
    }
    if (node.pattern) {
      if (text.size() > kMaxRegexInput) {
        out.push_back({pointer, "pattern", "is too long to check against pattern " + node.pattern->source +
                                               " (more than " + std::to_string(kMaxRegexInput) + " bytes)"});
      } else if (!search(text, node.pattern->regex)) {
        out.push_back({pointer, "pattern", "must match " + node.pattern->source + ", found " + literal(value, secret)});
      }
    }
  }

  void checkArray(const JsonSchemaNode& node, const Json& value, const std::string& pointer, bool secret,
                  Violations& out) const {
    const std::size_t size = value.size();
    if (node.min_items && size < *node.min_items) {
      out.push_back({pointer, "minItems", "must have at least " + plural(*node.min_items, "item") + ", found " +
                                              (size == 0 ? std::string("an empty array") : std::to_string(size))});
    }
    if (node.max_items && size > *node.max_items) {
      out.push_back({pointer, "maxItems",
                     "must have at most " + plural(*node.max_items, "item") + ", found " + std::to_string(size)});
    }
    if (node.unique_items) {
      for (std::size_t i = 1; i < size; ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (value[i] == value[j]) {
            const std::size_t schema = i < node.prefix_items.size() ? node.prefix_items[i] : node.items;
            const bool hidden = secret || (schema != kNoNode && (data_.nodes[schema].effective_secret ||
                                                                 (value[i].is_structured() &&
                                                                  data_.nodes[schema].contains_secret)));
            out.push_back({childPointer(pointer, i), "uniqueItems",
                           "duplicate of item " + std::to_string(j) + " (" + literal(value[i], hidden) +
                               "); items must be unique"});
            break;
          }
        }
      }
    }
    for (std::size_t i = 0; i < size; ++i) {
      const std::size_t schema = i < node.prefix_items.size() ? node.prefix_items[i] : node.items;
      if (schema == kNoNode) continue;
      const JsonSchemaNode& item = data_.nodes[schema];
      if (item.is_bool && !item.bool_value && i >= node.prefix_items.size()) {
        // "items": false after prefixItems closes the tuple; one message for all the extras.
        out.push_back({childPointer(pointer, i), "items",
                       "unexpected item: at most " + plural(node.prefix_items.size(), "item") +
                           (node.prefix_items.size() == 1 ? " is" : " are") + " allowed, found " + std::to_string(size)});
        break;
      }
      check(schema, value[i], childPointer(pointer, i), secret, out);
    }
    if (node.contains != kNoNode) checkContains(node.contains, value, pointer, secret, out);
  }

  void checkContains(std::size_t schema, const Json& value, const std::string& pointer, bool secret,
                     Violations& out) const {
    Violations first;
    for (std::size_t i = 0; i < value.size(); ++i) {
      Violations attempt;
      check(schema, value[i], childPointer(pointer, i), secret, attempt);
      if (attempt.empty()) return;
      if (i == 0) first = std::move(attempt);
    }
    const JsonSchemaNode& wanted = data_.nodes[schema];
    std::string message;
    if (wanted.const_value != nullptr) {
      message = "must contain " + literal(*wanted.const_value);
    } else if (const auto brief = alternatives(schema); !brief.empty()) {
      message = "must contain at least one item that is " + joinOr(brief);
    } else {
      message = "must contain at least one matching item";
    }
    if (value.empty()) {
      message += ", found an empty array";
    } else if (!first.empty()) {
      finish(first);
      message += "; no item does (item 0: " + first.front().message + ")";
    }
    out.push_back({pointer, "contains", message});
  }

  void checkObject(const JsonSchemaNode& node, const Json& value, const std::string& pointer, bool secret,
                   Violations& out) const {
    const auto declared = [&](const std::string& name) -> std::size_t {
      for (const auto& [property, schema] : node.properties) {
        if (property == name) return schema;
      }
      return kNoNode;
    };
    const bool closed = node.additional != kNoNode && data_.nodes[node.additional].is_bool &&
                        !data_.nodes[node.additional].bool_value;

    // Unknown names first: a misspelt required option is one mistake, reported once, as the
    // unknown name with its correction rather than also as a missing option.
    std::vector<std::string> absent;
    for (const auto& [property, schema] : node.properties) {
      if (!value.contains(property)) absent.push_back(property);
    }
    std::set<std::string> corrected;
    std::vector<std::pair<std::string, std::string>> unknown;  // name, message
    for (const auto& [name, member] : value.items()) {
      if (!closed || declared(name) != kNoNode || matchesPattern(node, name)) continue;
      std::string message = "unknown option '" + name + "'";
      if (auto near = nearestName(name, absent)) {
        message += "; did you mean '" + *near + "'?";
        corrected.insert(*near);
      }
      message += " " + allowedNames(node);
      unknown.emplace_back(name, std::move(message));
    }

    for (const auto& name : node.required) {
      if (!value.contains(name) && corrected.count(name) == 0) {
        out.push_back({pointer, "required", "missing required option '" + name + "'"});
      }
    }
    for (const auto& [trigger, names] : node.dependent_required) {
      if (!value.contains(trigger)) continue;
      for (const auto& name : names) {
        if (!value.contains(name) && corrected.count(name) == 0) {
          out.push_back({pointer, "dependentRequired", "option '" + name + "' is required when '" + trigger + "' is set"});
        }
      }
    }
    const std::size_t size = value.size();
    if (node.min_properties && size < *node.min_properties) {
      out.push_back({pointer, "minProperties", "must have at least " + plural(*node.min_properties, "option") +
                                                   ", found " + (size == 0 ? std::string("none") : std::to_string(size))});
    }
    if (node.max_properties && size > *node.max_properties) {
      out.push_back({pointer, "maxProperties",
                     "must have at most " + plural(*node.max_properties, "option") + ", found " + std::to_string(size)});
    }

    auto next_unknown = unknown.begin();
    for (const auto& [name, member] : value.items()) {
      const std::string member_pointer = childPointer(pointer, name);
      if (node.property_names != kNoNode) {
        Violations naming;
        check(node.property_names, Json(name), member_pointer, false, naming);
        for (auto& violation : naming) {
          out.push_back({member_pointer, "propertyNames", "invalid option name: " + violation.message});
        }
      }
      if (next_unknown != unknown.end() && next_unknown->first == name) {
        out.push_back({member_pointer, "additionalProperties", next_unknown->second});
        ++next_unknown;
        continue;
      }
      bool matched = false;
      if (const std::size_t schema = declared(name); schema != kNoNode) {
        matched = true;
        check(schema, member, member_pointer, secret, out);
      }
      for (const auto& [pattern, schema] : node.pattern_properties) {
        if (search(name, pattern.regex)) {
          matched = true;
          check(schema, member, member_pointer, secret, out);
        }
      }
      if (!matched && node.additional != kNoNode) check(node.additional, member, member_pointer, secret, out);
    }
  }

  static bool matchesPattern(const JsonSchemaNode& node, const std::string& name) {
    return std::any_of(node.pattern_properties.begin(), node.pattern_properties.end(),
                       [&](const auto& pattern) { return search(name, pattern.first.regex); });
  }

  static std::string allowedNames(const JsonSchemaNode& node) {
    std::vector<std::string> names;
    for (const auto& [name, schema] : node.properties) names.push_back(name);
    std::vector<std::string> patterns;
    for (const auto& [pattern, schema] : node.pattern_properties) patterns.push_back(pattern.source);
    if (names.empty() && patterns.empty()) return "(no options are allowed here)";
    std::string text = "(allowed: " + joinList(names);
    if (!patterns.empty()) {
      text += std::string(names.empty() ? "" : ", or ") + "names matching " + joinOr(patterns);
    }
    return text + ")";
  }

  void checkCombinations(const JsonSchemaNode& node, const Json& value, const std::string& pointer, bool secret,
                         bool conceal, Violations& out) const {
    for (std::size_t schema : node.all_of) check(schema, value, pointer, secret, out);
    if (!node.any_of.empty()) {
      std::vector<Violations> results;
      for (std::size_t schema : node.any_of) {
        Violations attempt;
        check(schema, value, pointer, secret, attempt);
        if (attempt.empty()) {
          results.clear();
          break;
        }
        results.push_back(std::move(attempt));
      }
      if (!results.empty()) explainNoMatch(node.any_of, std::move(results), value, pointer, conceal, "anyOf", out);
    }
    if (!node.one_of.empty()) {
      std::vector<Violations> results;
      std::vector<std::size_t> matching;
      for (std::size_t i = 0; i < node.one_of.size(); ++i) {
        Violations attempt;
        check(node.one_of[i], value, pointer, secret, attempt);
        if (attempt.empty()) matching.push_back(i + 1);
        results.push_back(std::move(attempt));
      }
      if (matching.empty()) {
        explainNoMatch(node.one_of, std::move(results), value, pointer, conceal, "oneOf", out);
      } else if (matching.size() > 1) {
        // The usual "give exactly one of these options" shape: each form only requires names.
        std::vector<std::string> given;
        for (std::size_t form : matching) {
          const auto& required = data_.nodes[node.one_of[form - 1]].required;
          if (required.size() == 1) given.push_back("'" + required[0] + "'");
        }
        if (given.size() == matching.size()) {
          out.push_back({pointer, "oneOf",
                         given.size() == 2 ? "give either " + given[0] + " or " + given[1] + ", not both"
                                           : "give only one of " + joinOr(given)});
        } else {
          std::vector<std::string> forms;
          for (std::size_t form : matching) forms.push_back(std::to_string(form));
          out.push_back({pointer, "oneOf",
                         "matches more than one allowed form (forms " + joinAnd(forms) + "); it must match exactly one"});
        }
      }
    }
    if (node.not_schema != kNoNode && matches(node.not_schema, value, pointer, secret)) {
      out.push_back({pointer, "not", notMessage(node.not_schema, value, conceal)});
    }
    if (node.if_schema != kNoNode) {
      const std::size_t branch = matches(node.if_schema, value, pointer, secret) ? node.then_schema : node.else_schema;
      if (branch != kNoNode) check(branch, value, pointer, secret, out);
    }
  }

  std::string notMessage(std::size_t schema, const Json& value, bool secret) const {
    const JsonSchemaNode& forbidden = data_.nodes[schema];
    const bool only_required = !forbidden.is_bool && !forbidden.required.empty() && forbidden.type_mask == 0 &&
                               forbidden.properties.empty() && forbidden.ref == kNoNode && forbidden.all_of.empty() &&
                               forbidden.any_of.empty() && forbidden.one_of.empty();
    if (only_required && value.is_object()) {
      // The usual way to write "mutually exclusive": "not": {"required": ["a", "b"]}.
      std::vector<std::string> names;
      for (const auto& name : forbidden.required) names.push_back("'" + name + "'");
      if (names.size() == 1) return "option " + names.front() + " is not allowed here";
      return "options " + joinAnd(names) + " cannot be used together";
    }
    if (const auto brief = alternatives(schema); !brief.empty()) {
      return "must not be " + joinOr(brief) + ", found " + literal(value, secret);
    }
    return "found " + literal(value, secret) + ", which is not allowed here";
  }

  // Short descriptions of what a schema accepts, for "expected X or Y": the const or enum values
  // when it lists them, else its types. Empty when it cannot be said briefly.
  std::vector<std::string> alternatives(std::size_t index) const {
    const JsonSchemaNode& node = data_.nodes[index];
    std::vector<std::string> out;
    if (node.is_bool) return out;
    if (node.const_value != nullptr) return {literal(*node.const_value)};
    if (node.enum_values != nullptr && node.enum_values->size() <= kMaxListed) {
      for (const Json& option : *node.enum_values) out.push_back(literal(option));
      return out;
    }
    if (!node.type_names.empty() && node.type_mask == node.accepted) {
      for (const auto& name : node.type_names) out.push_back(typeWithArticle(name));
      return out;
    }
    if (node.ref != kNoNode && node.type_mask == 0 && node.all_of.empty() && node.any_of.empty() &&
        node.one_of.empty()) {
      return alternatives(node.ref);
    }
    if (node.accepted == kAnyType || node.accepted == 0) return out;
    for (const auto& name : typeNamesOf(node.accepted)) out.push_back(typeWithArticle(name));
    return out;
  }

  // anyOf/oneOf failed. Prefer the one explanation that fits: the only branch for this type of
  // value, or for objects the only branch whose shape (required names, const tags) fits.
  void explainNoMatch(const std::vector<std::size_t>& branches, std::vector<Violations> results, const Json& value,
                      const std::string& pointer, bool secret, std::string_view keyword, Violations& out) const {
    const TypeMask kind = kindOf(value);
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < branches.size(); ++i) {
      if ((data_.nodes[branches[i]].accepted & kind) != 0) candidates.push_back(i);
    }
    if (candidates.empty()) {
      std::vector<std::string> expected;
      for (std::size_t branch : branches) {
        for (auto& text : alternatives(branch)) {
          if (std::find(expected.begin(), expected.end(), text) == expected.end()) expected.push_back(std::move(text));
        }
      }
      out.push_back({pointer, std::string(keyword),
                     expected.empty() ? "no value is allowed here, found " + literal(value, secret)
                                      : "expected " + joinOr(expected) + ", found " + describe(value, secret)});
      return;
    }
    if (candidates.size() > 1 && value.is_object()) {
      std::vector<std::size_t> recognised;
      for (std::size_t i : candidates) {
        if (!std::any_of(results[i].begin(), results[i].end(),
                         [&](const SchemaViolation& v) { return isShapeMismatch(v, pointer); })) {
          recognised.push_back(i);
        }
      }
      if (recognised.size() == 1) candidates = recognised;
    }
    if (candidates.size() == 1) {
      for (auto& violation : results[candidates.front()]) out.push_back(std::move(violation));
      return;
    }
    std::string message = "does not match any allowed form: ";
    for (std::size_t n = 0; n < candidates.size(); ++n) {
      Violations& why = results[candidates[n]];
      finish(why);
      if (n > 0) message += "; ";
      message += "form " + std::to_string(candidates[n] + 1) + ": ";
      const SchemaViolation& first = why.front();
      if (first.pointer.size() > pointer.size()) message += first.pointer.substr(pointer.size()) + ": ";
      message += first.message;
      if (why.size() > 1) message += " (+" + std::to_string(why.size() - 1) + " more)";
    }
    out.push_back({pointer, std::string(keyword), message});
  }

  // A violation that shows the object is a different kind of thing than the branch describes,
  // rather than a right kind of thing with a wrong detail.
  static bool isShapeMismatch(const SchemaViolation& violation, const std::string& pointer) {
    if (violation.pointer == pointer) return true;
    const bool direct_child = violation.pointer.size() > pointer.size() + 1 &&
                              violation.pointer.compare(0, pointer.size(), pointer) == 0 &&
                              violation.pointer[pointer.size()] == '/' &&
                              violation.pointer.find('/', pointer.size() + 1) == std::string::npos;
    return direct_child && (violation.keyword == "const" || violation.keyword == "enum" ||
                            violation.keyword == "additionalProperties" || violation.keyword == "false");
  }

  const JsonSchemaData& data_;
  const Json& root_;
};

// ---------------------------------------------------------------------------------------------
// Walking the schema along an instance pointer (isSecret, expectedTypes)

// Schemas that apply to the member or item `token` of a value validated by `node`.
std::vector<std::size_t> childrenFor(const JsonSchemaNode& node, const std::string& token) {
  std::vector<std::size_t> out;
  if (node.is_bool) return out;
  if ((node.accepted & kObject) != 0) {
    bool matched = false;
    for (const auto& [name, schema] : node.properties) {
      if (name == token) {
        out.push_back(schema);
        matched = true;
      }
    }
    for (const auto& [pattern, schema] : node.pattern_properties) {
      if (search(token, pattern.regex)) {
        out.push_back(schema);
        matched = true;
      }
    }
    if (!matched && node.additional != kNoNode) out.push_back(node.additional);
  }
  if ((node.accepted & kArray) != 0) {
    if (const auto index = arrayIndex(token)) {
      if (*index < node.prefix_items.size()) {
        out.push_back(node.prefix_items[*index]);
      } else if (node.items != kNoNode) {
        out.push_back(node.items);
      }
    }
  }
  return out;
}

bool secretAt(const JsonSchemaData& data, std::size_t index, const std::vector<std::string>& tokens, std::size_t depth) {
  const JsonSchemaNode& node = data.nodes[index];
  if (node.effective_secret) return true;
  if (depth == tokens.size() || node.is_bool) return false;
  for (std::size_t sub : {node.ref, node.if_schema, node.then_schema, node.else_schema}) {
    if (sub != kNoNode && secretAt(data, sub, tokens, depth)) return true;
  }
  for (const auto* group : {&node.all_of, &node.any_of, &node.one_of}) {
    for (std::size_t sub : *group) {
      if (secretAt(data, sub, tokens, depth)) return true;
    }
  }
  for (std::size_t child : childrenFor(node, tokens[depth])) {
    if (secretAt(data, child, tokens, depth + 1)) return true;
  }
  return false;
}

TypeMask typesAt(const JsonSchemaData& data, std::size_t index, const std::vector<std::string>& tokens, std::size_t depth) {
  const JsonSchemaNode& node = data.nodes[index];
  if (depth == tokens.size()) return node.accepted;
  if (node.is_bool) return node.bool_value ? kAnyType : 0;
  if ((node.accepted & (kObject | kArray)) == 0) return 0;
  TypeMask mask = kAnyType;
  for (std::size_t child : childrenFor(node, tokens[depth])) mask &= typesAt(data, child, tokens, depth + 1);
  if (node.ref != kNoNode) mask &= typesAt(data, node.ref, tokens, depth);
  for (std::size_t sub : node.all_of) mask &= typesAt(data, sub, tokens, depth);
  for (const auto* group : {&node.any_of, &node.one_of}) {
    if (group->empty()) continue;
    TypeMask any = 0;
    for (std::size_t sub : *group) any |= typesAt(data, sub, tokens, depth);
    mask &= any;
  }
  return mask;
}

// ---------------------------------------------------------------------------------------------
// Defaults

const Json* effectiveDefault(const JsonSchemaData& data, std::size_t index) {
  for (std::size_t current = index; current != kNoNode; current = data.nodes[current].ref) {
    if (data.nodes[current].default_value != nullptr) return data.nodes[current].default_value;
  }
  return nullptr;
}

void collectInPlace(const JsonSchemaData& data, std::size_t index, std::vector<std::size_t>& out) {
  if (std::find(out.begin(), out.end(), index) != out.end()) return;
  out.push_back(index);
  const JsonSchemaNode& node = data.nodes[index];
  if (node.ref != kNoNode) collectInPlace(data, node.ref, out);
  for (std::size_t sub : node.all_of) collectInPlace(data, sub, out);
}

void fillDefaults(const JsonSchemaData& data, std::size_t index, Json& value) {
  if (!value.is_object() && !value.is_array()) return;
  std::vector<std::size_t> schemas;
  collectInPlace(data, index, schemas);
  for (std::size_t schema : schemas) {
    const JsonSchemaNode& node = data.nodes[schema];
    if (node.is_bool) continue;
    if (value.is_object()) {
      for (const auto& [name, property] : node.properties) {
        auto it = value.find(name);
        if (it == value.end()) {
          const Json* fallback = effectiveDefault(data, property);
          if (fallback == nullptr) continue;
          it = value.emplace(name, *fallback).first;
        }
        fillDefaults(data, property, *it);
      }
      for (auto& [name, member] : value.items()) {
        const std::string& key = name;  // a lambda may not capture a structured binding in clang 14
        bool declared = std::any_of(node.properties.begin(), node.properties.end(),
                                    [&](const auto& property) { return property.first == key; });
        for (const auto& [pattern, property] : node.pattern_properties) {
          if (search(name, pattern.regex)) {
            declared = true;
            fillDefaults(data, property, member);
          }
        }
        if (!declared && node.additional != kNoNode) fillDefaults(data, node.additional, member);
      }
    } else {
      for (std::size_t i = 0; i < value.size(); ++i) {
        const std::size_t item = i < node.prefix_items.size() ? node.prefix_items[i] : node.items;
        if (item != kNoNode) fillDefaults(data, item, value[i]);
      }
    }
  }
}

// Every default must pass its own schema; a plugin shipping a default its own validator rejects
// would fail for every user who leaves the option out.
void checkDefaults(const JsonSchemaData& data) {
  for (std::size_t i = 0; i < data.nodes.size(); ++i) {
    const JsonSchemaNode& node = data.nodes[i];
    if (node.default_value == nullptr) continue;
    Validator validator(data, *node.default_value);
    Violations violations;
    validator.check(i, *node.default_value, "", false, violations);
    if (violations.empty()) continue;
    validator.finish(violations);
    const SchemaViolation& first = violations.front();
    throw SchemaError{node.path, "'default' " + literal(*node.default_value) + " does not satisfy its own schema: " +
                                     (first.pointer.empty() ? "" : first.pointer + ": ") + first.message};
  }
}

}  // namespace

// -----------------------------------------------------------------------------------------------

JsonSchema::JsonSchema(std::shared_ptr<const detail::JsonSchemaData> data) : data_(std::move(data)) {}

Result<JsonSchema> JsonSchema::parse(std::string_view schema_text) {
  Json document;
  try {
    document = Json::parse(schema_text);
  } catch (const Json::parse_error& error) {
    std::string what = error.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " tag; keep the line/column part.
    if (const auto tag_end = what.find("] "); what.rfind("[json.exception", 0) == 0 && tag_end != std::string::npos) {
      what.erase(0, tag_end + 2);
    }
    return Status::pluginBug("invalid JSON Schema: not valid JSON: " + what);
  }
  return fromJson(std::move(document));
}

Result<JsonSchema> JsonSchema::fromJson(nlohmann::json schema) {
  auto data = std::make_shared<JsonSchemaData>();
  data->document = std::move(schema);
  try {
    Compiler compiler(*data);
    compiler.run();
    checkDefaults(*data);
  } catch (const SchemaError& error) {
    return Status::pluginBug("invalid JSON Schema at " + schemaLocation(error.path) + ": " + error.message);
  }
  return JsonSchema(std::move(data));
}

std::vector<SchemaViolation> JsonSchema::validate(const nlohmann::json& instance) const {
  Violations violations;
  const Validator validator(*data_, instance);
  validator.check(data_->root, instance, "", false, violations);
  validator.finish(violations);
  return violations;
}

nlohmann::json JsonSchema::withDefaults(const nlohmann::json& instance) const {
  Json filled = instance;
  fillDefaults(*data_, data_->root, filled);
  return filled;
}

bool JsonSchema::isSecret(std::string_view instance_pointer) const {
  const auto tokens = splitPointer(instance_pointer);
  if (!tokens) return false;
  return secretAt(*data_, data_->root, *tokens, 0);
}

std::vector<std::string> JsonSchema::expectedTypes(std::string_view instance_pointer) const {
  const auto tokens = splitPointer(instance_pointer);
  if (!tokens) return {};
  const TypeMask mask = typesAt(*data_, data_->root, *tokens, 0);
  if (mask == kAnyType || mask == 0) return {};
  return typeNamesOf(mask);
}

const nlohmann::json& JsonSchema::document() const { return data_->document; }

}  // namespace ajuste
