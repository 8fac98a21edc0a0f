#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "ajuste/status.hpp"
#include "ingest_common/byte_stream.hpp"

namespace ajuste::ingest {

// Byte-at-a-time access to one (decompressed) input through a fixed buffer, for the format
// parsers. A UTF-8 byte order mark at the very start is skipped; offsets still count it, so
// they are true positions in the decompressed data.
//
// An input error ends the input: get() returns kEnd from then on, and status() says why. A
// parser that sees kEnd must check status() before treating it as the end of the data.
class TextInput {
 public:
  static constexpr int kEnd = -1;
  static constexpr std::size_t kDefaultBufferBytes = std::size_t{1} << 20;

  explicit TextInput(std::unique_ptr<ByteStream> stream, std::size_t buffer_bytes = kDefaultBufferBytes);

  // The next byte (0..255), or kEnd.
  int get() {
    if (position_ == end_ && !refill()) return kEnd;
    ++offset_;
    return static_cast<unsigned char>(buffer_[position_++]);
  }
  // The byte get() would return, without taking it.
  int peek() {
    if (position_ == end_ && !refill()) return kEnd;
    return static_cast<unsigned char>(buffer_[position_]);
  }

  // Offset of the next byte in the decompressed input (the BOM counts).
  [[nodiscard]] std::uint64_t offset() const { return offset_; }
  [[nodiscard]] bool hadBom() const { return had_bom_; }
  [[nodiscard]] const Status& status() const { return status_; }
  // Bytes taken from the file on disk: for progress.
  [[nodiscard]] std::uint64_t consumed() const { return stream_->consumed(); }

 private:
  bool refill();
  void skipBom();

  std::unique_ptr<ByteStream> stream_;
  std::vector<char> buffer_;
  std::size_t position_ = 0;
  std::size_t end_ = 0;
  std::uint64_t offset_ = 0;
  bool ended_ = false;
  bool started_ = false;
  bool had_bom_ = false;
  Status status_;
};

}  // namespace ajuste::ingest
