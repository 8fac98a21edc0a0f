#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/batch.hpp"
#include "ajuste/context.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"

namespace ajuste::ingest_jsonl {

enum class BlankLines { kSkip, kReject };

struct JsonlOptions {
  std::string path;  // as the user wrote it: it names the source in every provenance
  BlankLines blank_lines = BlankLines::kSkip;
  std::uint64_t max_line_bytes = std::uint64_t{64} << 20;
  // Not a user option: the fixed read buffer. Tests shrink it so lines cross refills.
  std::size_t read_buffer_bytes = std::size_t{1} << 20;
};

// An open file descriptor, closed on destruction.
class FileHandle {
 public:
  FileHandle() = default;
  explicit FileHandle(int fd) : fd_(fd) {}
  ~FileHandle();
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  FileHandle(FileHandle&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileHandle& operator=(FileHandle&& other) noexcept;
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_ = -1;
};

// ingest/jsonl: one record per non-blank line of a JSON Lines file.
//
// `read` (serial) streams the file through a fixed buffer and cuts it into lines, never
// holding more than one line of at most `max_line_bytes`; `decode` (parallel, no state shared
// between batches) checks UTF-8, parses the JSON and keeps only objects. Decoding parses with
// simdjson and builds the nlohmann value from its DOM (about four times faster than
// nlohmann::json::parse); any line simdjson refuses, or that needs nlohmann's own reading (a
// negative zero integer), goes through the UTF-8 check and nlohmann::json::parse as before, so
// values, rejects and their messages are exactly nlohmann's.
// Provenance: line is 1-based and counts every line of the file; index is 0-based and counts
// the lines that became a record or a reject (skipped blank lines do not); byte_offset is where
// the line's text starts (after a UTF-8 BOM on line 1).
class JsonlSource final : public SourceStage {
 public:
  [[nodiscard]] static const StageInfo& info();
  // Opens the file now, so a wrong path fails before any stage runs.
  [[nodiscard]] static Result<std::unique_ptr<JsonlSource>> open(JsonlOptions options,
                                                                 const std::filesystem::path& resolved);

  ~JsonlSource() override;
  JsonlSource(const JsonlSource&) = delete;
  JsonlSource& operator=(const JsonlSource&) = delete;

  [[nodiscard]] Result<bool> read(Batch& batch, Context& ctx) override;
  [[nodiscard]] Status decode(Batch& batch, Context& ctx) override;

 private:
  class FastParser;  // simdjson, kept out of this header

  JsonlSource(JsonlOptions options, std::filesystem::path resolved, FileHandle file, std::uint64_t file_size);

  [[nodiscard]] Status fill();
  void append(const char* data, std::size_t size);
  void completeLine(Batch& batch, Context& ctx);
  [[nodiscard]] bool hasPendingLine() const { return line_bytes_ > 0; }

  const JsonlOptions options_;
  const std::filesystem::path resolved_;
  FileHandle file_;
  const std::uint64_t file_size_;  // 0 when unknown (a pipe)

  std::vector<char> buffer_;
  std::size_t buffer_pos_ = 0;  // next unread byte in buffer_
  std::size_t buffer_end_ = 0;  // bytes valid in buffer_
  bool eof_ = false;
  std::uint64_t offset_ = 0;  // file offset of buffer_[buffer_pos_]

  // The line being assembled: at most max_line_bytes + 1 bytes are kept (room for a '\r').
  std::string line_;
  std::uint64_t line_bytes_ = 0;  // its full length so far, kept or not
  std::uint64_t line_start_ = 0;  // file offset of its first byte
  char line_last_byte_ = 0;

  std::uint64_t line_number_ = 0;  // of the last completed line
  std::uint64_t next_index_ = 0;

  // Used by decode only (one instance per worker, so never by two threads at once).
  std::unique_ptr<FastParser> parser_;
};

}  // namespace ajuste::ingest_jsonl
