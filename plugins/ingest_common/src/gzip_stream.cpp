#include <climits>
#include <cstdint>
#include <vector>

#include <zlib.h>

#include "ingest_common/decompress.hpp"

namespace ajuste::ingest {
namespace {

constexpr std::size_t kInputBytes = std::size_t{64} << 10;

// zlib through its streaming API: the compressed input is read 64 KiB at a time and inflated
// straight into the caller's buffer.
class GzipStream final : public ByteStream {
 public:
  GzipStream(std::unique_ptr<ByteStream> compressed, std::string name)
      : compressed_(std::move(compressed)), name_(std::move(name)), input_(kInputBytes) {
    // 15 + 16: a 32 KiB window, gzip framing only (the magic bytes said gzip).
    initialised_ = inflateInit2(&stream_, 15 + 16) == Z_OK;
  }
  ~GzipStream() override {
    if (initialised_) inflateEnd(&stream_);
  }

  [[nodiscard]] Result<std::size_t> read(char* out, std::size_t capacity) override {
    if (!initialised_) return fail("zlib could not be initialised (out of memory?)");
    if (!error_.isOk()) return error_;
    const uInt room = capacity > UINT_MAX ? UINT_MAX : static_cast<uInt>(capacity);
    for (;;) {
      if (stream_.avail_in == 0 && !input_ended_) {
        auto got = compressed_->read(reinterpret_cast<char*>(input_.data()), input_.size());
        if (!got.ok()) return error_ = got.error();
        if (*got == 0) {
          input_ended_ = true;
        } else {
          stream_.next_in = input_.data();
          stream_.avail_in = static_cast<uInt>(*got);
        }
      }
      const uInt available_before = stream_.avail_in;
      const bool member_starting = !member_open_;
      stream_.next_out = reinterpret_cast<Bytef*>(out);
      stream_.avail_out = room;
      const int result = inflate(&stream_, Z_NO_FLUSH);
      const std::size_t produced = room - stream_.avail_out;
      if (stream_.avail_in != available_before) member_open_ = true;
      if (result == Z_STREAM_END) {
        // One member ended; `cat a.gz b.gz` makes a valid file of two, so read on.
        member_open_ = false;
        ++members_;
        inflateReset(&stream_);
      } else if (result == Z_DATA_ERROR || result == Z_NEED_DICT || result == Z_MEM_ERROR ||
                 result == Z_STREAM_ERROR) {
        const std::string what = stream_.msg != nullptr ? stream_.msg : "error " + std::to_string(result);
        if (members_ > 0 && member_starting) {
          return fail("unexpected bytes after the end of the gzip data (" + what + ")");
        }
        return fail("corrupt gzip data (" + what + ")");
      }
      if (produced > 0) return produced;
      if (stream_.avail_in == 0 && input_ended_) {
        if (member_open_) return fail("the gzip data ends early: the file is truncated");
        return std::size_t{0};
      }
    }
  }
  [[nodiscard]] std::uint64_t consumed() const override { return compressed_->consumed(); }

 private:
  Status fail(const std::string& what) {
    const std::uint64_t position = compressed_->consumed() - stream_.avail_in;
    error_ = Status::dataError("cannot decompress '" + name_ + "' at compressed byte " + std::to_string(position) +
                               ": " + what);
    return error_;
  }

  std::unique_ptr<ByteStream> compressed_;
  std::string name_;
  std::vector<Bytef> input_;
  z_stream stream_{};
  bool initialised_ = false;
  bool input_ended_ = false;
  bool member_open_ = false;  // input of the current member was fed, and its end not seen yet
  std::uint64_t members_ = 0;
  Status error_;
};

}  // namespace

std::unique_ptr<ByteStream> gunzipStream(std::unique_ptr<ByteStream> compressed, std::string name) {
  return std::make_unique<GzipStream>(std::move(compressed), std::move(name));
}

}  // namespace ajuste::ingest
