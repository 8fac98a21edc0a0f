#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ajuste/provenance.hpp"
#include "ajuste/status.hpp"
#include "ingest_common/byte_stream.hpp"

namespace ajuste::ingest_jsonl {

enum class BlankLines { kSkip, kReject };

struct LineFormat {
  BlankLines blank_lines = BlankLines::kSkip;
  std::uint64_t max_line_bytes = std::uint64_t{64} << 20;
};

// What one line became: a text to decode, or a reject found while cutting.
struct JsonlLine {
  Provenance origin;        // file, 1-based line, 0-based index in the file, offset of the line's first byte
  std::string text;         // without its line ending; for line_too_long only its first bytes
  std::string reject_kind;  // empty for a line to decode; line_too_long, blank_line
  std::string reject_reason;
};

// Cuts one (decompressed) JSON Lines input into lines: reads it in large blocks and finds line
// ends with memchr, so a plain file costs one copy of each line and no per-byte call. Holds at
// most one line of max_line_bytes (+1) bytes whatever the input. A UTF-8 BOM at the start of the
// input is dropped from line 1 (offsets still count it); a "\r\n" ending loses its '\r'.
// Line numbers count every line, blank ones included; indexes count the lines handed out.
class LineReader {
 public:
  static constexpr std::size_t kDefaultBufferBytes = std::size_t{1} << 20;

  // `name` is how provenance and messages call the input.
  LineReader(std::unique_ptr<ingest::ByteStream> stream, std::string name, LineFormat format,
             std::size_t buffer_bytes = kDefaultBufferBytes);

  // Fills `out` with the next line that is a record or a reject and returns true, or returns
  // false at the end of the input. An error (the input cannot be read or decompressed) is final.
  [[nodiscard]] Result<bool> next(JsonlLine& out);

  [[nodiscard]] std::uint64_t blankLinesSkipped() const { return blank_lines_skipped_; }
  // Bytes taken from the file on disk (compressed bytes for a compressed input): for progress.
  [[nodiscard]] std::uint64_t consumed() const { return stream_->consumed(); }
  [[nodiscard]] const std::string& name() const { return name_; }

 private:
  [[nodiscard]] Status fill();
  void append(const char* data, std::size_t size);
  [[nodiscard]] bool completeLine(JsonlLine& out);
  [[nodiscard]] bool hasPendingLine() const { return line_bytes_ > 0; }

  std::unique_ptr<ingest::ByteStream> stream_;
  const std::string name_;
  const LineFormat format_;

  std::vector<char> buffer_;
  std::size_t buffer_pos_ = 0;  // next unread byte in buffer_
  std::size_t buffer_end_ = 0;  // bytes valid in buffer_
  bool eof_ = false;
  std::uint64_t offset_ = 0;  // input offset of buffer_[buffer_pos_]

  // The line being assembled: at most max_line_bytes + 1 bytes are kept (room for a '\r').
  std::string line_;
  std::uint64_t line_bytes_ = 0;  // its full length so far, kept or not
  std::uint64_t line_start_ = 0;  // input offset of its first byte
  char line_last_byte_ = 0;

  std::uint64_t line_number_ = 0;  // of the last completed line
  std::uint64_t next_index_ = 0;
  std::uint64_t blank_lines_skipped_ = 0;
  Status error_;  // the input's error, returned by every call after it
};

}  // namespace ajuste::ingest_jsonl
