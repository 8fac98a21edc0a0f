#include "ajuste/json_schema.hpp"

#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ajuste {

// Readable failure output: the whole violation, not its bytes.
void PrintTo(const SchemaViolation& v, std::ostream* os) {
  *os << "{pointer: \"" << v.pointer << "\", keyword: " << v.keyword << ", message: " << v.message << "}";
}
void PrintTo(const OptionDoc& d, std::ostream* os) {
  *os << "{" << d.name << " | " << d.type << " | " << (d.required ? "required" : "optional") << " | "
      << d.default_value << " | " << d.description << " | " << d.constraints << "}";
}

namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

JsonSchema schemaOf(std::string_view text) {
  auto result = JsonSchema::parse(text);
  if (!result.ok()) throw std::runtime_error("schema did not parse: " + result.error().toString());
  return std::move(result).value();
}

std::vector<SchemaViolation> check(std::string_view schema, const json& instance) {
  return schemaOf(schema).validate(instance);
}

// The message of the only violation; fails the test when there is not exactly one.
std::string only(std::string_view schema, const json& instance) {
  const auto violations = check(schema, instance);
  if (violations.size() != 1) {
    ADD_FAILURE() << "expected one violation, got " << ::testing::PrintToString(violations);
    return "";
  }
  return violations.front().message;
}

std::string schemaError(std::string_view schema) {
  const auto result = JsonSchema::parse(schema);
  if (result.ok()) return "(schema parsed)";
  EXPECT_EQ(result.error().code(), StatusCode::kPluginBug);
  return result.error().message();
}

SchemaViolation violation(std::string pointer, std::string keyword, std::string message) {
  return {std::move(pointer), std::move(keyword), std::move(message)};
}

constexpr std::string_view kSplitSchema = R"({
  "type": "object",
  "additionalProperties": false,
  "required": ["input"],
  "properties": {
    "input": {"type": "string", "minLength": 1},
    "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "default": 0.9},
    "seed": {"type": "integer", "default": 42}
  }
})";

// ===============================================================================================
// Loading schemas

TEST(JsonSchemaParse, AcceptsEveryListedKeyword) {
  const auto result = JsonSchema::parse(R"({
    "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "urn:ajuste:test", "$comment": "c",
    "title": "t", "description": "d", "x-doc": "long text", "examples": [{}], "deprecated": false,
    "readOnly": false, "writeOnly": false,
    "$defs": {"name": {"type": "string", "pattern": "^[a-z]+$", "minLength": 1, "maxLength": 9, "format": "hostname"}},
    "definitions": {"count": {"type": "integer", "minimum": 0, "maximum": 9, "multipleOf": 1}},
    "type": "object",
    "properties": {
      "a": {"$ref": "#/$defs/name"},
      "b": {"$ref": "#/definitions/count"},
      "c": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
      "d": {"type": "array", "items": {"type": "string"}, "prefixItems": [{"const": "x"}], "minItems": 1,
            "maxItems": 3, "uniqueItems": true, "contains": {"const": "x"}},
      "e": {"enum": ["p", "q"], "x-secret": true, "default": "p"},
      "f": {"anyOf": [{"type": "string"}, {"type": "null"}], "oneOf": [{"type": "string"}, {"type": "null"}],
            "allOf": [true], "not": {"const": "z"}},
      "g": {"if": {"const": 1}, "then": {"minimum": 1}, "else": {"maximum": 5}}
    },
    "patternProperties": {"^x-": true},
    "propertyNames": {"minLength": 1},
    "minProperties": 0, "maxProperties": 20,
    "dependentRequired": {"a": ["b"]},
    "additionalProperties": false
  })");
  EXPECT_TRUE(result.ok()) << result.error().toString();
}

TEST(JsonSchemaParse, BooleanSchemas) {
  EXPECT_THAT(check("true", json{{"anything", 1}}), IsEmpty());
  EXPECT_THAT(check("false", json(1)), ElementsAre(violation("", "false", "no value is allowed here, found 1")));
}

TEST(JsonSchemaParse, FromJsonKeepsTheDocument) {
  const json document = {{"type", "string"}};
  const auto result = JsonSchema::fromJson(document);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->document(), document);
  EXPECT_THAT(result->validate("x"), IsEmpty());
}

TEST(JsonSchemaParse, ErrorsAreAPluginBugStatus) {
  const auto result = JsonSchema::parse(R"({"minimun": 1})");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), StatusCode::kPluginBug);
}

TEST(JsonSchemaParse, NotJson) {
  EXPECT_THAT(schemaError("{"), HasSubstr("invalid JSON Schema: not valid JSON: parse error at line 1, column 2"));
}

TEST(JsonSchemaParse, UnknownKeywordNamesItsSchemaPointerAndSuggests) {
  EXPECT_EQ(schemaError(R"({"properties": {"ratio": {"type": "number", "minimun": 0}}})"),
            "invalid JSON Schema at #/properties/ratio: unsupported keyword 'minimun'; did you mean 'minimum'?");
}

TEST(JsonSchemaParse, UnknownKeywordAtTheRoot) {
  EXPECT_EQ(schemaError(R"({"foo": 1})"),
            "invalid JSON Schema at #: unsupported keyword 'foo' (supported: a subset of JSON Schema draft 2020-12; "
            "see ajuste/json_schema.hpp)");
}

TEST(JsonSchemaParse, UnknownExtensionListsTheSupportedOnes) {
  EXPECT_EQ(schemaError(R"({"x-color": "red"})"),
            "invalid JSON Schema at #: unsupported keyword 'x-color' (supported extensions: x-secret, x-doc)");
}

TEST(JsonSchemaParse, KeywordsFromOtherDraftsSayWhatToUse) {
  EXPECT_EQ(schemaError(R"({"dependencies": {"a": ["b"]}})"),
            "invalid JSON Schema at #: unsupported keyword 'dependencies'; use 'dependentRequired'");
  EXPECT_EQ(schemaError(R"({"nullable": true})"),
            "invalid JSON Schema at #: unsupported keyword 'nullable'; add \"null\" to 'type', e.g. \"type\": "
            "[\"string\", \"null\"]");
}

TEST(JsonSchemaParse, UnknownKeywordDeepInsideCombinators) {
  EXPECT_EQ(schemaError(R"({"anyOf": [{"type": "string"}, {"items": {"typo": 1}}]})"),
            "invalid JSON Schema at #/anyOf/1/items: unsupported keyword 'typo'; did you mean 'type'?");
}

TEST(JsonSchemaParse, PointerEscapesSlashAndTilde) {
  EXPECT_THAT(schemaError(R"({"properties": {"a/b~c": {"bogus": 1}}})"),
              HasSubstr("invalid JSON Schema at #/properties/a~1b~0c: unsupported keyword 'bogus'"));
}

TEST(JsonSchemaParse, MinimumMustBeANumber) {
  EXPECT_EQ(schemaError(R"({"properties": {"n": {"minimum": "3"}}})"),
            "invalid JSON Schema at #/properties/n: 'minimum' must be a number, found a string (\"3\")");
}

TEST(JsonSchemaParse, BooleanExclusiveMinimumExplainsTheNewForm) {
  EXPECT_EQ(schemaError(R"({"minimum": 0, "exclusiveMinimum": true})"),
            "invalid JSON Schema at #: 'exclusiveMinimum' must be a number, found a boolean (true); since draft 6 it "
            "holds the limit itself, e.g. \"exclusiveMinimum\": 0");
}

TEST(JsonSchemaParse, LengthsMustBeNonNegativeIntegers) {
  EXPECT_EQ(schemaError(R"({"minLength": -1})"),
            "invalid JSON Schema at #: 'minLength' must be a non-negative integer, found -1");
  EXPECT_EQ(schemaError(R"({"maxItems": 1.5})"),
            "invalid JSON Schema at #: 'maxItems' must be a non-negative integer, found 1.5");
  EXPECT_TRUE(JsonSchema::parse(R"({"maxItems": 2.0})").ok());
}

TEST(JsonSchemaParse, MultipleOfMustBePositive) {
  EXPECT_EQ(schemaError(R"({"multipleOf": 0})"), "invalid JSON Schema at #: 'multipleOf' must be greater than 0, found 0");
}

TEST(JsonSchemaParse, TypeNameTypoSuggests) {
  EXPECT_EQ(schemaError(R"({"type": "int"})"),
            "invalid JSON Schema at #: 'type' must name JSON types (\"null\", \"boolean\", \"object\", \"array\", "
            "\"number\", \"integer\", \"string\"), found a string (\"int\"); did you mean \"integer\"?");
}

TEST(JsonSchemaParse, TypeListMustBeNonEmptyAndUnique) {
  EXPECT_EQ(schemaError(R"({"type": []})"), "invalid JSON Schema at #: 'type' must not be an empty array");
  EXPECT_EQ(schemaError(R"({"type": ["string", "string"]})"), "invalid JSON Schema at #: 'type' lists \"string\" twice");
}

TEST(JsonSchemaParse, RequiredMustBeUniqueStrings) {
  EXPECT_EQ(schemaError(R"({"required": ["a", 3]})"),
            "invalid JSON Schema at #: 'required' must be an array of unique strings, found 3 at index 1");
  EXPECT_EQ(schemaError(R"({"required": ["a", "a"]})"),
            "invalid JSON Schema at #: 'required' must be an array of unique strings, found \"a\" twice");
}

TEST(JsonSchemaParse, BooleanRequiredPointsToTheParent) {
  EXPECT_EQ(schemaError(R"({"properties": {"a": {"required": true}}})"),
            "invalid JSON Schema at #/properties/a: 'required' must be an array of property names, found a boolean "
            "(true); list the name in the parent object's \"required\" instead");
}

TEST(JsonSchemaParse, ItemsArrayPointsToPrefixItems) {
  EXPECT_EQ(schemaError(R"({"items": [{"type": "string"}]})"),
            "invalid JSON Schema at #: 'items' must be a schema (an object or a boolean), found an array; for a tuple "
            "use 'prefixItems'");
}

TEST(JsonSchemaParse, CombinatorsNeedNonEmptyArrays) {
  EXPECT_EQ(schemaError(R"({"anyOf": []})"),
            "invalid JSON Schema at #: 'anyOf' must be a non-empty array of schemas, found an empty array");
  EXPECT_EQ(schemaError(R"({"enum": []})"), "invalid JSON Schema at #: 'enum' must be a non-empty array, found an empty array");
}

TEST(JsonSchemaParse, SubschemaMustBeAnObjectOrBoolean) {
  EXPECT_EQ(schemaError(R"({"properties": {"a": "string"}})"),
            "invalid JSON Schema at #/properties/a: a schema must be an object or a boolean, found a string "
            "(\"string\")");
}

TEST(JsonSchemaParse, BadRegularExpression) {
  EXPECT_THAT(schemaError(R"({"pattern": "([a-z"})"),
              HasSubstr("invalid JSON Schema at #: 'pattern' \"([a-z\" is not a valid ECMAScript regular expression ("));
  EXPECT_THAT(schemaError(R"({"patternProperties": {"(": true}})"),
              HasSubstr("invalid JSON Schema at #: 'patternProperties' \"(\" is not a valid ECMAScript regular"));
}

TEST(JsonSchemaParse, AnnotationValuesAreChecked) {
  EXPECT_EQ(schemaError(R"({"description": 3})"), "invalid JSON Schema at #: 'description' must be a string, found 3");
  EXPECT_EQ(schemaError(R"({"x-secret": "yes"})"),
            "invalid JSON Schema at #: 'x-secret' must be true or false, found a string (\"yes\")");
  EXPECT_EQ(schemaError(R"({"examples": 1})"), "invalid JSON Schema at #: 'examples' must be an array, found 1");
}

TEST(JsonSchemaParse, RemoteReferencesAreRejected) {
  EXPECT_EQ(schemaError(R"({"$ref": "other.json#/x"})"),
            "invalid JSON Schema at #: '$ref' \"other.json#/x\" is not supported: only references inside this schema "
            "are, written \"#/$defs/name\"");
}

TEST(JsonSchemaParse, AnchorReferencesAreRejected) {
  EXPECT_EQ(schemaError(R"({"$ref": "#name"})"),
            "invalid JSON Schema at #: '$ref' \"#name\" is not a JSON pointer; write \"#/$defs/name\"");
}

TEST(JsonSchemaParse, ReferenceToAMissingDefinitionSuggests) {
  EXPECT_EQ(schemaError(R"({"$defs": {"port": {"type": "integer"}}, "properties": {"p": {"$ref": "#/$defs/prot"}}})"),
            "invalid JSON Schema at #/properties/p: '$ref' \"#/$defs/prot\" points to nothing; did you mean "
            "\"#/$defs/port\"?");
  EXPECT_EQ(schemaError(R"({"$defs": {"port": {}}, "$ref": "#/$defs/zzzzzz"})"),
            "invalid JSON Schema at #: '$ref' \"#/$defs/zzzzzz\" points to nothing (defined: port)");
}

TEST(JsonSchemaParse, ReferenceToANonSchema) {
  EXPECT_EQ(schemaError(R"({"properties": {"a": {"$ref": "#/properties"}}})"),
            "invalid JSON Schema at #/properties/a: '$ref' \"#/properties\" points to something that is not a schema");
}

TEST(JsonSchemaParse, PercentEncodedReference) {
  const auto schema = schemaOf(R"({"$defs": {"a b": {"type": "string"}}, "$ref": "#/$defs/a%20b"})");
  EXPECT_EQ(schema.validate(1).size(), 1u);
}

TEST(JsonSchemaParse, ReferenceCycleIsRejected) {
  EXPECT_EQ(schemaError(R"({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}})"),
            "invalid JSON Schema at #/$defs/b: '$ref' loops back to itself without descending into a property or item "
            "(#/$defs/a -> #/$defs/b -> #/$defs/a)");
  EXPECT_THAT(schemaError(R"({"allOf": [{"$ref": "#"}]})"), HasSubstr("loops back to itself"));
}

TEST(JsonSchemaParse, RecursionThroughPropertiesIsAllowed) {
  const auto schema = schemaOf(R"({
    "$defs": {"node": {"type": "object", "additionalProperties": false,
                       "properties": {"name": {"type": "string"},
                                      "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
    "$ref": "#/$defs/node"
  })");
  const json tree = json::parse(R"({"name": "a", "children": [{"name": "b", "children": [{"name": 3}]}]})");
  EXPECT_THAT(schema.validate(tree),
              ElementsAre(violation("/children/0/children/0/name", "type", "expected a string, found 3")));
}

TEST(JsonSchemaParse, DefaultMustSatisfyItsOwnSchema) {
  EXPECT_EQ(schemaError(R"({"properties": {"n": {"type": "integer", "minimum": 1, "default": 0}}})"),
            "invalid JSON Schema at #/properties/n: 'default' 0 does not satisfy its own schema: must be >= 1, found 0");
  EXPECT_EQ(schemaError(R"({"default": {"a": "x"}, "properties": {"a": {"type": "integer"}}})"),
            "invalid JSON Schema at #: 'default' {\"a\":\"x\"} does not satisfy its own schema: /a: expected an "
            "integer, found a string (\"x\")");
}

TEST(JsonSchemaParse, RequiredNameThatAClosedObjectForbids) {
  EXPECT_EQ(schemaError(R"({"additionalProperties": false, "required": ["seed"], "properties": {"sede": {}}})"),
            "invalid JSON Schema at #: 'required' lists 'seed', which \"additionalProperties\": false forbids; declare "
            "it in 'properties'");
  EXPECT_TRUE(JsonSchema::parse(R"({"additionalProperties": false, "required": ["x-a"],
                                    "patternProperties": {"^x-": {}}})")
                  .ok());
}

// ===============================================================================================
// type

TEST(JsonSchemaType, NumberFoundString) {
  EXPECT_THAT(check(R"({"type": "number"})", "0.9x"),
              ElementsAre(violation("", "type", "expected a number, found a string (\"0.9x\")")));
}

TEST(JsonSchemaType, QuotedNumberSaysToDropTheQuotes) {
  EXPECT_EQ(only(R"({"type": "number"})", "0.9"), "expected a number, found a string (\"0.9\"); write 0.9 without quotes");
  EXPECT_EQ(only(R"({"type": "boolean"})", "true"),
            "expected a boolean, found a string (\"true\"); write true without quotes");
  // "2.5" is a number but not an integer: dropping the quotes would not help.
  EXPECT_EQ(only(R"({"type": "integer"})", "2.5"), "expected an integer, found a string (\"2.5\")");
}

TEST(JsonSchemaType, IntegerFoundFraction) { EXPECT_EQ(only(R"({"type": "integer"})", 2.5), "expected an integer, found 2.5"); }

TEST(JsonSchemaType, IntegerAcceptsIntegralFloats) {
  EXPECT_THAT(check(R"({"type": "integer"})", 3), IsEmpty());
  EXPECT_THAT(check(R"({"type": "integer"})", 3.0), IsEmpty());
  EXPECT_THAT(check(R"({"type": "integer"})", -7), IsEmpty());
  EXPECT_THAT(check(R"({"type": "number"})", 3), IsEmpty());
}

TEST(JsonSchemaType, ArrayFoundObject) {
  EXPECT_EQ(only(R"({"type": "array"})", json{{"a", 1}}), "expected an array, found an object");
  EXPECT_EQ(only(R"({"type": "array"})", json::object()), "expected an array, found an empty object");
}

TEST(JsonSchemaType, ArrayFoundASingleValueSuggestsAList) {
  EXPECT_EQ(only(R"({"type": "array"})", "stop"), "expected an array, found a string (\"stop\"); for a single item write "
                                                  "[\"stop\"]");
}

TEST(JsonSchemaType, ObjectFoundArray) {
  EXPECT_EQ(only(R"({"type": "object"})", json::array({1})), "expected an object, found an array");
  EXPECT_EQ(only(R"({"type": "object"})", json::array()), "expected an object, found an empty array");
}

TEST(JsonSchemaType, SeveralTypesInSchemaOrder) {
  EXPECT_EQ(only(R"({"type": ["string", "integer"]})", true), "expected a string or an integer, found a boolean (true)");
  EXPECT_EQ(only(R"({"type": ["string", "integer", "null"]})", json::array()),
            "expected a string, an integer or null, found an empty array");
}

TEST(JsonSchemaType, NullAndEmptyString) {
  EXPECT_EQ(only(R"({"type": "string"})", nullptr), "expected a string, found null");
  EXPECT_EQ(only(R"({"type": "integer"})", ""), "expected an integer, found an empty string");
  EXPECT_THAT(check(R"({"type": "null"})", nullptr), IsEmpty());
}

TEST(JsonSchemaType, NumbersAreWrittenTheWayHumansWriteThem) {
  EXPECT_EQ(only(R"({"type": "string"})", 0.9), "expected a string, found 0.9");
  EXPECT_EQ(only(R"({"type": "string"})", 1e21), "expected a string, found 1e+21");
  EXPECT_EQ(only(R"({"type": "string"})", -0.25), "expected a string, found -0.25");
}

TEST(JsonSchemaType, LongStringsAreCutAtFortyCharacters) {
  const std::string long_text(60, 'a');
  EXPECT_EQ(only(R"({"type": "integer"})", long_text),
            "expected an integer, found a string (\"" + std::string(40, 'a') + "…\")");
}

TEST(JsonSchemaType, CuttingNeverSplitsACharacter) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "é";
  std::string expected;
  for (int i = 0; i < 40; ++i) expected += "é";
  EXPECT_EQ(only(R"({"type": "integer"})", text), "expected an integer, found a string (\"" + expected + "…\")");
}

TEST(JsonSchemaType, ControlCharactersAreEscaped) {
  EXPECT_EQ(only(R"({"type": "integer"})", "a\nb\"c"), "expected an integer, found a string (\"a\\nb\\\"c\")");
}

TEST(JsonSchemaType, InvalidUtf8DoesNotThrow) {
  EXPECT_EQ(only(R"({"type": "integer"})", std::string("a\xff")), "expected an integer, found a string (\"a\xef\xbf\xbd\")");
}

TEST(JsonSchemaType, WrongTypeHidesTheOtherChecksOfThatSchema) {
  EXPECT_THAT(check(R"({"type": "integer", "minimum": 1, "enum": [1, 2]})", 0.5),
              ElementsAre(violation("", "type", "expected an integer, found 0.5")));
  EXPECT_THAT(check(R"({"type": "object", "required": ["a"]})", "x"),
              ElementsAre(violation("", "type", "expected an object, found a string (\"x\")")));
}

// ===============================================================================================
// required, additionalProperties, properties

TEST(JsonSchemaRequired, OneViolationPerMissingOptionAtTheObject) {
  EXPECT_THAT(check(R"({"required": ["ratio", "input"]})", json::object()),
              ElementsAre(violation("", "required", "missing required option 'ratio'"),
                          violation("", "required", "missing required option 'input'")));
}

TEST(JsonSchemaRequired, NestedObjectPointer) {
  EXPECT_THAT(check(R"({"properties": {"provider": {"required": ["model"]}}})", json{{"provider", json::object()}}),
              ElementsAre(violation("/provider", "required", "missing required option 'model'")));
}

TEST(JsonSchemaRequired, IgnoredForNonObjects) { EXPECT_THAT(check(R"({"required": ["a"]})", 3), IsEmpty()); }

TEST(JsonSchemaAdditionalProperties, UnknownOptionWithSuggestion) {
  EXPECT_THAT(check(kSplitSchema, json{{"input", "x"}, {"sede", 1}}),
              ElementsAre(violation("/sede", "additionalProperties",
                                    "unknown option 'sede'; did you mean 'seed'? (allowed: input, ratio, seed)")));
}

TEST(JsonSchemaAdditionalProperties, UnknownOptionWithoutACloseName) {
  EXPECT_THAT(check(kSplitSchema, json{{"input", "x"}, {"zzz", 1}}),
              ElementsAre(violation("/zzz", "additionalProperties", "unknown option 'zzz' (allowed: input, ratio, seed)")));
}

TEST(JsonSchemaAdditionalProperties, MisspeltRequiredOptionIsReportedOnce) {
  EXPECT_THAT(check(kSplitSchema, json{{"inptu", "x"}}),
              ElementsAre(violation("/inptu", "additionalProperties",
                                    "unknown option 'inptu'; did you mean 'input'? (allowed: input, ratio, seed)")));
}

TEST(JsonSchemaAdditionalProperties, OnlySuggestsOptionsNotAlreadyGiven) {
  EXPECT_THAT(check(kSplitSchema, json{{"input", "x"}, {"seed", 1}, {"sede", 2}}),
              ElementsAre(violation("/sede", "additionalProperties", "unknown option 'sede' (allowed: input, ratio, seed)")));
}

TEST(JsonSchemaAdditionalProperties, NothingAllowed) {
  EXPECT_EQ(only(R"({"additionalProperties": false})", json{{"a", 1}}), "unknown option 'a' (no options are allowed here)");
}

TEST(JsonSchemaAdditionalProperties, PatternPropertiesAreMentioned) {
  EXPECT_EQ(only(R"({"additionalProperties": false, "properties": {"a": {}}, "patternProperties": {"^x-": {}}})",
                 json{{"bbb", 1}, {"x-ok", 2}}),
            "unknown option 'bbb' (allowed: a, or names matching ^x-)");
  EXPECT_EQ(only(R"({"additionalProperties": false, "patternProperties": {"^x-": {}, "^y-": {}}})", json{{"b", 1}}),
            "unknown option 'b' (allowed: names matching ^x- or ^y-)");
}

TEST(JsonSchemaAdditionalProperties, SchemaAppliesToUndeclaredMembers) {
  EXPECT_THAT(check(R"({"properties": {"a": {}}, "additionalProperties": {"type": "string"}})", json{{"a", 1}, {"b", 2}}),
              ElementsAre(violation("/b", "type", "expected a string, found 2")));
}

TEST(JsonSchemaAdditionalProperties, PointerEscapesMemberNames) {
  EXPECT_THAT(check(R"({"additionalProperties": false})", json{{"a/b~c", 1}}),
              ElementsAre(violation("/a~1b~0c", "additionalProperties", "unknown option 'a/b~c' (no options are allowed here)")));
}

TEST(JsonSchemaAdditionalProperties, LongListsOfAllowedNamesAreCut) {
  json properties = json::object();
  for (char c = 'a'; c <= 'y'; ++c) properties[std::string(3, c)] = json::object();
  const json schema = {{"additionalProperties", false}, {"properties", properties}};
  const auto violations = JsonSchema::fromJson(schema)->validate(json{{"zzzzzzzzzz", 1}});
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_THAT(violations[0].message, HasSubstr(", ttt, … (5 more))"));
}

TEST(JsonSchemaProperties, PatternPropertiesValidateMatchingMembers) {
  EXPECT_THAT(check(R"({"patternProperties": {"^n_": {"type": "integer"}}})", json{{"n_a", "x"}, {"other", "x"}}),
              ElementsAre(violation("/n_a", "type", "expected an integer, found a string (\"x\")")));
}

TEST(JsonSchemaProperties, PropertyAndPatternBothApply) {
  EXPECT_THAT(check(R"({"properties": {"n_a": {"minimum": 5}}, "patternProperties": {"^n_": {"type": "integer"}}})",
                    json{{"n_a", 2.5}}),
              ElementsAre(violation("/n_a", "minimum", "must be >= 5, found 2.5"),
                          violation("/n_a", "type", "expected an integer, found 2.5")));
}

TEST(JsonSchemaProperties, FalseSchemaForbidsAMember) {
  EXPECT_THAT(check(R"({"properties": {"old": false}})", json{{"old", 1}}),
              ElementsAre(violation("/old", "false", "no value is allowed here, found 1")));
}

TEST(JsonSchemaProperties, PropertyNames) {
  EXPECT_THAT(check(R"({"propertyNames": {"pattern": "^[a-z]+$"}})", json{{"Bad", 1}, {"good", 2}}),
              ElementsAre(violation("/Bad", "propertyNames", "invalid option name: must match ^[a-z]+$, found \"Bad\"")));
}

TEST(JsonSchemaProperties, MinAndMaxProperties) {
  EXPECT_EQ(only(R"({"minProperties": 1})", json::object()), "must have at least 1 option, found none");
  EXPECT_EQ(only(R"({"minProperties": 3})", json{{"a", 1}}), "must have at least 3 options, found 1");
  EXPECT_EQ(only(R"({"maxProperties": 1})", json{{"a", 1}, {"b", 2}}), "must have at most 1 option, found 2");
}

TEST(JsonSchemaProperties, DependentRequired) {
  EXPECT_THAT(check(R"({"dependentRequired": {"cert": ["key"]}})", json{{"cert", "c"}}),
              ElementsAre(violation("", "dependentRequired", "option 'key' is required when 'cert' is set")));
  EXPECT_THAT(check(R"({"dependentRequired": {"cert": ["key"]}})", json::object()), IsEmpty());
}

// ===============================================================================================
// enum, const

constexpr std::string_view kFormat = R"({"enum": ["chat", "legacy", "preference"]})";

TEST(JsonSchemaEnum, SuggestsTheNearestValue) {
  EXPECT_THAT(check(kFormat, "chta"),
              ElementsAre(violation("", "enum", "must be one of \"chat\", \"legacy\", \"preference\"; found \"chta\" "
                                                "(did you mean \"chat\"?)")));
}

TEST(JsonSchemaEnum, CaseOnlyDifference) {
  EXPECT_EQ(only(kFormat, "Chat"), "must be one of \"chat\", \"legacy\", \"preference\"; found \"Chat\" (did you mean "
                                   "\"chat\"?)");
}

TEST(JsonSchemaEnum, NoCloseValue) {
  EXPECT_EQ(only(kFormat, "xyz"), "must be one of \"chat\", \"legacy\", \"preference\"; found \"xyz\"");
}

TEST(JsonSchemaEnum, SingleValue) { EXPECT_EQ(only(R"({"enum": ["chat"]})", "x"), "must be \"chat\"; found \"x\""); }

TEST(JsonSchemaEnum, MixedTypes) {
  EXPECT_EQ(only(R"({"enum": [1, "a", null]})", true), "must be one of 1, \"a\", null; found true");
  EXPECT_EQ(only(R"({"enum": [1, 2]})", "2"), "must be one of 1, 2; found \"2\"");
}

TEST(JsonSchemaEnum, NumbersCompareByValue) {
  EXPECT_THAT(check(R"({"enum": [1, 2]})", 1.0), IsEmpty());
  EXPECT_THAT(check(R"({"enum": [{"a": [1]}]})", json::parse(R"({"a": [1.0]})")), IsEmpty());
}

TEST(JsonSchemaConst, Message) {
  EXPECT_THAT(check(R"({"const": "v1"})", "v2"), ElementsAre(violation("", "const", "must be \"v1\", found \"v2\"")));
  EXPECT_THAT(check(R"({"const": 3})", 3.0), IsEmpty());
}

TEST(JsonSchemaConst, StructuredValuesAreShortened) {
  EXPECT_EQ(only(R"({"const": {"a": 1}})", json{{"text", std::string(50, 'x')}}),
            "must be {\"a\":1}, found {\"text\":\"" + std::string(31, 'x') + "…");
}

// ===============================================================================================
// numbers

TEST(JsonSchemaNumber, Minimum) {
  EXPECT_THAT(check(R"({"minimum": 1})", 0), ElementsAre(violation("", "minimum", "must be >= 1, found 0")));
  EXPECT_THAT(check(R"({"minimum": 1})", 1), IsEmpty());
}

TEST(JsonSchemaNumber, Maximum) { EXPECT_EQ(only(R"({"maximum": 10})", 11), "must be <= 10, found 11"); }

TEST(JsonSchemaNumber, ExclusiveBounds) {
  EXPECT_THAT(check(R"({"exclusiveMaximum": 1})", 1.5), ElementsAre(violation("", "exclusiveMaximum", "must be < 1, found 1.5")));
  EXPECT_EQ(only(R"({"exclusiveMaximum": 1})", 1), "must be < 1, found 1");
  EXPECT_THAT(check(R"({"exclusiveMinimum": 0})", 0), ElementsAre(violation("", "exclusiveMinimum", "must be > 0, found 0")));
  EXPECT_THAT(check(R"({"exclusiveMinimum": 0, "exclusiveMaximum": 1})", 0.5), IsEmpty());
}

TEST(JsonSchemaNumber, DecimalsAreShownAsWritten) {
  EXPECT_EQ(only(R"({"minimum": 0.9})", 0.5), "must be >= 0.9, found 0.5");
  EXPECT_EQ(only(R"({"maximum": 0.3})", 0.1 + 0.25), "must be <= 0.3, found 0.35");
}

TEST(JsonSchemaNumber, LargeIntegersCompareExactly) {
  EXPECT_EQ(only(R"({"maximum": 9007199254740992})", json(9007199254740993)),
            "must be <= 9007199254740992, found 9007199254740993");
  EXPECT_THAT(check(R"({"minimum": -1})", json(18446744073709551615u)), IsEmpty());
}

TEST(JsonSchemaNumber, MultipleOfIntegers) {
  EXPECT_THAT(check(R"({"multipleOf": 5})", 12), ElementsAre(violation("", "multipleOf", "must be a multiple of 5, found 12")));
  EXPECT_THAT(check(R"({"multipleOf": 5})", 15), IsEmpty());
  EXPECT_THAT(check(R"({"multipleOf": 5})", -10), IsEmpty());
}

TEST(JsonSchemaNumber, MultipleOfDecimalsToleratesBinaryRounding) {
  EXPECT_THAT(check(R"({"multipleOf": 0.1})", 0.3), IsEmpty());
  EXPECT_THAT(check(R"({"multipleOf": 0.01})", 19.99), IsEmpty());
  EXPECT_EQ(only(R"({"multipleOf": 0.1})", 0.35), "must be a multiple of 0.1, found 0.35");
}

TEST(JsonSchemaNumber, IgnoredForNonNumbers) { EXPECT_THAT(check(R"({"minimum": 1})", "0"), IsEmpty()); }

// ===============================================================================================
// strings

TEST(JsonSchemaString, MinLengthEmpty) {
  EXPECT_THAT(check(R"({"minLength": 1})", ""),
              ElementsAre(violation("", "minLength", "must be at least 1 character long, found an empty string")));
}

TEST(JsonSchemaString, MinLengthCountsCodePoints) {
  EXPECT_EQ(only(R"({"minLength": 3})", "日本"), "must be at least 3 characters long, found \"日本\" (2 characters)");
  EXPECT_THAT(check(R"({"minLength": 3, "maxLength": 3})", "日本語"), IsEmpty());
}

TEST(JsonSchemaString, MaxLength) {
  EXPECT_THAT(check(R"({"maxLength": 3})", "abcd"),
              ElementsAre(violation("", "maxLength", "must be at most 3 characters long, found \"abcd\" (4 characters)")));
  EXPECT_EQ(only(R"({"maxLength": 1})", "ab"), "must be at most 1 character long, found \"ab\" (2 characters)");
}

TEST(JsonSchemaString, Pattern) {
  EXPECT_THAT(check(R"({"pattern": "^[a-z_]+$"})", "Bad Name"),
              ElementsAre(violation("", "pattern", "must match ^[a-z_]+$, found \"Bad Name\"")));
}

TEST(JsonSchemaString, PatternSearchesAnywhere) {
  EXPECT_THAT(check(R"({"pattern": "a+"})", "xxaxx"), IsEmpty());
  EXPECT_EQ(only(R"({"pattern": "a+"})", "xyz"), "must match a+, found \"xyz\"");
}

TEST(JsonSchemaString, VeryLongStringsAreNotMatchedAgainstPatterns) {
  EXPECT_THAT(check(R"({"pattern": "^(a|b)*$"})", std::string(1000, 'a')), IsEmpty());
  EXPECT_THAT(check(R"({"pattern": "^(a|b)*$"})", std::string(100000, 'a')),
              ElementsAre(violation("", "pattern", "is too long to check against pattern ^(a|b)*$ (more than 1000 bytes)")));
}

TEST(JsonSchemaString, FormatIsOnlyAnAnnotation) { EXPECT_THAT(check(R"({"format": "email"})", "not an email"), IsEmpty()); }

TEST(JsonSchemaString, AllFailingChecksAreReported) {
  EXPECT_THAT(check(R"({"minLength": 5, "pattern": "^[a-z]+$"})", "A"),
              ElementsAre(violation("", "minLength", "must be at least 5 characters long, found \"A\" (1 character)"),
                          violation("", "pattern", "must match ^[a-z]+$, found \"A\"")));
}

// ===============================================================================================
// arrays

TEST(JsonSchemaArray, MinAndMaxItems) {
  EXPECT_THAT(check(R"({"minItems": 1})", json::array()),
              ElementsAre(violation("", "minItems", "must have at least 1 item, found an empty array")));
  EXPECT_EQ(only(R"({"minItems": 2})", json::array({1})), "must have at least 2 items, found 1");
  EXPECT_THAT(check(R"({"maxItems": 2})", json::array({1, 2, 3})),
              ElementsAre(violation("", "maxItems", "must have at most 2 items, found 3")));
}

TEST(JsonSchemaArray, ItemsPointToEachBadItem) {
  EXPECT_THAT(check(R"({"items": {"type": "string"}})", json::array({1, "a", 2})),
              ElementsAre(violation("/0", "type", "expected a string, found 1"),
                          violation("/2", "type", "expected a string, found 2")));
}

TEST(JsonSchemaArray, PrefixItemsThenItems) {
  EXPECT_THAT(check(R"({"prefixItems": [{"type": "integer"}, {"type": "string"}], "items": {"type": "boolean"}})",
                    json::array({"x", 2, true, 4})),
              ElementsAre(violation("/0", "type", "expected an integer, found a string (\"x\")"),
                          violation("/1", "type", "expected a string, found 2"),
                          violation("/3", "type", "expected a boolean, found 4")));
}

TEST(JsonSchemaArray, ClosedTupleReportsExtraItemsOnce) {
  EXPECT_THAT(check(R"({"prefixItems": [{"type": "integer"}, {"type": "string"}], "items": false})",
                    json::array({1, "a", true, 4})),
              ElementsAre(violation("/2", "items", "unexpected item: at most 2 items are allowed, found 4")));
}

TEST(JsonSchemaArray, UniqueItemsPointsToTheRepeat) {
  EXPECT_THAT(check(R"({"uniqueItems": true})", json::array({"a", "b", "a", 1, 1.0})),
              ElementsAre(violation("/2", "uniqueItems", "duplicate of item 0 (\"a\"); items must be unique"),
                          violation("/4", "uniqueItems", "duplicate of item 3 (1.0); items must be unique")));
}

TEST(JsonSchemaArray, ContainsConst) {
  EXPECT_THAT(check(R"({"contains": {"const": "system"}})", json::array({"user"})),
              ElementsAre(violation("", "contains",
                                    "must contain \"system\"; no item does (item 0: must be \"system\", found \"user\")")));
  EXPECT_EQ(only(R"({"contains": {"const": "system"}})", json::array()), "must contain \"system\", found an empty array");
  EXPECT_THAT(check(R"({"contains": {"const": "system"}})", json::array({"user", "system"})), IsEmpty());
}

TEST(JsonSchemaArray, ContainsType) {
  EXPECT_EQ(only(R"({"contains": {"type": "integer"}})", json::array({"a"})),
            "must contain at least one item that is an integer; no item does (item 0: expected an integer, found a "
            "string (\"a\"))");
}

TEST(JsonSchemaArray, ContainsOther) {
  EXPECT_EQ(only(R"({"contains": {"minimum": 10}})", json::array({1, 2})),
            "must contain at least one matching item; no item does (item 0: must be >= 10, found 1)");
}

TEST(JsonSchemaArray, IndexesSortNumerically) {
  json values = json::array();
  for (int i = 0; i < 12; ++i) values.push_back(i);
  const auto violations = check(R"({"items": {"type": "string"}})", values);
  ASSERT_EQ(violations.size(), 12u);
  for (std::size_t i = 0; i < violations.size(); ++i) EXPECT_EQ(violations[i].pointer, "/" + std::to_string(i));
}

// ===============================================================================================
// anyOf, oneOf, allOf, not, if/then/else

constexpr std::string_view kStringOrInteger =
    R"({"anyOf": [{"type": "string", "minLength": 1}, {"type": "integer", "minimum": 1}]})";

TEST(JsonSchemaAnyOf, ValidWhenAnyBranchMatches) {
  EXPECT_THAT(check(kStringOrInteger, "a"), IsEmpty());
  EXPECT_THAT(check(kStringOrInteger, 3), IsEmpty());
}

TEST(JsonSchemaAnyOf, TheBranchForTheValuesTypeExplains) {
  EXPECT_THAT(check(kStringOrInteger, 0), ElementsAre(violation("", "minimum", "must be >= 1, found 0")));
  EXPECT_THAT(check(kStringOrInteger, ""),
              ElementsAre(violation("", "minLength", "must be at least 1 character long, found an empty string")));
}

TEST(JsonSchemaAnyOf, NoBranchForTheValuesType) {
  EXPECT_THAT(check(kStringOrInteger, true),
              ElementsAre(violation("", "anyOf", "expected a string or an integer, found a boolean (true)")));
  EXPECT_EQ(only(kStringOrInteger, 2.5), "expected a string or an integer, found 2.5");
}

TEST(JsonSchemaAnyOf, ConstAndEnumBranchesAreListedByValue) {
  EXPECT_EQ(only(R"({"anyOf": [{"const": "auto"}, {"type": "integer"}]})", true),
            "expected \"auto\" or an integer, found a boolean (true)");
  EXPECT_EQ(only(R"({"anyOf": [{"enum": ["a", "b"]}, {"type": "null"}]})", 1), "expected \"a\", \"b\" or null, found 1");
  EXPECT_EQ(only(R"({"anyOf": [{"const": "auto"}, {"type": "integer"}]})", "autp"), "must be \"auto\", found \"autp\"");
}

TEST(JsonSchemaAnyOf, SeveralBranchesForTheTypeAreAllSummarised) {
  EXPECT_THAT(check(R"({"anyOf": [{"type": "string", "pattern": "^a"}, {"type": "string", "minLength": 5}]})", "bb"),
              ElementsAre(violation("", "anyOf",
                                    "does not match any allowed form: form 1: must match ^a, found \"bb\"; form 2: must "
                                    "be at least 5 characters long, found \"bb\" (2 characters)")));
}

constexpr std::string_view kTagged = R"({"oneOf": [
  {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "a"}, "text": {"type": "string"}}},
  {"type": "object", "required": ["kind", "size"], "properties": {"kind": {"const": "b"}, "size": {"type": "integer"}}}
]})";

TEST(JsonSchemaOneOf, TheBranchWhoseTagMatchesExplains) {
  EXPECT_THAT(check(kTagged, json{{"kind", "b"}, {"size", "x"}}),
              ElementsAre(violation("/size", "type", "expected an integer, found a string (\"x\")")));
  EXPECT_THAT(check(kTagged, json{{"kind", "a"}, {"text", 1}}),
              ElementsAre(violation("/text", "type", "expected a string, found 1")));
}

TEST(JsonSchemaOneOf, NoTagSummarisesEveryForm) {
  EXPECT_THAT(check(kTagged, json::object()),
              ElementsAre(violation("", "oneOf",
                                    "does not match any allowed form: form 1: missing required option 'kind'; form 2: "
                                    "missing required option 'kind' (+1 more)")));
}

TEST(JsonSchemaOneOf, NestedPointersAreShownRelative) {
  EXPECT_EQ(only(R"({"anyOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"a": {"minimum": 5}}}]})",
                 json{{"a", 1}}),
            "does not match any allowed form: form 1: /a: expected a string, found 1; form 2: /a: must be >= 5, found 1");
}

TEST(JsonSchemaOneOf, MoreThanOneMatch) {
  EXPECT_THAT(check(R"({"oneOf": [{"type": "integer"}, {"minimum": 0}, {"type": "string"}]})", 5),
              ElementsAre(violation("", "oneOf", "matches more than one allowed form (forms 1 and 2); it must match "
                                                 "exactly one")));
  EXPECT_THAT(check(R"({"oneOf": [{"type": "integer"}, {"minimum": 0}, {"type": "string"}]})", -5), IsEmpty());
}

TEST(JsonSchemaOneOf, MutuallyExclusiveOptionsNameTheOptions) {
  const char* const schema = R"({"oneOf": [{"required": ["valid_ratio"]}, {"required": ["valid_count"]}]})";
  EXPECT_THAT(check(schema, json{{"valid_ratio", 0.1}, {"valid_count", 3}}),
              ElementsAre(violation("", "oneOf", "give either 'valid_ratio' or 'valid_count', not both")));
  EXPECT_THAT(check(R"({"oneOf": [{"required": ["a"]}, {"required": ["b"]}, {"required": ["c"]}]})",
                    json{{"a", 1}, {"b", 1}, {"c", 1}}),
              ElementsAre(violation("", "oneOf", "give only one of 'a', 'b' or 'c'")));
  EXPECT_THAT(check(schema, json{{"valid_count", 3}}), IsEmpty());
}

TEST(JsonSchemaOneOf, NoBranchForTheType) {
  EXPECT_EQ(only(R"({"oneOf": [{"type": "string"}, {"type": "array"}]})", 1), "expected a string or an array, found 1");
}

TEST(JsonSchemaAllOf, ReportsEveryFailingBranchOnce) {
  EXPECT_THAT(check(R"({"allOf": [{"type": "string"}, {"type": "string"}, {"minLength": 9}]})", "abc"),
              ElementsAre(violation("", "minLength", "must be at least 9 characters long, found \"abc\" (3 characters)")));
  EXPECT_THAT(check(R"({"allOf": [{"type": "string"}, {"type": "string"}]})", 1),
              ElementsAre(violation("", "type", "expected a string, found 1")));
}

TEST(JsonSchemaNot, DescribesTheForbiddenValue) {
  EXPECT_THAT(check(R"({"not": {"const": "root"}})", "root"),
              ElementsAre(violation("", "not", "must not be \"root\", found \"root\"")));
  EXPECT_EQ(only(R"({"not": {"type": "null"}})", nullptr), "must not be null, found null");
  EXPECT_EQ(only(R"({"not": {"minimum": 3}})", 4), "found 4, which is not allowed here");
  EXPECT_THAT(check(R"({"not": {"const": "root"}})", "user"), IsEmpty());
}

TEST(JsonSchemaNot, RequiredPairMeansMutuallyExclusive) {
  EXPECT_THAT(check(R"({"not": {"required": ["path", "url"]}})", json{{"path", "p"}, {"url", "u"}}),
              ElementsAre(violation("", "not", "options 'path' and 'url' cannot be used together")));
  EXPECT_EQ(only(R"({"not": {"required": ["legacy"]}})", json{{"legacy", 1}}), "option 'legacy' is not allowed here");
}

constexpr std::string_view kSource = R"({
  "if": {"properties": {"mode": {"const": "file"}}, "required": ["mode"]},
  "then": {"required": ["path"]},
  "else": {"required": ["url"]}
})";

TEST(JsonSchemaIfThenElse, ThenAppliesWhenIfMatches) {
  EXPECT_THAT(check(kSource, json{{"mode", "file"}}),
              ElementsAre(violation("", "required", "missing required option 'path'")));
}

TEST(JsonSchemaIfThenElse, ElseAppliesOtherwise) {
  EXPECT_THAT(check(kSource, json{{"mode", "http"}}), ElementsAre(violation("", "required", "missing required option 'url'")));
  EXPECT_THAT(check(kSource, json{{"mode", "http"}, {"url", "u"}}), IsEmpty());
}

TEST(JsonSchemaIfThenElse, IfWithoutThenOrElseChecksNothing) {
  EXPECT_THAT(check(R"({"if": {"type": "string"}})", 1), IsEmpty());
}

// ===============================================================================================
// $ref

TEST(JsonSchemaRef, ValidatesThroughDefinitions) {
  EXPECT_THAT(check(R"({"$defs": {"port": {"type": "integer", "maximum": 65535}},
                        "properties": {"port": {"$ref": "#/$defs/port"}}})",
                    json{{"port", 70000}}),
              ElementsAre(violation("/port", "maximum", "must be <= 65535, found 70000")));
}

TEST(JsonSchemaRef, LegacyDefinitionsAndSiblingKeywords) {
  EXPECT_THAT(check(R"({"definitions": {"name": {"type": "string"}},
                        "properties": {"n": {"$ref": "#/definitions/name", "minLength": 2}}})",
                    json{{"n", "a"}}),
              ElementsAre(violation("/n", "minLength", "must be at least 2 characters long, found \"a\" (1 character)")));
}

TEST(JsonSchemaRef, RootReference) {
  EXPECT_THAT(check(R"({"properties": {"child": {"$ref": "#"}, "n": {"type": "integer"}}})",
                    json::parse(R"({"child": {"child": {"n": "x"}}})")),
              ElementsAre(violation("/child/child/n", "type", "expected an integer, found a string (\"x\")")));
}

// ===============================================================================================
// Secrets

constexpr std::string_view kProvider = R"({
  "$defs": {"token": {"type": "string", "x-secret": true, "minLength": 8, "pattern": "^sk-"}},
  "properties": {
    "api_key": {"type": "string", "x-secret": true, "minLength": 8, "pattern": "^sk-", "enum": ["sk-aaaaaaaa"]},
    "token": {"$ref": "#/$defs/token"},
    "auth": {"type": "object", "x-secret": true, "properties": {"password": {"type": "string", "maxLength": 2}}},
    "choice": {"anyOf": [{"type": "integer"}, {"type": "array"}], "x-secret": true},
    "keys": {"type": "array", "uniqueItems": true, "items": {"type": "string", "x-secret": true}}
  }
})";

TEST(JsonSchemaSecret, TypeMismatchHidesTheValue) {
  EXPECT_EQ(only(kProvider, json{{"api_key", 12345678}}), "expected a string, found a number (secret, not shown)");
}

TEST(JsonSchemaSecret, StringChecksHideTheValue) {
  EXPECT_THAT(check(kProvider, json{{"api_key", "hunter2"}}),
              ElementsAre(violation("/api_key", "enum", "must be \"sk-aaaaaaaa\"; found a string (secret, not shown)"),
                          violation("/api_key", "minLength", "must be at least 8 characters long, found a string "
                                                             "(secret, not shown)"),
                          violation("/api_key", "pattern", "must match ^sk-, found a string (secret, not shown)")));
}

TEST(JsonSchemaSecret, EnumNeverSuggestsFromASecret) {
  EXPECT_EQ(only(kProvider, json{{"api_key", "sk-aaaaaaab"}}), "must be \"sk-aaaaaaaa\"; found a string (secret, not shown)");
}

TEST(JsonSchemaSecret, ThroughAReference) {
  EXPECT_THAT(check(kProvider, json{{"token", "sk-hunter2"}}), IsEmpty());
  EXPECT_EQ(only(kProvider, json{{"token", "hunter22"}}), "must match ^sk-, found a string (secret, not shown)");
}

TEST(JsonSchemaSecret, EverythingInsideASecretObject) {
  EXPECT_EQ(only(kProvider, json{{"auth", json{{"password", "hunter2"}}}}),
            "must be at most 2 characters long, found a string (secret, not shown)");
}

TEST(JsonSchemaSecret, CombinedMessagesHideTheValue) {
  EXPECT_EQ(only(kProvider, json{{"choice", "hunter2"}}), "expected an integer or an array, found a string (secret, not shown)");
}

TEST(JsonSchemaSecret, DuplicatesInsideSecretItems) {
  EXPECT_EQ(only(kProvider, json{{"keys", json::array({"hunter2", "hunter2"})}}),
            "duplicate of item 0 (a string (secret, not shown)); items must be unique");
}

TEST(JsonSchemaSecret, ObjectsHoldingASecretAreNotQuotedWhole) {
  const auto schema = schemaOf(R"({"properties": {
    "accounts": {"type": "array", "uniqueItems": true,
                 "items": {"type": "object", "properties": {"user": {}, "password": {"x-secret": true}}}},
    "profile": {"enum": [{"user": "a"}], "properties": {"password": {"x-secret": true}}}
  }})");
  const json account = {{"user", "u"}, {"password", "hunter2"}};
  EXPECT_THAT(schema.validate(json{{"accounts", {account, account}}, {"profile", account}}),
              ElementsAre(violation("/accounts/1", "uniqueItems",
                                    "duplicate of item 0 (an object (secret, not shown)); items must be unique"),
                          violation("/profile", "enum", "must be {\"user\":\"a\"}; found an object (secret, not shown)")));
}

TEST(JsonSchemaSecret, NoMessageEverContainsTheSecret) {
  const auto schema = schemaOf(kProvider);
  for (const json& bad : {json{{"api_key", "hunter2"}}, json{{"api_key", "hunter2hunter2"}}, json{{"token", "hunter2"}},
                          json{{"auth", json{{"password", "hunter2"}}}}, json{{"choice", "hunter2"}},
                          json{{"keys", json::array({"hunter2", "hunter2", 7})}}}) {
    const auto violations = schema.validate(bad);
    EXPECT_THAT(violations, Not(IsEmpty())) << bad.dump();
    for (const auto& v : violations) EXPECT_THAT(v.message, Not(HasSubstr("hunter"))) << bad.dump();
  }
}

// ===============================================================================================
// Ordering and completeness

TEST(JsonSchemaOrder, AllIndependentProblemsAtOnceInDocumentOrder) {
  const auto schema = schemaOf(R"({
    "type": "object", "required": ["a", "b"],
    "properties": {"c": {"type": "integer"}, "d": {"type": "string", "enum": ["x"]}, "a": {}, "b": {},
                   "e": {"properties": {"f": {"type": "boolean"}}}}
  })");
  EXPECT_THAT(schema.validate(json{{"d", 1}, {"c", "x"}, {"e", json{{"f", 0}}}}),
              ElementsAre(violation("", "required", "missing required option 'a'"),
                          violation("", "required", "missing required option 'b'"),
                          violation("/c", "type", "expected an integer, found a string (\"x\")"),
                          violation("/d", "type", "expected a string, found 1"),
                          violation("/e/f", "type", "expected a boolean, found 0")));
}

TEST(JsonSchemaOrder, ChecksFromCombinatorsAreSortedIntoPlace) {
  const auto schema = schemaOf(R"({
    "allOf": [{"properties": {"z": {"type": "string"}}}],
    "properties": {"a": {"type": "string"}},
    "required": ["m"]
  })");
  EXPECT_THAT(schema.validate(json{{"z", 1}, {"a", 1}}),
              ElementsAre(violation("", "required", "missing required option 'm'"),
                          violation("/a", "type", "expected a string, found 1"),
                          violation("/z", "type", "expected a string, found 1")));
}

TEST(JsonSchemaOrder, Deterministic) {
  const auto schema = schemaOf(kSplitSchema);
  const json options = {{"ratio", 2}, {"seed", "x"}, {"sede", 1}, {"zzz", true}};
  const auto first = schema.validate(options);
  EXPECT_EQ(first.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(schema.validate(options), first);
}

TEST(JsonSchemaOrder, ValidInstanceHasNoViolations) {
  EXPECT_THAT(check(kSplitSchema, json{{"input", "in.jsonl"}, {"ratio", 0.9}, {"seed", 7}}), IsEmpty());
}

TEST(JsonSchemaOrder, CopiesShareTheCompiledSchema) {
  const auto original = schemaOf(kSplitSchema);
  const JsonSchema copy = original;  // NOLINT: the copy is the point
  EXPECT_EQ(copy.validate(json::object()), original.validate(json::object()));
  EXPECT_EQ(&copy.document(), &original.document());
}

// ===============================================================================================
// withDefaults

TEST(JsonSchemaDefaults, FillsAbsentOptions) {
  EXPECT_EQ(schemaOf(kSplitSchema).withDefaults(json{{"input", "x"}}),
            (json{{"input", "x"}, {"ratio", 0.9}, {"seed", 42}}));
}

TEST(JsonSchemaDefaults, KeepsGivenValuesEvenInvalidOnes) {
  EXPECT_EQ(schemaOf(kSplitSchema).withDefaults(json{{"seed", "x"}}), (json{{"seed", "x"}, {"ratio", 0.9}}));
}

constexpr std::string_view kNested = R"({
  "$defs": {"retry": {"type": "object", "properties": {"attempts": {"type": "integer", "default": 3}}}},
  "properties": {
    "provider": {"type": "object", "properties": {"model": {"type": "string", "default": "small"},
                                                  "retry": {"$ref": "#/$defs/retry", "default": {}}}},
    "cache": {"type": "object", "properties": {"dir": {"type": "string", "default": ".cache"}}},
    "logging": {"type": "object", "default": {"level": "info"},
                "properties": {"level": {"type": "string"}, "color": {"type": "boolean", "default": false}}}
  }
})";

TEST(JsonSchemaDefaults, RecursesIntoExistingObjects) {
  EXPECT_EQ(schemaOf(kNested).withDefaults(json{{"provider", json::object()}, {"logging", json::object()}}),
            json::parse(R"({"provider": {"model": "small", "retry": {"attempts": 3}},
                            "logging": {"color": false}})"));
}

TEST(JsonSchemaDefaults, DefaultedObjectsGetTheirOwnDefaults) {
  EXPECT_EQ(schemaOf(kNested).withDefaults(json::object()),
            json::parse(R"({"logging": {"level": "info", "color": false}})"));
}

TEST(JsonSchemaDefaults, AbsentObjectsWithoutADefaultStayAbsent) {
  EXPECT_FALSE(schemaOf(kNested).withDefaults(json::object()).contains("cache"));
  EXPECT_FALSE(schemaOf(kNested).withDefaults(json::object()).contains("provider"));
}

TEST(JsonSchemaDefaults, DefaultOfAReferencedDefinition) {
  EXPECT_EQ(schemaOf(R"({"$defs": {"seed": {"type": "integer", "default": 42}}, "properties": {"seed": {"$ref": "#/$defs/seed"}}})")
                .withDefaults(json::object()),
            (json{{"seed", 42}}));
}

TEST(JsonSchemaDefaults, IntoArrayItems) {
  EXPECT_EQ(schemaOf(R"({"properties": {"steps": {"type": "array",
                         "items": {"type": "object", "properties": {"weight": {"type": "number", "default": 1}}}}}})")
                .withDefaults(json::parse(R"({"steps": [{}, {"weight": 2}, "odd"]})")),
            json::parse(R"({"steps": [{"weight": 1}, {"weight": 2}, "odd"]})"));
}

TEST(JsonSchemaDefaults, FromAllOfMembers) {
  EXPECT_EQ(schemaOf(R"({"allOf": [{"properties": {"a": {"default": 1}}}, {"properties": {"b": {"default": 2}}}]})")
                .withDefaults(json::object()),
            (json{{"a", 1}, {"b", 2}}));
}

TEST(JsonSchemaDefaults, IntoMapValues) {
  EXPECT_EQ(schemaOf(R"({"additionalProperties": {"type": "object", "properties": {"on": {"default": true}}}})")
                .withDefaults(json{{"x", json::object()}}),
            (json{{"x", json{{"on", true}}}}));
}

TEST(JsonSchemaDefaults, NonObjectInstanceIsReturnedAsIs) {
  EXPECT_EQ(schemaOf(kSplitSchema).withDefaults(nullptr), json(nullptr));
  EXPECT_EQ(schemaOf(kSplitSchema).withDefaults(3), json(3));
}

// ===============================================================================================
// isSecret

TEST(JsonSchemaIsSecret, MarkedOptions) {
  const auto schema = schemaOf(kProvider);
  EXPECT_TRUE(schema.isSecret("/api_key"));
  EXPECT_TRUE(schema.isSecret("/token"));  // through $ref
  EXPECT_FALSE(schema.isSecret(""));
  EXPECT_FALSE(schema.isSecret("/keys"));
  EXPECT_FALSE(schema.isSecret("/unknown"));
}

TEST(JsonSchemaIsSecret, EverythingBelowASecretIsSecret) {
  const auto schema = schemaOf(kProvider);
  EXPECT_TRUE(schema.isSecret("/auth"));
  EXPECT_TRUE(schema.isSecret("/auth/password"));
  EXPECT_TRUE(schema.isSecret("/auth/anything/deeper"));
}

TEST(JsonSchemaIsSecret, ArrayItemsAndMaps) {
  const auto schema = schemaOf(R"({"properties": {
    "keys": {"type": "array", "items": {"type": "string", "x-secret": true}},
    "headers": {"type": "object", "additionalProperties": {"type": "string", "x-secret": true}},
    "env": {"type": "object", "patternProperties": {"_TOKEN$": {"x-secret": true}}}
  }})");
  EXPECT_TRUE(schema.isSecret("/keys/0"));
  EXPECT_TRUE(schema.isSecret("/keys/12"));
  EXPECT_FALSE(schema.isSecret("/keys"));
  EXPECT_TRUE(schema.isSecret("/headers/Authorization"));
  EXPECT_TRUE(schema.isSecret("/env/HF_TOKEN"));
  EXPECT_FALSE(schema.isSecret("/env/HOME"));
}

TEST(JsonSchemaIsSecret, NestedDefinitionsAndBranches) {
  const auto schema = schemaOf(R"({
    "$defs": {"provider": {"type": "object", "properties": {"api_key": {"type": "string", "x-secret": true}}}},
    "properties": {
      "provider": {"$ref": "#/$defs/provider"},
      "either": {"anyOf": [{"type": "string"}, {"type": "object", "properties": {"pin": {"x-secret": true}}}]},
      "a~b/c": {"x-secret": true}
    }
  })");
  EXPECT_TRUE(schema.isSecret("/provider/api_key"));
  EXPECT_FALSE(schema.isSecret("/provider"));
  EXPECT_TRUE(schema.isSecret("/either/pin"));
  EXPECT_TRUE(schema.isSecret("/a~0b~1c"));
}

TEST(JsonSchemaIsSecret, MalformedPointerIsNotSecret) { EXPECT_FALSE(schemaOf(kProvider).isSecret("api_key")); }

// ===============================================================================================
// expectedTypes

TEST(JsonSchemaExpectedTypes, SimpleOptions) {
  const auto schema = schemaOf(kSplitSchema);
  EXPECT_THAT(schema.expectedTypes("/input"), ElementsAre("string"));
  EXPECT_THAT(schema.expectedTypes("/seed"), ElementsAre("integer"));
  EXPECT_THAT(schema.expectedTypes("/ratio"), ElementsAre("number"));
  EXPECT_THAT(schema.expectedTypes(""), ElementsAre("object"));
}

TEST(JsonSchemaExpectedTypes, UnknownPlacesSayNothing) {
  EXPECT_THAT(schemaOf(kSplitSchema).expectedTypes("/nope"), IsEmpty());  // closed object: nothing allowed
  EXPECT_THAT(schemaOf(R"({"properties": {"a": {}}})").expectedTypes("/a"), IsEmpty());
  EXPECT_THAT(schemaOf(R"({"properties": {"a": {}}})").expectedTypes("/b"), IsEmpty());
  EXPECT_THAT(schemaOf(kSplitSchema).expectedTypes("not a pointer"), IsEmpty());
}

TEST(JsonSchemaExpectedTypes, SeveralTypesInCanonicalOrder) {
  EXPECT_THAT(schemaOf(R"({"properties": {"s": {"type": ["string", "integer", "null"]}}})").expectedTypes("/s"),
              ElementsAre("null", "integer", "string"));
}

TEST(JsonSchemaExpectedTypes, NestedReferencedAndItems) {
  const auto schema = schemaOf(R"({
    "$defs": {"suffix": {"type": "string"}},
    "properties": {
      "split": {"type": "object", "properties": {"suffix": {"$ref": "#/$defs/suffix"}}},
      "tags": {"type": "array", "items": {"type": "string"}},
      "pair": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "boolean"}]}
    }
  })");
  EXPECT_THAT(schema.expectedTypes("/split/suffix"), ElementsAre("string"));
  EXPECT_THAT(schema.expectedTypes("/tags/3"), ElementsAre("string"));
  EXPECT_THAT(schema.expectedTypes("/tags"), ElementsAre("array"));
  EXPECT_THAT(schema.expectedTypes("/pair/0"), ElementsAre("integer"));
  EXPECT_THAT(schema.expectedTypes("/pair/1"), ElementsAre("boolean"));
  EXPECT_THAT(schema.expectedTypes("/pair/2"), IsEmpty());
}

TEST(JsonSchemaExpectedTypes, CombinatorsAndValues) {
  const auto schema = schemaOf(R"({"properties": {
    "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
    "both": {"allOf": [{"type": "number"}, {"type": ["integer", "string"]}]},
    "mode": {"enum": ["a", "b"]},
    "fixed": {"const": 3},
    "deep": {"anyOf": [{"type": "object", "properties": {"x": {"type": "string"}}}, {"type": "integer"}]}
  }})");
  EXPECT_THAT(schema.expectedTypes("/either"), ElementsAre("integer", "string"));
  EXPECT_THAT(schema.expectedTypes("/both"), ElementsAre("integer"));
  EXPECT_THAT(schema.expectedTypes("/mode"), ElementsAre("string"));
  EXPECT_THAT(schema.expectedTypes("/fixed"), ElementsAre("integer"));
  EXPECT_THAT(schema.expectedTypes("/deep/x"), ElementsAre("string"));
}

// ===============================================================================================
// documentOptions

TEST(DocumentOptions, OneRowPerOption) {
  const auto rows = documentOptions(schemaOf(R"({
    "type": "object", "required": ["input"],
    "properties": {
      "input": {"type": "string", "minLength": 1, "description": "Records to split."},
      "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "default": 0.9,
                "description": "Share kept for training."},
      "seed": {"type": "integer", "minimum": 0, "default": 42, "title": "Random seed"}
    }
  })"));
  EXPECT_THAT(rows, ElementsAre(OptionDoc{"input", "string", true, "", "Records to split.", "min length 1"},
                                OptionDoc{"ratio", "number", false, "0.9", "Share kept for training.", "0 < x < 1"},
                                OptionDoc{"seed", "integer", false, "42", "Random seed", "x >= 0"}));
}

TEST(DocumentOptions, TypeRendering) {
  const auto rows = documentOptions(schemaOf(R"({"properties": {
    "a_format": {"enum": ["chat", "legacy"]},
    "b_tags": {"type": "array", "items": {"type": "string"}},
    "c_id": {"type": ["string", "integer"]},
    "d_either": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    "e_list": {"type": "array"},
    "f_mixed": {"type": "array", "items": {"type": ["string", "integer"]}},
    "g_any": {},
    "h_fixed": {"const": "v1"},
    "i_ref": {"$ref": "#/$defs/port"}
  }, "$defs": {"port": {"type": "integer", "minimum": 1, "maximum": 65535, "description": "TCP port"}}})"));
  ASSERT_EQ(rows.size(), 9u);
  EXPECT_EQ(rows[0].type, "\"chat\" | \"legacy\"");
  EXPECT_EQ(rows[1].type, "array of string");
  EXPECT_EQ(rows[2].type, "string | integer");
  EXPECT_EQ(rows[3].type, "string | null");
  EXPECT_EQ(rows[4].type, "array");
  EXPECT_EQ(rows[5].type, "array of (string | integer)");
  EXPECT_EQ(rows[6].type, "any");
  EXPECT_EQ(rows[7].type, "\"v1\"");
  EXPECT_EQ(rows[8], (OptionDoc{"i_ref", "integer", false, "", "TCP port", "1 <= x <= 65535"}));
}

TEST(DocumentOptions, Constraints) {
  const auto rows = documentOptions(schemaOf(R"({"properties": {
    "a": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[a-z]+$", "format": "hostname"},
    "b": {"type": "number", "maximum": 2, "multipleOf": 0.5},
    "c": {"type": "array", "minItems": 1, "uniqueItems": true},
    "d": {"type": "string", "x-secret": true, "deprecated": true},
    "e": {"type": "number", "exclusiveMaximum": 1},
    "f": {"type": "object", "maxProperties": 3}
  }})"));
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0].constraints, "length 1..64, pattern ^[a-z]+$, format hostname");
  EXPECT_EQ(rows[1].constraints, "x <= 2, multiple of 0.5");
  EXPECT_EQ(rows[2].constraints, "min items 1, unique items");
  EXPECT_EQ(rows[3].constraints, "deprecated, secret");
  EXPECT_EQ(rows[4].constraints, "x < 1");
  EXPECT_EQ(rows[5].constraints, "max properties 3");
}

TEST(DocumentOptions, NestedObjectsAreFlattened) {
  const auto rows = documentOptions(schemaOf(R"({"required": ["provider"], "properties": {
    "provider": {"type": "object", "description": "Where to send requests.", "required": ["api_key"],
                 "properties": {"api_key": {"type": "string", "x-secret": true},
                                "model": {"type": "string", "default": "small"}}}
  }})"));
  EXPECT_THAT(rows, ElementsAre(OptionDoc{"provider", "object", true, "", "Where to send requests.", ""},
                                OptionDoc{"provider.api_key", "string", true, "", "", "secret"},
                                OptionDoc{"provider.model", "string", false, "\"small\"", "", ""}));
}

TEST(DocumentOptions, RecursiveSchemasAreExpandedOnce) {
  const auto rows = documentOptions(schemaOf(R"({
    "$defs": {"node": {"type": "object", "properties": {"name": {"type": "string"}, "next": {"$ref": "#/$defs/node"}}}},
    "properties": {"head": {"$ref": "#/$defs/node"}}
  })"));
  std::vector<std::string> names;
  for (const auto& row : rows) names.push_back(row.name);
  EXPECT_THAT(names, ElementsAre("head", "head.name", "head.next"));
}

TEST(DocumentOptions, PropertiesFromAllOfAndRootRef) {
  const auto rows = documentOptions(schemaOf(R"({
    "$defs": {"base": {"properties": {"b": {"type": "boolean"}}, "required": ["b"]}},
    "allOf": [{"$ref": "#/$defs/base"}, {"properties": {"a": {"type": "string"}}}]
  })"));
  EXPECT_THAT(rows, ElementsAre(OptionDoc{"a", "string", false, "", "", ""}, OptionDoc{"b", "boolean", true, "", "", ""}));
}

TEST(DocumentOptions, NoProperties) { EXPECT_THAT(documentOptions(schemaOf("{}")), IsEmpty()); }

}  // namespace
}  // namespace ajuste
