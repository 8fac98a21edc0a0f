#include "record_text/json_view.hpp"

#include <random>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ajuste::record_text {
namespace {

using Json = nlohmann::json;

// Writes `value` as JSON the way people and other tools do: whitespace anywhere it may go,
// some characters as \u escapes (pairs above the BMP), '/' sometimes escaped.
class LooseWriter {
 public:
  explicit LooseWriter(std::uint32_t seed) : random_(seed) {}

  std::string write(const Json& value) {
    std::string out;
    space(out);
    append(value, out);
    space(out);
    return out;
  }

 private:
  bool chance(int percent) { return std::uniform_int_distribution<int>(0, 99)(random_) < percent; }
  void space(std::string& out) {
    while (chance(20)) out += " \t\n\r"[std::uniform_int_distribution<int>(0, 3)(random_)];
  }
  void escaped(std::uint32_t code, std::string& out) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, chance(50) ? "\\u%04x" : "\\u%04X", code);
    out += buffer;
  }
  void appendString(const std::string& text, std::string& out) {
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
      const auto c = static_cast<unsigned char>(text[i]);
      const std::size_t length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20) {
        escaped(c, out);
      } else if (c == '/' && chance(30)) {
        out += "\\/";
      } else if (length > 1 && chance(30)) {
        // Decode the code point and write it escaped.
        std::uint32_t code = c & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
        for (std::size_t k = 1; k < length; ++k) code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        if (code >= 0x10000) {
          escaped(0xD800 + ((code - 0x10000) >> 10), out);
          escaped(0xDC00 + ((code - 0x10000) & 0x3FF), out);
        } else {
          escaped(code, out);
        }
      } else {
        out.append(text, i, length);
      }
      i += length;
    }
    out += '"';
  }
  void append(const Json& value, std::string& out) {
    switch (value.type()) {
      case Json::value_t::object: {
        out += '{';
        bool first = true;
        for (const auto& [key, member] : value.items()) {
          if (!first) out += ',';
          first = false;
          space(out);
          appendString(key, out);
          space(out);
          out += ':';
          space(out);
          append(member, out);
          space(out);
        }
        out += '}';
        return;
      }
      case Json::value_t::array: {
        out += '[';
        for (std::size_t i = 0; i < value.size(); ++i) {
          if (i > 0) out += ',';
          space(out);
          append(value[i], out);
          space(out);
        }
        out += ']';
        return;
      }
      case Json::value_t::string: appendString(value.get<std::string>(), out); return;
      default: out += value.dump();
    }
  }
  std::mt19937 random_;
};

std::string randomText(std::mt19937& random) {
  static const char* const kPieces[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\x01", "é", "ñ", "€",
                                        "😀", "🧑🏾‍💻", "हि", "{", "}", "[", "]", ",", ":", "\\u0041"};
  std::string text;
  const int length = std::uniform_int_distribution<int>(0, 12)(random);
  for (int i = 0; i < length; ++i) text += kPieces[std::uniform_int_distribution<std::size_t>(0, std::size(kPieces) - 1)(random)];
  return text;
}

Json randomValue(std::mt19937& random, int depth) {
  const int kind = std::uniform_int_distribution<int>(0, depth > 3 ? 5 : 7)(random);
  switch (kind) {
    case 0: return nullptr;
    case 1: return std::uniform_int_distribution<int>(0, 1)(random) == 1;
    case 2: return std::uniform_int_distribution<std::int64_t>(-1'000'000, 1'000'000)(random);
    case 3: return std::uniform_real_distribution<double>(-1e6, 1e6)(random);
    case 4:
    case 5: return randomText(random);
    case 6: {
      Json array = Json::array();
      const int size = std::uniform_int_distribution<int>(0, 4)(random);
      for (int i = 0; i < size; ++i) array.push_back(randomValue(random, depth + 1));
      return array;
    }
    default: {
      Json object = Json::object();
      const int size = std::uniform_int_distribution<int>(0, 4)(random);
      for (int i = 0; i < size; ++i) object[randomText(random)] = randomValue(random, depth + 1);
      return object;
    }
  }
}

// Whether the view reads as the tree nlohmann parsed from the same text.
void expectSame(const JsonView& view, const Json& value, const std::string& where) {
  std::string scratch;
  switch (value.type()) {
    case Json::value_t::object: {
      ASSERT_TRUE(view.isObject()) << where;
      EXPECT_EQ(view.empty(), value.empty()) << where;
      std::size_t members = 0;
      view.forEachMember([&](std::string_view, const JsonView&) { ++members; });
      EXPECT_EQ(members, value.size()) << where;  // no duplicate keys in these
      for (const auto& [key, member] : value.items()) {
        const auto found = view.find(key);
        ASSERT_TRUE(found.has_value()) << where << " key " << key;
        expectSame(*found, member, where + "/" + key);
      }
      EXPECT_FALSE(view.find("no such key, surely").has_value()) << where;
      return;
    }
    case Json::value_t::array: {
      ASSERT_TRUE(view.isArray()) << where;
      EXPECT_EQ(view.empty(), value.empty()) << where;
      for (std::size_t i = 0; i < value.size(); ++i) {
        const auto element = view.at(i);
        ASSERT_TRUE(element.has_value()) << where << "[" << i << "]";
        expectSame(*element, value[i], where + "[" + std::to_string(i) + "]");
      }
      EXPECT_FALSE(view.at(value.size()).has_value()) << where;
      return;
    }
    case Json::value_t::string:
      ASSERT_TRUE(view.isString()) << where;
      EXPECT_EQ(view.string(scratch), value.get<std::string>()) << where;
      return;
    case Json::value_t::null: EXPECT_TRUE(view.isNull()) << where; return;
    case Json::value_t::boolean: EXPECT_EQ(view.type(), JsonView::Type::kBool) << where; return;
    default: EXPECT_EQ(view.type(), JsonView::Type::kNumber) << where;
  }
  EXPECT_EQ(compactOf(view), value.dump()) << where;
}

TEST(JsonView, ReadsEveryValueAsNlohmannReadsTheSameText) {
  std::mt19937 random(7);
  LooseWriter writer(11);
  for (int round = 0; round < 3000; ++round) {
    const Json value = randomValue(random, 0);
    const std::string text = writer.write(value);
    const Json parsed = Json::parse(text);  // the writer writes valid JSON
    ASSERT_EQ(parsed, value) << text;
    const JsonDocument document(text);
    expectSame(document.root(), parsed, text);
    EXPECT_EQ(compactOf(document.root()), parsed.dump()) << text;
  }
}

TEST(JsonView, TheLastOfDuplicateKeysCountsAsInNlohmann) {
  const std::string text = R"({"role":"user","content":"first","content":"second"})";
  std::string scratch;
  const JsonDocument document(text);
  EXPECT_EQ(document.root().find("content")->string(scratch), Json::parse(text).at("content").get<std::string>());
  EXPECT_EQ(document.root().find("content")->string(scratch), "second");
}

TEST(JsonView, DecodesEscapesIncludingSurrogatePairs) {
  const std::string text = R"({"k\u0065y":"a\"b\\c\/d\n\u00e9\ud83d\ude00"})";
  std::string scratch;
  const JsonDocument document(text);
  const auto found = document.root().find("key");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->string(scratch), "a\"b\\c/d\n\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(found->token(), R"("a\"b\\c\/d\n\u00e9\ud83d\ude00")");
}

TEST(JsonView, StringsWithoutEscapesAreViewsIntoTheText) {
  const std::string text = R"({"content": "plain text"})";
  std::string scratch;
  const JsonDocument document(text);
  const std::string_view content = document.root().find("content")->string(scratch);
  EXPECT_EQ(content, "plain text");
  EXPECT_GE(content.data(), text.data());
  EXPECT_LT(content.data(), text.data() + text.size());
  EXPECT_TRUE(scratch.empty());
}

TEST(JsonView, NeverReadsOutsideTheTextWhateverTheBytes) {
  // Cut valid texts anywhere and flip bytes: the index stays in bounds (the sanitizers of the
  // test build say so), and what it cannot read as one JSON value has an invalid root.
  std::mt19937 random(3);
  LooseWriter writer(5);
  for (int round = 0; round < 2000; ++round) {
    std::string text = writer.write(randomValue(random, 0));
    text.resize(std::uniform_int_distribution<std::size_t>(0, text.size())(random));
    if (!text.empty() && round % 2 == 0) text[std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(random)] = '"';
    const JsonDocument document(text);
    const JsonView view = document.root();
    std::string scratch;
    (void)view.find("a");
    (void)view.at(2);
    (void)view.empty();
    (void)view.string(scratch);
    view.forEachMember([&](std::string_view, const JsonView& member) { (void)member.string(scratch); });
    view.forEachElement([&](const JsonView& element) { (void)element.find("b"); });
  }
  for (const char* bad : {R"({"a": )", R"(["a" "b"])", "", "{} {}", R"({"a":1,})", "nul", "[1,]x", R"({"a","b"})",
                          R"({1:2})", R"(["a":1])", R"({"a":1:2})", R"({"a"})"}) {
    EXPECT_FALSE(JsonDocument(bad).root().valid()) << bad;
  }
  EXPECT_FALSE(JsonView().find("a").has_value());
}

}  // namespace
}  // namespace ajuste::record_text
