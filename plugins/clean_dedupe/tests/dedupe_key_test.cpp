#include "dedupe_key.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ajuste::clean_dedupe {
namespace {

KeyBuilder defaultKeys(NormalizeOptions normalize = {}) {
  std::vector<FieldPath> fields;
  for (const auto& pointer : nlohmann::json::parse(kDefaultContentFieldsJson)) {
    fields.push_back(FieldPath::parse(pointer.get<std::string>(), "/fields").value());
  }
  return KeyBuilder(std::move(fields), normalize, /*want_text=*/true);
}

// Every shape the key looks at, written as people write them: key order, spacing, escapes,
// duplicate keys (the last counts), pieces compared as JSON (numbers, objects with keys in
// another order).
const char* const kRecords[] = {
    R"({"messages":[{"role":"user","content":"Hi  there"},{"role":"assistant","content":"Hello!"}]})",
    R"({ "messages" : [ { "content" : "Hi\tthere", "role" : "user" } , {"content":"Hello!","role":"assistant"} ] })",
    R"({"messages":[{"role":"user","content":"caf\u00e9 \ud83d\ude00 \/ \"q\""},{"role":"assistant","content":null}]})",
    R"({"messages":[{"role":"user","content":[{"type":"text","text":"part one"},{"type":"image_url","image_url":{"url":"x","detail":"low"}}]}]})",
    R"({"messages":[{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\": 1}"}}]}]})",
    R"({"messages":[{"role":"assistant","tool_calls":[{"id":"c","function":{"name":"g","arguments":{"b":2,"a":1.50}}},"odd"]}]})",
    R"({"messages":[{"role":"assistant","function_call":{"name":"legacy","arguments":"{}"}},{"role":{"odd":1},"content":3}]})",
    R"({"messages":[{"role":"user","content":"first"},{"role":"user","content":"second","content":"last wins"}]})",
    R"({"prompt":"Q:  2+2?","completion":" 4"})",
    R"({"input":{"messages":[{"role":"user","content":"x"}]},"preferred_output":[{"role":"assistant","content":"y"}],"non_preferred_output":[{"role":"assistant","content":"z"}]})",
    R"({"messages":[]})",
    R"({"messages":[1,2,{"role":"user"}]})",
    R"({"messages":"a string, not a list"})",
    R"({"other":1})",
    R"({"prompt":{"nested":[1,2,3]},"completion":[true,false,null]})",
};

TEST(DedupeKey, IsTheSameWhetherTheRecordIsHeldAsTextOrAsAValue) {
  for (const bool ignore_case : {false, true}) {
    const KeyBuilder keys = defaultKeys(NormalizeOptions{.collapse_whitespace = true, .ignore_case = ignore_case});
    for (const char* text : kRecords) {
      DedupeKey from_value;
      DedupeKey from_text;
      const bool value_any = keys.build(nlohmann::json::parse(text), from_value);
      const bool text_any = keys.build(record_text::JsonDocument(text).root(), from_text);
      EXPECT_EQ(value_any, text_any) << text;
      EXPECT_EQ(from_value.exact, from_text.exact) << text;
      EXPECT_EQ(from_value.text, from_text.text) << text;
    }
  }
}

TEST(DedupeKey, ARecordIsBuiltFromHowItIsHeld) {
  const KeyBuilder keys = defaultKeys();
  Record as_text;
  keepTextOnly(as_text, kRecords[1]);
  Record as_value;
  as_value.value = nlohmann::json::parse(kRecords[0]);
  DedupeKey a;
  DedupeKey b;
  ASSERT_TRUE(keys.build(as_text, a));
  ASSERT_TRUE(keys.build(as_value, b));
  EXPECT_EQ(a.exact, b.exact);  // the same example, whitespace apart
}

}  // namespace
}  // namespace ajuste::clean_dedupe
