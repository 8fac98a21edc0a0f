#include "memory_budget.hpp"

namespace ajuste::clean_dedupe {

Status MemoryBudget::reserve(std::size_t bytes, const std::string& what) {
  if (bytes > limit_ - used_) {
    constexpr std::size_t kMiB = 1024 * 1024;
    return Status::dataError(
        "clean/dedupe needs more than memory_mb=" + std::to_string(limit_ / kMiB) + " MiB: " + what + " (" +
        std::to_string(used_ / kMiB) + " MiB in use, " + std::to_string((bytes + kMiB - 1) / kMiB) +
        " MiB more needed). Raise memory_mb (see the plugin README for the bytes per distinct record), or "
        "shard the input (e.g. by a hash of the text) so that each shard fits; duplicates are never skipped "
        "silently");
  }
  used_ += bytes;
  if (used_ > peak_) peak_ = used_;
  return Status::ok();
}

}  // namespace ajuste::clean_dedupe
