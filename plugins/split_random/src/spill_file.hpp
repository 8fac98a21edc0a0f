#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string_view>
#include <vector>

#include "ajuste/status.hpp"

namespace ajuste::split_random {

// Where one batch's lines are in the spill file.
struct SpillRegion {
  std::uint64_t offset = 0;
  std::uint64_t bytes = 0;
  bool operator==(const SpillRegion&) const = default;
};

// The split's temporary file. The runner's workers append each batch's lines (`append`, from
// split/random's const `prepare`, concurrently) at an offset reserved for them, so the copy into
// the page cache is spread over the cores instead of loading the sink's one thread; the sink
// notes the regions in input order, and the final pass reads them back in that order
// (`Reader`). Created on the first append; removed by `remove()` and on destruction.
class SpillFile {
 public:
  explicit SpillFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~SpillFile() { remove(); }
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Thread-safe.
  [[nodiscard]] Result<SpillRegion> append(std::string_view bytes) const;
  void remove();
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  // Reads the noted regions back to back, in the order given, once: what it has read is punched
  // out of the file, so the page cache it held is free for the output files the final pass
  // writes from it (the run needs the memory of one copy of the data, not two) and a spill that
  // is still dirty is not written back to disk for nothing.
  class Reader {
   public:
    Reader(const SpillFile& file, const std::vector<SpillRegion>& regions) : file_(file), regions_(regions) {}
    // Up to `max` next bytes into `into`; 0 at the end. An I/O error is kept in `status()`.
    std::size_t read(char* into, std::size_t max);
    [[nodiscard]] const Status& status() const { return status_; }

   private:
    const SpillFile& file_;
    const std::vector<SpillRegion>& regions_;
    std::size_t region_ = 0;
    std::uint64_t done_ = 0;  // bytes of the current region read
    Status status_;
  };

 private:
  const std::filesystem::path path_;
  mutable std::mutex open_mutex_;
  mutable int fd_ = -1;
  mutable std::atomic<std::uint64_t> end_{0};
};

}  // namespace ajuste::split_random
