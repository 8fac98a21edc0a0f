#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>

#include "ajuste/status.hpp"

namespace ajuste::ingest {

// Bytes read front to back: a file, a decompressor over another stream, or memory.
// An error is final: the stream returns no more bytes after it, and its message names the input
// and the position, so a caller can pass it on unchanged.
class ByteStream {
 public:
  ByteStream() = default;
  virtual ~ByteStream() = default;
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;

  // Reads up to `capacity` (> 0) bytes into `out`; 0 means the input has ended.
  [[nodiscard]] virtual Result<std::size_t> read(char* out, std::size_t capacity) = 0;
  // Bytes taken from the file on disk so far (compressed bytes under a decompressor): the
  // numerator of a source's progress, whose denominator is the file's size.
  [[nodiscard]] virtual std::uint64_t consumed() const = 0;
};

// A file opened for reading; the descriptor is closed with the stream.
class FileStream final : public ByteStream {
 public:
  // `name` is how messages call the file (the path as the user wrote it).
  [[nodiscard]] static Result<std::unique_ptr<FileStream>> open(const std::filesystem::path& path, std::string name);
  ~FileStream() override;

  [[nodiscard]] Result<std::size_t> read(char* out, std::size_t capacity) override;
  [[nodiscard]] std::uint64_t consumed() const override { return consumed_; }

 private:
  FileStream(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}

  int fd_;
  std::string name_;
  std::uint64_t consumed_ = 0;
};

// Bytes held in memory, handed out at most `chunk` at a time: tests and fuzzers use small
// chunks so that every buffer boundary of the readers above gets crossed.
class MemoryStream final : public ByteStream {
 public:
  explicit MemoryStream(std::string bytes, std::size_t chunk = std::numeric_limits<std::size_t>::max())
      : bytes_(std::move(bytes)), chunk_(chunk == 0 ? 1 : chunk) {}

  [[nodiscard]] Result<std::size_t> read(char* out, std::size_t capacity) override;
  [[nodiscard]] std::uint64_t consumed() const override { return position_; }

 private:
  std::string bytes_;
  std::size_t chunk_;
  std::size_t position_ = 0;
};

// Replays `head` (bytes already taken from `rest` to look at them), then continues with `rest`:
// how compression is detected from magic bytes without seeking, so pipes work too.
class ReplayStream final : public ByteStream {
 public:
  ReplayStream(std::string head, std::unique_ptr<ByteStream> rest) : head_(std::move(head)), rest_(std::move(rest)) {}

  [[nodiscard]] Result<std::size_t> read(char* out, std::size_t capacity) override;
  [[nodiscard]] std::uint64_t consumed() const override { return rest_->consumed(); }

 private:
  std::string head_;
  std::size_t head_position_ = 0;
  std::unique_ptr<ByteStream> rest_;
};

}  // namespace ajuste::ingest
