#include "json_array_reader.hpp"

#include <utility>

namespace ajuste::ingest_file {
namespace {

// How much of a stretch that is not an element (a whole non-array document, trailing data)
// is kept for the reject.
constexpr std::size_t kKeptBytes = 256;

bool isWhitespace(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string shown(int c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7F) return std::string("'") + static_cast<char>(byte) + "'";
  static constexpr char kDigits[] = "0123456789ABCDEF";
  return std::string("byte 0x") + kDigits[byte >> 4] + kDigits[byte & 0x0F];
}

}  // namespace

char JsonArrayReader::take() {
  const char c = static_cast<char>(input_.get());
  if (c == '\n' || (c == '\r' && input_.peek() != '\n')) {
    ++line_;
    line_start_ = input_.offset();
  }
  return c;
}

void JsonArrayReader::skipWhitespace() {
  while (isWhitespace(input_.peek())) take();
}

std::string JsonArrayReader::where() const {
  return "line " + std::to_string(line_) + ", column " + std::to_string(input_.offset() - line_start_ + 1);
}

JsonElement JsonArrayReader::startElement() const {
  JsonElement element;
  element.line = line_;
  element.column = input_.offset() - line_start_ + 1;
  element.offset = input_.offset();
  return element;
}

// Everything from here to the end of the input, as one problem.
JsonElement JsonArrayReader::restOfInput(std::string kind, std::string message) {
  JsonElement element = startElement();
  element.problem = JsonProblem{std::move(kind), std::move(message)};
  while (input_.peek() != ingest::TextInput::kEnd) {
    const char c = take();
    if (element.text.size() < kKeptBytes) element.text += c;
  }
  state_ = State::kDone;
  return element;
}

std::optional<JsonElement> JsonArrayReader::next() {
  if (state_ == State::kStart) {
    if (input_.peek() != ingest::TextInput::kEnd) line_start_ = input_.offset();  // after a BOM
    skipWhitespace();
    const int c = input_.peek();
    if (c == ingest::TextInput::kEnd) {
      state_ = State::kDone;
      return std::nullopt;
    }
    saw_content_ = true;
    if (c != '[') {
      return restOfInput("not_array", "the document is not a JSON array: it starts with " + shown(c) + " at " +
                                          where() +
                                          "; ingest/json reads one array of objects, [{...}, {...}] (for one object "
                                          "per line use ingest/jsonl)");
    }
    take();
    saw_array_ = true;
    state_ = State::kBeforeElement;
  }
  if (state_ == State::kBeforeElement) {
    skipWhitespace();
    const int c = input_.peek();
    if (c == ingest::TextInput::kEnd) {
      unterminated_ = true;
      state_ = State::kDone;
      return std::nullopt;
    }
    if (c == ']' || c == ',') {
      if (c == ']' && first_element_) {
        take();
        state_ = State::kAfterArray;
      } else {
        JsonElement empty = startElement();
        empty.problem = JsonProblem{
            "empty_element", (c == ']' ? "a comma before the closing ']' (at " : "two commas in a row (the second at ") +
                                 where() + "): an element is missing; JSON allows no empty or trailing elements"};
        take();
        first_element_ = false;
        if (c == ']') state_ = State::kAfterArray;
        return empty;
      }
    } else {
      first_element_ = false;
      return element();
    }
  }
  if (state_ == State::kAfterArray) {
    skipWhitespace();
    if (input_.peek() == ingest::TextInput::kEnd) {
      state_ = State::kDone;
      return std::nullopt;
    }
    return restOfInput("trailing_data", "text after the array's closing ']', at " + where() +
                                            "; a JSON document holds one array (to read several, give each its own "
                                            "file and point path at the folder or a glob)");
  }
  return std::nullopt;
}

JsonElement JsonArrayReader::element() {
  JsonElement element = startElement();
  std::uint64_t length = 0;       // bytes of the element so far, kept or not
  std::uint64_t significant = 0;  // length up to its last non-whitespace byte
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  bool too_deep = false;
  for (;;) {
    const int peeked = input_.peek();
    if (peeked == ingest::TextInput::kEnd) {
      state_ = State::kDone;
      unterminated_ = true;
      if (in_string || depth > 0) {
        element.problem = JsonProblem{"truncated", "the input ends inside this element (" +
                                                       std::string(in_string ? "in a string" : "before its closing bracket") +
                                                       "): the file is cut off"};
      }
      break;
    }
    if (!in_string && depth == 0 && (peeked == ',' || peeked == ']')) {
      take();
      state_ = peeked == ']' ? State::kAfterArray : State::kBeforeElement;
      break;
    }
    const char c = take();
    ++length;
    if (length <= format_.max_record_bytes) element.text += c;
    if (!isWhitespace(c)) significant = length;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > format_.max_depth) too_deep = true;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  if (significant < element.text.size()) element.text.resize(significant);
  if (significant > format_.max_record_bytes) {
    element.problem = JsonProblem{"record_too_long",
                                  "the element is " + std::to_string(significant) +
                                      " bytes long, more than max_record_bytes (" +
                                      std::to_string(format_.max_record_bytes) +
                                      "); only its first bytes are kept here. Raise max_record_bytes if it is a real "
                                      "record"};
  } else if (too_deep) {
    element.problem = JsonProblem{"too_deep", "the element nests arrays and objects deeper than " +
                                                  std::to_string(format_.max_depth) + " levels"};
  }
  return element;
}

}  // namespace ajuste::ingest_file
