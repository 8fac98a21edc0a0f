#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/record.hpp"
#include "ajuste/status.hpp"
#include "record_text/json_view.hpp"

#include "normalize.hpp"

namespace ajuste::clean_dedupe {

// What clean/dedupe and split/random's leakage check compare by default (the `fields` option):
// the content of chat, legacy prompt/completion and preference examples, so that whatever the
// format, duplicates are found without configuration and both stages agree on what a copy is.
inline constexpr std::string_view kDefaultContentFieldsJson =
    R"(["/messages", "/prompt", "/completion", "/input/messages", "/preferred_output", "/non_preferred_output"])";

// A JSON pointer ("/messages", "/meta/text") split into unescaped tokens once, so looking a
// field up in each record throws nothing and allocates nothing.
class FieldPath {
 public:
  // A config error (pointer `option_pointer`) when `pointer` is not a JSON pointer.
  [[nodiscard]] static Result<FieldPath> parse(const std::string& pointer, const std::string& option_pointer);
  [[nodiscard]] const nlohmann::json* find(const nlohmann::json& value) const;
  [[nodiscard]] std::optional<record_text::JsonView> find(const record_text::JsonView& value) const;
  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::vector<std::string> tokens_;
};

// What a record is compared on, built from the configured fields:
// - `exact`: a canonical, unambiguous key (each piece length-prefixed) for the 128-bit hash;
// - `text`: the pieces' normalized text joined by newlines, for near-duplicate shingles.
// A messages array (every element an object with "role") contributes each message's role,
// content (content parts: their text) and tool calls (each function's name and arguments, not
// the call's id), nothing else (not name or weight); a string its normalized text; anything
// else its compact JSON (object keys sorted, so key order does not matter).
struct DedupeKey {
  std::string exact;
  std::string text;
};

class KeyBuilder {
 public:
  KeyBuilder(std::vector<FieldPath> fields, NormalizeOptions normalize, bool want_text)
      : fields_(std::move(fields)), normalize_(normalize), want_text_(want_text) {}

  // False when the record has none of the fields (such a record is kept, not compared).
  [[nodiscard]] bool build(const nlohmann::json& record, DedupeKey& key) const;
  // The same key from a record held as text (Record::text), with no tree built for it.
  [[nodiscard]] bool build(const record_text::JsonView& record, DedupeKey& key) const;
  // From the record as it is held: its text while it is held as text only, else its value.
  [[nodiscard]] bool build(const Record& record, DedupeKey& key) const;
  // What decides `exact` (the fields and the normalization), as a hash: two builders with the
  // same fingerprint make the same exact key from the same record.
  [[nodiscard]] std::uint64_t fingerprint() const;

 private:
  void addPiece(char tag, std::string_view raw, bool normalize, DedupeKey& key) const;
  // Node: the record as a tree or as text, behind one interface (dedupe_key.cpp), so both
  // ways of holding a record give the same key by construction.
  template <class Node>
  bool buildFrom(const Node& record, DedupeKey& key) const;
  template <class Node>
  void addValue(const Node& value, DedupeKey& key) const;
  template <class Node>
  void addToolCalls(const std::optional<Node>& tool_calls, const std::optional<Node>& function_call,
                    DedupeKey& key) const;

  std::vector<FieldPath> fields_;
  NormalizeOptions normalize_;
  bool want_text_;
};

}  // namespace ajuste::clean_dedupe
