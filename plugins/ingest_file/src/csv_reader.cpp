#include "csv_reader.hpp"

#include <utility>

namespace ajuste::ingest_file {
namespace {

std::string shown(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7F) return std::string("'") + c + "'";
  static constexpr char kDigits[] = "0123456789ABCDEF";
  return std::string("byte 0x") + kDigits[byte >> 4] + kDigits[byte & 0x0F];
}

}  // namespace

char CsvReader::take() {
  const char c = static_cast<char>(input_.get());
  if (c == '\n' || (c == '\r' && input_.peek() != '\n')) {
    ++line_;
    line_start_ = input_.offset();
  }
  return c;
}

// After a row's \r or \n: takes the \n of a \r\n too.
void CsvReader::takeLineEnd(char first) {
  if (first == '\r' && input_.peek() == '\n') take();
}

std::optional<CsvRow> CsvReader::next() {
  for (;;) {
    const int c = input_.peek();
    if (!started_) {
      // The first peek stepped over a BOM: line 1 starts after it.
      started_ = true;
      line_start_ = input_.offset();
    }
    if (c == ingest::TextInput::kEnd) return std::nullopt;
    if (c != '\n' && c != '\r') break;
    takeLineEnd(take());
    ++blank_lines_;
  }

  CsvRow row;
  row.line = line_;
  row.offset = input_.offset();
  row.fields.emplace_back();
  std::uint64_t row_bytes = 0;  // without the line ending
  bool too_long = false;
  std::uint64_t quote_line = 0;
  std::uint64_t quote_column = 0;
  State state = State::kFieldStart;
  const auto keep = [&](char c, bool in_field) {
    ++row_bytes;
    if (row_bytes > format_.max_record_bytes) {
      too_long = true;
      return;
    }
    row.text += c;
    if (in_field) row.fields.back() += c;
  };
  const auto problem = [&](std::string kind, std::string message) {
    if (!row.problem) row.problem = CsvProblem{std::move(kind), std::move(message)};
  };

  for (bool ended = false; !ended;) {
    if (input_.peek() == ingest::TextInput::kEnd) {
      if (state == State::kQuoted) {
        problem("unclosed_quote", "the quoted field opened at line " + std::to_string(quote_line) + ", column " +
                                      std::to_string(quote_column) +
                                      " is never closed, so the input's end came inside it; a quote inside a quoted "
                                      "field is written as two quotes (\"\")");
      }
      break;
    }
    const std::uint64_t at = input_.offset();
    const std::uint64_t at_column = column(at);
    const std::uint64_t at_line = line_;
    const char c = take();
    switch (state) {
      case State::kFieldStart:
        if (format_.quoting && c == '"') {
          state = State::kQuoted;
          quote_line = at_line;
          quote_column = at_column;
          keep(c, false);
          break;
        }
        [[fallthrough]];
      case State::kUnquoted:
        if (c == format_.delimiter) {
          keep(c, false);
          row.fields.emplace_back();
          state = State::kFieldStart;
        } else if (c == '\n' || c == '\r') {
          takeLineEnd(c);
          ended = true;
        } else {
          keep(c, true);
          state = State::kUnquoted;
        }
        break;
      case State::kQuoted:
        if (c == '"') {
          keep(c, false);
          state = State::kQuoteSeen;
        } else {
          keep(c, true);
        }
        break;
      case State::kQuoteSeen:
        if (c == '"') {
          keep(c, true);
          state = State::kQuoted;
        } else if (c == format_.delimiter) {
          keep(c, false);
          row.fields.emplace_back();
          state = State::kFieldStart;
        } else if (c == '\n' || c == '\r') {
          takeLineEnd(c);
          ended = true;
        } else {
          problem("text_after_quote",
                  shown(c) + " at line " + std::to_string(at_line) + ", column " + std::to_string(at_column) +
                      " follows the closing quote of field " + std::to_string(row.fields.size()) +
                      "; inside a quoted field write a quote as two quotes (\"\"), or quote the whole field");
          keep(c, true);
          state = State::kUnquoted;
        }
        break;
    }
  }
  row.bytes = input_.offset() - row.offset;
  if (too_long) {
    row.problem = CsvProblem{"row_too_long", "the row is " + std::to_string(row_bytes) +
                                                 " bytes long, more than max_record_bytes (" +
                                                 std::to_string(format_.max_record_bytes) +
                                                 "); only its first bytes are kept here. Raise max_record_bytes if "
                                                 "it is a real row, or look for a quote that is never closed"};
    row.fields.clear();
  }
  return row;
}

}  // namespace ajuste::ingest_file
