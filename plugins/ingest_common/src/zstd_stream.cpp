#include <cstdint>
#include <vector>

#include <zstd.h>
#include <zstd_errors.h>

#include "ingest_common/decompress.hpp"

namespace ajuste::ingest {
namespace {

// libzstd's streaming API: ZSTD_DStreamInSize() bytes of input at a time, decompressed straight
// into the caller's buffer. Frames follow each other as one stream (`zstd -c a b`).
class ZstdStream final : public ByteStream {
 public:
  ZstdStream(std::unique_ptr<ByteStream> compressed, std::string name)
      : compressed_(std::move(compressed)), name_(std::move(name)), input_(ZSTD_DStreamInSize()),
        stream_(ZSTD_createDStream()) {}
  ~ZstdStream() override { ZSTD_freeDStream(stream_); }

  [[nodiscard]] Result<std::size_t> read(char* out, std::size_t capacity) override {
    if (stream_ == nullptr) return fail("zstd could not be initialised (out of memory?)");
    if (!error_.isOk()) return error_;
    for (;;) {
      if (in_.pos == in_.size && !input_ended_) {
        auto got = compressed_->read(input_.data(), input_.size());
        if (!got.ok()) return error_ = got.error();
        if (*got == 0) {
          input_ended_ = true;
        } else {
          in_ = ZSTD_inBuffer{input_.data(), *got, 0};
        }
      }
      const std::size_t position_before = in_.pos;
      ZSTD_outBuffer output{out, capacity, 0};
      const std::size_t result = ZSTD_decompressStream(stream_, &output, &in_);
      if (ZSTD_isError(result) != 0) {
        const std::string what = ZSTD_getErrorName(result);
        if (ZSTD_getErrorCode(result) == ZSTD_error_frameParameter_windowTooLarge) {
          return fail(what + "; it was compressed with a window over 128 MiB (zstd --long); recompress it without --long");
        }
        return fail("corrupt zstd data (" + what + ")");
      }
      // 0 = a frame ended and all its output was handed out; otherwise more input is needed or
      // output is pending. Feeding no input after a frame ended leaves the frame state alone.
      if (result == 0) {
        frame_open_ = false;
      } else if (in_.pos != position_before) {
        frame_open_ = true;
      }
      if (output.pos > 0) return output.pos;
      if (in_.pos == in_.size && input_ended_) {
        if (frame_open_) return fail("the zstd data ends early: the file is truncated");
        return std::size_t{0};
      }
    }
  }
  [[nodiscard]] std::uint64_t consumed() const override { return compressed_->consumed(); }

 private:
  Status fail(const std::string& what) {
    const std::uint64_t position = compressed_->consumed() - (in_.size - in_.pos);
    error_ = Status::dataError("cannot decompress '" + name_ + "' at compressed byte " + std::to_string(position) +
                               ": " + what);
    return error_;
  }

  std::unique_ptr<ByteStream> compressed_;
  std::string name_;
  std::vector<char> input_;
  ZSTD_DStream* stream_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  bool input_ended_ = false;
  bool frame_open_ = false;
  Status error_;
};

}  // namespace

std::unique_ptr<ByteStream> unzstdStream(std::unique_ptr<ByteStream> compressed, std::string name) {
  return std::make_unique<ZstdStream>(std::move(compressed), std::move(name));
}

}  // namespace ajuste::ingest
