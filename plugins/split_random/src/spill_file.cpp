#include "spill_file.hpp"

#include <cerrno>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace ajuste::split_random {
namespace {

std::string reason(int error) { return std::error_code(error, std::generic_category()).message(); }

}  // namespace

Result<SpillRegion> SpillFile::append(std::string_view bytes) const {
  int fd = -1;
  {
    const std::lock_guard lock(open_mutex_);
    if (fd_ < 0) {
      std::error_code ignored;
      if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ignored);
      fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd_ < 0) {
        return Status::ioError("cannot create the temporary split file '" + path_.string() + "': " + reason(errno) +
                               "; check that the run folder is writable");
      }
    }
    fd = fd_;
  }
  const SpillRegion region{end_.fetch_add(bytes.size()), bytes.size()};
  for (std::size_t written = 0; written < bytes.size();) {
    const ssize_t n = ::pwrite(fd, bytes.data() + written, bytes.size() - written,
                               static_cast<off_t>(region.offset + written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return Status::ioError("cannot write the temporary split file '" + path_.string() + "': " +
                             reason(n < 0 ? errno : ENOSPC) + "; check the free disk space of the run folder");
    }
    written += static_cast<std::size_t>(n);
  }
  return region;
}

void SpillFile::remove() {
  const std::lock_guard lock(open_mutex_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

std::size_t SpillFile::Reader::read(char* into, std::size_t max) {
  while (region_ < regions_.size() && done_ == regions_[region_].bytes) {
    ++region_;
    done_ = 0;
  }
  if (region_ == regions_.size() || !status_.isOk()) return 0;
  const SpillRegion& region = regions_[region_];
  const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(max, region.bytes - done_));
  ssize_t n = -1;
  do {
    n = ::pread(file_.fd_, into, want, static_cast<off_t>(region.offset + done_));
  } while (n < 0 && errno == EINTR);
  if (n <= 0) {
    status_ = Status::ioError("cannot read the temporary split file '" + file_.path_.string() + "': " +
                              (n < 0 ? reason(errno) : std::string("it is shorter than what was written to it")));
    return 0;
  }
  // Best effort: a file system without hole punching keeps the pages until remove().
  (void)::fallocate(file_.fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(region.offset + done_),
                    static_cast<off_t>(n));
  done_ += static_cast<std::uint64_t>(n);
  return static_cast<std::size_t>(n);
}

}  // namespace ajuste::split_random
