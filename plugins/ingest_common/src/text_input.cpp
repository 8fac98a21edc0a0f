#include "ingest_common/text_input.hpp"

#include <algorithm>
#include <string_view>

namespace ajuste::ingest {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// Room for the BOM check at the first fill.
constexpr std::size_t kMinimumBufferBytes = 4;

}  // namespace

TextInput::TextInput(std::unique_ptr<ByteStream> stream, std::size_t buffer_bytes)
    : stream_(std::move(stream)), buffer_(std::max(buffer_bytes, kMinimumBufferBytes)) {}

bool TextInput::refill() {
  if (ended_) return false;
  if (!started_) {
    started_ = true;
    skipBom();
    if (position_ < end_) return true;
    if (ended_) return false;
  }
  auto got = stream_->read(buffer_.data(), buffer_.size());
  if (!got.ok()) {
    status_ = got.error();
    ended_ = true;
    return false;
  }
  position_ = 0;
  end_ = *got;
  if (end_ == 0) ended_ = true;
  return end_ > 0;
}

// The first fill: read until three bytes are there (streams may hand out one byte at a time),
// then step over a BOM.
void TextInput::skipBom() {
  while (end_ < kBom.size()) {
    auto got = stream_->read(buffer_.data() + end_, buffer_.size() - end_);
    if (!got.ok()) {
      status_ = got.error();
      ended_ = true;
      return;
    }
    if (*got == 0) {
      if (end_ == 0) ended_ = true;
      break;
    }
    end_ += *got;
  }
  if (std::string_view(buffer_.data(), end_).starts_with(kBom)) {
    position_ = kBom.size();
    offset_ = kBom.size();
    had_bom_ = true;
  }
}

}  // namespace ajuste::ingest
