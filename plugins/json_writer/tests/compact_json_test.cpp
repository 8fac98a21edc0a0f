#include "json_writer/compact_json.hpp"

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace ajuste::json_writer {
namespace {

std::string compact(const nlohmann::json& value) {
  std::string out;
  appendCompactJson(value, out);
  return out;
}

TEST(CompactJson, WritesWhatDumpWrites) {
  const auto value = nlohmann::json::parse(R"({"z": [1, -2, 18446744073709551615, -9223372036854775808, 0.1, 1e300,
      -0.0, 2.5e-8, true, false, null, {}, []], "a": "caf\u00e9 \"q\" \\ \/ \u0001\u001f\b\f\n\r\t\u007f \ud83d\udc4d",
      "m": {"": "", "k": [[["deep"]]]}})");
  EXPECT_EQ(compact(value), value.dump());
}

TEST(CompactJson, EscapesEveryControlCharacterAsDumpDoes) {
  std::string all;
  for (int c = 0; c < 0x80; ++c) all += static_cast<char>(c);
  const nlohmann::json value = {{"text", all}};
  EXPECT_EQ(compact(value), value.dump());
}

TEST(CompactJson, AppendsWithoutTouchingWhatIsThere) {
  std::string out = "prefix ";
  appendCompactJson(nlohmann::json{{"a", 1}}, out);
  EXPECT_EQ(out, "prefix {\"a\":1}");
}

TEST(CompactJson, InvalidUtf8ThrowsDumpsErrorAndLeavesTheOutputAlone) {
  const nlohmann::json value = {{"ok", "fine"}, {"text", std::string("caf\xE9!")}};
  std::string expected_message;
  try {
    (void)value.dump();
  } catch (const nlohmann::json::type_error& error) {
    expected_message = error.what();
  }
  ASSERT_FALSE(expected_message.empty());
  std::string out = "kept";
  try {
    appendCompactJson(value, out);
    FAIL() << "no exception";
  } catch (const nlohmann::json::type_error& error) {
    EXPECT_EQ(std::string(error.what()), expected_message);
  }
  EXPECT_EQ(out, "kept");
}

nlohmann::json randomValue(std::mt19937_64& random, int depth) {
  const auto pick = random() % (depth > 3 ? 6 : 8);
  const auto randomString = [&] {
    static const char* const kPieces[] = {"a", "\"", "\\", "\n", "\x01", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                          "/", " ", "\x7F", "\t"};
    std::string text;
    for (auto n = random() % 6; n > 0; --n) text += kPieces[random() % std::size(kPieces)];
    return text;
  };
  switch (pick) {
    case 0: return nullptr;
    case 1: return random() % 2 == 0;
    case 2: return static_cast<std::int64_t>(random());
    case 3: return static_cast<std::uint64_t>(random());
    case 4: return std::ldexp(static_cast<double>(random() % 100000) - 50000.0, static_cast<int>(random() % 80) - 40);
    case 5: return randomString();
    case 6: {
      nlohmann::json array = nlohmann::json::array();
      for (auto n = random() % 4; n > 0; --n) array.push_back(randomValue(random, depth + 1));
      return array;
    }
    default: {
      nlohmann::json object = nlohmann::json::object();
      for (auto n = random() % 4; n > 0; --n) object[randomString()] = randomValue(random, depth + 1);
      return object;
    }
  }
}

// What the writing stages (split/random, write/jsonl) reject with: the line, or dump's message.
TEST(CompactJson, AJsonLineEndsInANewlineOrGivesDumpsMessage) {
  std::string out = "k";
  EXPECT_EQ(appendJsonLine(nlohmann::json{{"a", 1}}, out), std::nullopt);
  EXPECT_EQ(out, "k{\"a\":1}\n");
  const nlohmann::json bad = {{"text", std::string("caf\xE9!")}};
  std::string expected_message;
  try {
    (void)bad.dump();
  } catch (const nlohmann::json::type_error& error) {
    expected_message = error.what();
  }
  EXPECT_EQ(appendJsonLine(bad, out), expected_message);
  EXPECT_EQ(out, "k{\"a\":1}\n");
}

TEST(CompactJson, AgreesWithDumpOnRandomValues) {
  std::mt19937_64 random(5);
  for (int round = 0; round < 5000; ++round) {
    const nlohmann::json value = randomValue(random, 0);
    ASSERT_EQ(compact(value), value.dump());
  }
}

TEST(CompactJson, ARecordHeldAsTextIsWrittenAsItsText) {
  Record as_text;
  keepTextOnly(as_text, R"({"b": 1, "a": "\u00e9"})");
  Record as_value;
  as_value.value = {{"b", 1}, {"a", "é"}};
  std::string out;
  EXPECT_FALSE(appendRecordLine(as_text, out).has_value());
  EXPECT_FALSE(appendRecordLine(as_value, out).has_value());
  EXPECT_EQ(out, "{\"b\": 1, \"a\": \"\\u00e9\"}\n{\"a\":\"é\",\"b\":1}\n");
}

TEST(CompactJson, StringsAreEscapedAsDumpEscapesThem) {
  for (const std::string& text : {std::string("plain"), std::string("q\"b\\s/\n\t\x01\x7f é 😀"), std::string()}) {
    std::string out = "x";
    ASSERT_TRUE(appendJsonString(text, out));
    EXPECT_EQ(out, "x" + nlohmann::json(text).dump());
  }
  std::string out = "x";
  EXPECT_FALSE(appendJsonString("bad \xC3", out));
  EXPECT_EQ(out, "x");
}

}  // namespace
}  // namespace ajuste::json_writer
