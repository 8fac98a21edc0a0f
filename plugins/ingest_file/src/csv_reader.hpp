#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ingest_common/text_input.hpp"

namespace ajuste::ingest_file {

struct CsvFormat {
  char delimiter = ',';
  bool quoting = true;  // RFC 4180 quotes; false: '"' is an ordinary character (IANA TSV)
  std::uint64_t max_record_bytes = std::uint64_t{64} << 20;
};

// Why a row cannot become a record.
struct CsvProblem {
  std::string kind;     // unclosed_quote, text_after_quote, row_too_long
  std::string message;  // names line and column
};

struct CsvRow {
  std::vector<std::string> fields;
  std::string text;            // the row as written, without its line ending (cut after max_record_bytes)
  std::uint64_t line = 0;      // 1-based line where the row starts
  std::uint64_t offset = 0;    // offset of its first byte in the (decompressed) input
  std::uint64_t bytes = 0;     // its length, line ending included
  std::optional<CsvProblem> problem;
};

// Cuts an input into RFC 4180 rows, streaming: one row is held at a time, and at most
// max_record_bytes of it (a longer row is read to its end, not kept, and has a problem).
//
// - Fields are separated by the delimiter; a row ends at \r\n, \n or a lone \r.
// - A field that starts with '"' is quoted: it may hold delimiters, quotes (written "") and line
//   breaks (kept as written). After its closing quote only a delimiter or a line end may follow;
//   anything else is a `text_after_quote` problem (the text is kept, the row read to its end).
//   A quote that is never closed makes the rest of the input one row (`unclosed_quote`).
// - A '"' inside an unquoted field is an ordinary character, and spaces are never trimmed.
// - Empty lines are skipped (counted by blankLines()); they are not rows.
// Lines are counted as \r\n, \n or a lone \r, inside quoted fields too.
class CsvReader {
 public:
  CsvReader(ingest::TextInput& input, CsvFormat format) : input_(input), format_(format) {}

  // The next row, or nullopt at the end of the input (then check the input's status()).
  [[nodiscard]] std::optional<CsvRow> next();

  [[nodiscard]] std::uint64_t blankLines() const { return blank_lines_; }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteSeen };

  // Takes one byte (known not to be kEnd) and keeps the line count.
  char take();
  void takeLineEnd(char first);
  [[nodiscard]] std::uint64_t column(std::uint64_t offset) const { return offset - line_start_ + 1; }

  ingest::TextInput& input_;
  const CsvFormat format_;
  std::uint64_t line_ = 1;
  std::uint64_t line_start_ = 0;  // offset where the current line starts
  std::uint64_t blank_lines_ = 0;
  bool started_ = false;
};

}  // namespace ajuste::ingest_file
