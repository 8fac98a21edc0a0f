#include "ingest_common/byte_stream.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace ajuste::ingest {
namespace {

std::string osReason(int error) { return std::error_code(error, std::generic_category()).message(); }

}  // namespace

Result<std::unique_ptr<FileStream>> FileStream::open(const std::filesystem::path& path, std::string name) {
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int error = errno;
    return Status::ioError("cannot open input file '" + name + "': " + osReason(error) +
                           (error == EACCES ? "; make the file readable by the user running ajuste" : ""));
  }
  return std::unique_ptr<FileStream>(new FileStream(fd, std::move(name)));
}

FileStream::~FileStream() { ::close(fd_); }

Result<std::size_t> FileStream::read(char* out, std::size_t capacity) {
  ssize_t got = 0;
  do {
    got = ::read(fd_, out, capacity);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    return Status::ioError("cannot read input file '" + name_ + "' at byte " + std::to_string(consumed_) + ": " +
                           osReason(errno));
  }
  consumed_ += static_cast<std::uint64_t>(got);
  return static_cast<std::size_t>(got);
}

Result<std::size_t> MemoryStream::read(char* out, std::size_t capacity) {
  const std::size_t count = std::min({capacity, chunk_, bytes_.size() - position_});
  std::memcpy(out, bytes_.data() + position_, count);
  position_ += count;
  return count;
}

Result<std::size_t> ReplayStream::read(char* out, std::size_t capacity) {
  if (head_position_ < head_.size()) {
    const std::size_t count = std::min(capacity, head_.size() - head_position_);
    std::memcpy(out, head_.data() + head_position_, count);
    head_position_ += count;
    return count;
  }
  return rest_->read(out, capacity);
}

}  // namespace ajuste::ingest
