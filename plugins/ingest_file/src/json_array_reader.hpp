#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "ingest_common/text_input.hpp"

namespace ajuste::ingest_file {

struct JsonArrayFormat {
  std::uint64_t max_record_bytes = std::uint64_t{64} << 20;
  // Deeper elements are refused here, so no later stage (parser, writer) recurses without bound.
  std::size_t max_depth = 512;
};

// Why an element (or a stretch of the document) cannot become a record.
struct JsonProblem {
  std::string kind;     // not_array, empty_element, trailing_data, truncated, too_deep, record_too_long
  std::string message;  // names line and column
};

struct JsonElement {
  std::string text;          // the element's JSON text, without surrounding whitespace (cut after max_record_bytes)
  std::uint64_t line = 0;    // 1-based line of its first byte
  std::uint64_t column = 0;  // 1-based byte column of its first byte
  std::uint64_t offset = 0;  // offset of its first byte in the (decompressed) input
  std::optional<JsonProblem> problem;
};

// Cuts a JSON document of the form [ element, element, ... ] into its elements, streaming: one
// element is held at a time (at most max_record_bytes of it). It only frames: it follows
// strings and bracket depth to find the commas between elements, and leaves checking each
// element's JSON to the JSON parser, so a broken element costs that element only.
//
// Whatever the bytes, every stretch of the document ends up in an element or a problem:
// - a document that does not start with '[' is one `not_array` problem holding all of it;
// - ",," and a "," before "]" give an `empty_element` problem;
// - anything after the closing "]" is one `trailing_data` problem;
// - an element cut off by the end of the input (inside a string or brackets) is `truncated`.
// An input that ends before the closing "]" after complete elements is not a problem of any
// element: unterminated() tells the source so it can warn (it is also true after `truncated`).
// Lines are counted as \r\n, \n or a lone \r.
class JsonArrayReader {
 public:
  JsonArrayReader(ingest::TextInput& input, JsonArrayFormat format) : input_(input), format_(format) {}

  // The next element, or nullopt at the end of the input (then check the input's status()).
  [[nodiscard]] std::optional<JsonElement> next();

  // True once the input ended inside the array (no closing "]").
  [[nodiscard]] bool unterminated() const { return unterminated_; }
  // True when the document held no array at all (empty, or whitespace only).
  [[nodiscard]] bool empty() const { return state_ == State::kDone && !saw_array_ && !saw_content_; }

 private:
  enum class State { kStart, kBeforeElement, kAfterArray, kDone };

  char take();
  void skipWhitespace();
  [[nodiscard]] JsonElement startElement() const;
  [[nodiscard]] JsonElement element();
  [[nodiscard]] JsonElement restOfInput(std::string kind, std::string message);
  [[nodiscard]] std::string where() const;

  ingest::TextInput& input_;
  const JsonArrayFormat format_;
  State state_ = State::kStart;
  bool first_element_ = true;
  bool saw_array_ = false;
  bool saw_content_ = false;
  bool unterminated_ = false;
  std::uint64_t line_ = 1;
  std::uint64_t line_start_ = 0;
};

}  // namespace ajuste::ingest_file
