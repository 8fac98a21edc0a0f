#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/status.hpp"

namespace ajuste {

namespace detail {
struct JsonSchemaData;  // the compiled schema; defined in json_schema.cpp
}  // namespace detail

// One problem with a user's options. The runner prefixes it with the YAML location of `pointer`,
// so `message` never repeats where the value is; it says what was expected, what was found and,
// when it can tell, how to fix it.
struct SchemaViolation {
  std::string pointer;  // JSON pointer into the INSTANCE ("" = root, "/split/ratio", "/items/2")
  std::string keyword;  // the schema keyword that failed: "type", "required", "enum", ...
  std::string message;  // user-facing; never contains a value marked "x-secret"

  friend bool operator==(const SchemaViolation&, const SchemaViolation&) = default;
};

// A JSON Schema (a draft 2020-12 subset, listed below), checked once when loaded and then applied
// to many option blocks.
//
// Supported keywords: $schema $id $comment $defs definitions $ref (local "#/..." only) type
// properties required additionalProperties patternProperties propertyNames minProperties
// maxProperties enum const minimum maximum exclusiveMinimum exclusiveMaximum multipleOf minLength
// maxLength pattern format items prefixItems minItems maxItems uniqueItems contains anyOf oneOf
// allOf not if then else dependentRequired title description default examples deprecated readOnly
// writeOnly, plus the extensions x-secret (bool: never show the value) and x-doc (string, ignored).
// Any other keyword is a load error: silently ignoring a misspelt "minimun" would let bad options
// through, which is exactly what the schema is there to stop.
//
// Semantics worth knowing: "integer" accepts 3.0; string lengths count code points; "pattern" is
// an ECMAScript std::regex searched anywhere in the string (anchor it with ^...$), and strings over
// 1000 bytes fail it with a "too long to check" message because std::regex recurses per character
// and would overflow the stack; "format" is documentation only. Every "default" must satisfy its
// own schema (checked at load time).
//
// Threads and lifetime: immutable after `parse`; copies share the compiled form, and all const
// members may be called concurrently.
class JsonSchema {
 public:
  // Parses and checks the schema itself. Errors are kPluginBug statuses whose message names the
  // schema location as a URI fragment, e.g.
  //   invalid JSON Schema at #/properties/ratio: 'minimum' must be a number, found a string ("3")
  static Result<JsonSchema> parse(std::string_view schema_text);
  static Result<JsonSchema> fromJson(nlohmann::json schema);

  // All violations, sorted by the instance position of `pointer` (an object's own problems before
  // its members', members in key order, array items by index), then by keyword check order.
  // Deterministic, without duplicates. Empty = valid.
  std::vector<SchemaViolation> validate(const nlohmann::json& instance) const;

  // `instance` with the "default" of every absent property filled in, recursing into nested
  // objects that exist or were just defaulted, and into array items. Follows $ref and allOf.
  // Absent objects without a default are not created: an absent optional block keeps meaning "off".
  nlohmann::json withDefaults(const nlohmann::json& instance) const;

  // True when the value at `instance_pointer` (JSON pointer, e.g. "/provider/api_key") or any value
  // containing it is marked "x-secret": true. Conservative: a mark in any anyOf/oneOf branch counts.
  bool isSecret(std::string_view instance_pointer) const;

  // The types the schema allows at `instance_pointer`, in the order null, boolean, object, array,
  // integer|number, string; e.g. {"string"} or {"integer", "string"}. Empty when any type is
  // allowed, when the schema says nothing about that location, or when nothing is allowed there.
  std::vector<std::string> expectedTypes(std::string_view instance_pointer) const;

  const nlohmann::json& document() const;

 private:
  explicit JsonSchema(std::shared_ptr<const detail::JsonSchemaData> data);

  std::shared_ptr<const detail::JsonSchemaData> data_;
};

// One row per option for `ajuste plugins describe`.
struct OptionDoc {
  std::string name;           // "ratio", "provider.api_key"
  std::string type;           // "number", "array of string", "string | integer", "\"chat\" | \"legacy\""
  bool required = false;      // required within its parent object
  std::string default_value;  // JSON text of the default, "" when none
  std::string description;    // the schema's "description" (or "title")
  std::string constraints;    // "0 < x < 1", "min length 1", "pattern ^[a-z]+$", "secret" ("" when none)

  friend bool operator==(const OptionDoc&, const OptionDoc&) = default;
};

// Rows for the root's properties in key order. A nested object option gets its own row followed by
// rows for its properties, named "parent.child" (recursive schemas are expanded once).
std::vector<OptionDoc> documentOptions(const JsonSchema& schema);

}  // namespace ajuste
