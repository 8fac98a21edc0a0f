#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ajuste::record_text {

class JsonView;

// A record's JSON text (Record::text) with an index of where each of its values is, made in one
// pass over the text, for the stages that work on records held as text: finding a member,
// walking an array, reading a string cost no further scan of the text, and nothing is allocated
// but the index and the decoded strings that hold escapes.
//
// The text must be valid JSON (the stage that made the record text only checked it). The index
// never reads outside the text whatever the bytes; on a text it cannot read as one JSON value
// (cut short, a stray character), `root()` is invalid and every question about it answers
// "nothing".
class JsonDocument {
 public:
  explicit JsonDocument(std::string_view text);

  [[nodiscard]] JsonView root() const;
  [[nodiscard]] std::string_view text() const { return text_; }

 private:
  friend class JsonView;
  enum class Type : std::uint8_t { kInvalid, kNull, kBool, kNumber, kString, kArray, kObject };
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;
  // Values in the order they start in the text, so a container's first child follows it. An
  // object's children alternate key and value.
  struct Node {
    std::uint32_t begin;
    std::uint32_t end;
    std::uint32_t next = kNone;  // the next child of the same container
    Type type;
    bool escaped = false;  // strings: the token holds a backslash, so reading it must decode
  };
  bool index();

  std::string_view text_;
  std::vector<Node> nodes_;
};

// One value of a JsonDocument (which must outlive it). Objects answer as nlohmann::json reads
// them: of duplicate keys, the last one counts.
class JsonView {
 public:
  using Type = JsonDocument::Type;

  JsonView() = default;

  [[nodiscard]] Type type() const { return node() == nullptr ? Type::kInvalid : node()->type; }
  [[nodiscard]] bool isObject() const { return type() == Type::kObject; }
  [[nodiscard]] bool isArray() const { return type() == Type::kArray; }
  [[nodiscard]] bool isString() const { return type() == Type::kString; }
  [[nodiscard]] bool isNull() const { return type() == Type::kNull; }
  [[nodiscard]] bool valid() const { return type() != Type::kInvalid; }
  // The value as written in the text, quotes and brackets included.
  [[nodiscard]] std::string_view token() const;

  // Strings: the decoded text. Without escapes it is a view into the record's text; with them
  // it is decoded into `scratch` (and views that).
  [[nodiscard]] std::string_view string(std::string& scratch) const;

  // Objects: the value of `key`, nullopt when absent (or not an object).
  [[nodiscard]] std::optional<JsonView> find(std::string_view key) const;
  // Arrays: the element at `index`, nullopt past the end (or not an array).
  [[nodiscard]] std::optional<JsonView> at(std::size_t index) const;
  // Arrays and objects: whether they hold nothing.
  [[nodiscard]] bool empty() const { return firstChild() == JsonDocument::kNone; }

  // Objects: calls visit(key, value) for every member in text order, the key decoded.
  template <class Visit>
  void forEachMember(Visit&& visit) const;
  // Arrays: calls visit(element) for every element in order.
  template <class Visit>
  void forEachElement(Visit&& visit) const;

 private:
  friend class JsonDocument;
  JsonView(const JsonDocument* document, std::uint32_t id) : document_(document), id_(id) {}
  [[nodiscard]] const JsonDocument::Node* node() const {
    return document_ == nullptr ? nullptr : &document_->nodes_[id_];
  }
  [[nodiscard]] std::uint32_t firstChild() const;
  [[nodiscard]] std::uint32_t nextOf(std::uint32_t child) const { return document_->nodes_[child].next; }

  const JsonDocument* document_ = nullptr;
  std::uint32_t id_ = 0;
};

// The value as nlohmann::json::dump() writes it (compact, object keys sorted, numbers
// re-formatted, invalid UTF-8 replaced), for the rare pieces that stages compare as JSON, so
// that a record compares the same whether it is held as text or as a value.
[[nodiscard]] std::string compactOf(const JsonView& value);

namespace detail {
// Decodes the string token `quoted` (quotes included) into `out`.
void decodeString(std::string_view quoted, std::string& out);
}  // namespace detail

template <class Visit>
void JsonView::forEachMember(Visit&& visit) const {
  if (!isObject()) return;
  std::string scratch;
  for (std::uint32_t key = firstChild(); key != JsonDocument::kNone;) {
    const std::uint32_t value = nextOf(key);
    if (value == JsonDocument::kNone) return;  // a key without its value: not JSON
    visit(JsonView(document_, key).string(scratch), JsonView(document_, value));
    key = nextOf(value);
  }
}

template <class Visit>
void JsonView::forEachElement(Visit&& visit) const {
  if (!isArray()) return;
  for (std::uint32_t element = firstChild(); element != JsonDocument::kNone; element = nextOf(element)) {
    visit(JsonView(document_, element));
  }
}

}  // namespace ajuste::record_text
