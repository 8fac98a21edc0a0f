#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ajuste::record_text {

// A read-only view of one JSON value inside a record's text (Record::text), for the stages that
// work on records held as text: finding a member, walking an array, reading a string, with no
// tree built and nothing allocated but the decoded strings that hold escapes.
//
// The text must be valid JSON — the stage that made the record text only checked it. A view
// never reads outside its text whatever the bytes, but on text that is not JSON its answers are
// unspecified (`valid()` catches what a walk meets: a value cut short, a missing ':').
//
// Objects answer as nlohmann::json reads them: of duplicate keys, the last one counts.
class JsonView {
 public:
  enum class Type { kInvalid, kNull, kBool, kNumber, kString, kArray, kObject };

  JsonView() = default;
  // `token` is exactly one value, no whitespace around it (what members and elements give).
  explicit JsonView(std::string_view token) : token_(token) {}

  [[nodiscard]] Type type() const;
  [[nodiscard]] bool isObject() const { return type() == Type::kObject; }
  [[nodiscard]] bool isArray() const { return type() == Type::kArray; }
  [[nodiscard]] bool isString() const { return type() == Type::kString; }
  [[nodiscard]] bool isNull() const { return type() == Type::kNull; }
  [[nodiscard]] bool valid() const { return type() != Type::kInvalid; }
  // The value as written in the text, quotes and brackets included.
  [[nodiscard]] std::string_view token() const { return token_; }

  // Strings: the decoded text. Without escapes it is a view into the record's text; with them
  // it is decoded into `scratch` (and views that).
  [[nodiscard]] std::string_view string(std::string& scratch) const;

  // Objects: the value of `key`, nullopt when absent (or not an object).
  [[nodiscard]] std::optional<JsonView> find(std::string_view key) const;
  // Arrays: the element at `index`, nullopt past the end (or not an array).
  [[nodiscard]] std::optional<JsonView> at(std::size_t index) const;
  // Arrays and objects: whether they hold nothing.
  [[nodiscard]] bool empty() const;

  // Objects: calls visit(key, value) for every member in text order, the key decoded (into a
  // scratch string when it has escapes). Returns false if the object is malformed.
  template <class Visit>
  bool forEachMember(Visit&& visit) const;
  // Arrays: calls visit(element) for every element in order. False if malformed.
  template <class Visit>
  bool forEachElement(Visit&& visit) const;

 private:
  std::string_view token_;
};

// The view of a whole text, whitespace around it ignored.
[[nodiscard]] JsonView viewOf(std::string_view text);

// The value as nlohmann::json::dump() writes it (compact, object keys sorted, numbers
// re-formatted, invalid UTF-8 replaced), for the rare pieces that stages compare as JSON, so
// that a record compares the same whether it is held as text or as a value.
[[nodiscard]] std::string compactOf(const JsonView& value);

namespace detail {
// Where the value starting at `at` ends (one past it), or npos when it is cut short.
std::size_t valueEnd(std::string_view text, std::size_t at);
// Where the whitespace starting at `at` ends.
std::size_t skipSpace(std::string_view text, std::size_t at);
// Decodes the string token `quoted` (quotes included) into `out`.
void decodeString(std::string_view quoted, std::string& out);
}  // namespace detail

template <class Visit>
bool JsonView::forEachMember(Visit&& visit) const {
  if (!isObject()) return false;
  const std::string_view text = token_;
  std::string scratch;
  std::size_t at = detail::skipSpace(text, 1);
  if (at < text.size() && text[at] == '}') return true;
  while (at < text.size()) {
    if (text[at] != '"') return false;
    const std::size_t key_end = detail::valueEnd(text, at);
    if (key_end == std::string_view::npos) return false;
    const JsonView key(text.substr(at, key_end - at));
    at = detail::skipSpace(text, key_end);
    if (at >= text.size() || text[at] != ':') return false;
    at = detail::skipSpace(text, at + 1);
    const std::size_t value_end = detail::valueEnd(text, at);
    if (value_end == std::string_view::npos) return false;
    visit(key.string(scratch), JsonView(text.substr(at, value_end - at)));
    at = detail::skipSpace(text, value_end);
    if (at >= text.size()) return false;
    if (text[at] == '}') return true;
    if (text[at] != ',') return false;
    at = detail::skipSpace(text, at + 1);
  }
  return false;
}

template <class Visit>
bool JsonView::forEachElement(Visit&& visit) const {
  if (!isArray()) return false;
  const std::string_view text = token_;
  std::size_t at = detail::skipSpace(text, 1);
  if (at < text.size() && text[at] == ']') return true;
  while (at < text.size()) {
    const std::size_t end = detail::valueEnd(text, at);
    if (end == std::string_view::npos) return false;
    visit(JsonView(text.substr(at, end - at)));
    at = detail::skipSpace(text, end);
    if (at >= text.size()) return false;
    if (text[at] == ']') return true;
    if (text[at] != ',') return false;
    at = detail::skipSpace(text, at + 1);
  }
  return false;
}

}  // namespace ajuste::record_text
