#include "line_reader.hpp"

#include <cstring>
#include <string_view>
#include <utility>

#include "ingest_common/utf8.hpp"
#include "line_decoder.hpp"

namespace ajuste::ingest_jsonl {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// How much of an over-long line is kept in the reject, so the rejects file stays small.
constexpr std::size_t kQuotedPrefixBytes = 256;

bool isBlank(std::string_view text) {
  for (const char c : text) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

LineReader::LineReader(std::unique_ptr<ingest::ByteStream> stream, std::string name, LineFormat format,
                       std::size_t buffer_bytes)
    : stream_(std::move(stream)), name_(std::move(name)), format_(format), buffer_(buffer_bytes == 0 ? 1 : buffer_bytes) {}

Status LineReader::fill() {
  auto got = stream_->read(buffer_.data(), buffer_.size());
  if (!got.ok()) {
    error_ = got.error();
    return error_;
  }
  buffer_pos_ = 0;
  buffer_end_ = *got;
  eof_ = *got == 0;
  return Status::ok();
}

void LineReader::append(const char* data, std::size_t size) {
  if (size == 0) return;
  // Keep one byte beyond the limit: it may be the '\r' of a "\r\n" ending.
  const std::uint64_t keep_limit = format_.max_line_bytes + 1;
  if (line_.size() < keep_limit) {
    const std::uint64_t room = keep_limit - line_.size();
    line_.append(data, static_cast<std::size_t>(room < size ? room : size));
  }
  line_bytes_ += size;
  line_last_byte_ = data[size - 1];
}

Result<bool> LineReader::next(JsonlLine& out) {
  // After an error the line being assembled is incomplete: never hand it out.
  if (!error_.isOk()) return error_;
  for (;;) {
    if (buffer_pos_ == buffer_end_) {
      if (eof_) {
        // The last line has no '\n'; once completed, nothing is pending and the next call ends.
        if (hasPendingLine() && completeLine(out)) return true;
        return false;
      }
      if (Status status = fill(); !status.isOk()) return status;
      continue;
    }
    const char* begin = buffer_.data() + buffer_pos_;
    const std::size_t available = buffer_end_ - buffer_pos_;
    const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', available));
    const std::size_t length = newline != nullptr ? static_cast<std::size_t>(newline - begin) : available;
    // A line that ends in this buffer gets its one allocation here, with the parser's padding.
    if (newline != nullptr && !hasPendingLine() && length <= format_.max_line_bytes) line_.reserve(length + kLinePadding);
    append(begin, length);
    buffer_pos_ += length;
    offset_ += length;
    if (newline != nullptr) {
      ++buffer_pos_;
      ++offset_;
      // A blank line skipped here is neither a record nor a reject: keep cutting.
      if (completeLine(out)) return true;
    }
  }
}

bool LineReader::completeLine(JsonlLine& out) {
  ++line_number_;
  std::string text = std::exchange(line_, std::string());
  std::uint64_t length = std::exchange(line_bytes_, 0);
  std::uint64_t start = line_start_;
  line_start_ = offset_;
  if (line_last_byte_ == '\r' && length > 0) {
    if (text.size() == length) text.pop_back();
    --length;
  }
  line_last_byte_ = 0;
  if (line_number_ == 1 && std::string_view(text).starts_with(kBom)) {
    text.erase(0, kBom.size());
    length -= kBom.size();
    start += kBom.size();
  }

  if (text.capacity() - text.size() < kLinePadding && length <= format_.max_line_bytes) {
    text.reserve(text.size() + kLinePadding);  // a line that crossed a buffer refill
  }
  const bool blank = length <= format_.max_line_bytes && isBlank(text);
  if (blank && format_.blank_lines == BlankLines::kSkip) {
    ++blank_lines_skipped_;
    return false;
  }
  out.origin = Provenance{name_, line_number_, next_index_++, start};
  out.reject_kind.clear();
  out.reject_reason.clear();
  if (length > format_.max_line_bytes) {
    out.text = std::string(ingest::utf8Prefix(text, kQuotedPrefixBytes));
    out.reject_kind = "line_too_long";
    out.reject_reason = "line is " + std::to_string(length) + " bytes long, more than max_line_bytes (" +
                        std::to_string(format_.max_line_bytes) +
                        "); only its first bytes are kept here. Raise max_line_bytes if the line is a real example, "
                        "or check that the file really has one JSON object per line";
    return true;
  }
  if (blank) {
    out.reject_kind = "blank_line";
    out.reject_reason = "blank line; remove it or set blank_lines: skip to ignore blank lines";
  }
  out.text = std::move(text);
  return true;
}

}  // namespace ajuste::ingest_jsonl
