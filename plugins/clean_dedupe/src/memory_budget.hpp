#pragma once

#include <cstddef>
#include <string>

#include "ajuste/status.hpp"

namespace ajuste::clean_dedupe {

// The stage's share of memory (`memory_mb`), shared by the exact and the near-duplicate
// indexes. Structures reserve before they allocate, so the stage fails with a clear message
// instead of growing past what the user allowed; dedupe is never silently skipped.
class MemoryBudget {
 public:
  explicit MemoryBudget(std::size_t limit_bytes) : limit_(limit_bytes) {}

  // Reserves `bytes` more, or explains what does not fit (`what` names the structure).
  [[nodiscard]] Status reserve(std::size_t bytes, const std::string& what);
  void release(std::size_t bytes) { used_ -= bytes < used_ ? bytes : used_; }

  [[nodiscard]] std::size_t used() const { return used_; }
  [[nodiscard]] std::size_t peak() const { return peak_; }
  [[nodiscard]] std::size_t limit() const { return limit_; }

 private:
  std::size_t limit_;
  std::size_t used_ = 0;
  std::size_t peak_ = 0;
};

}  // namespace ajuste::clean_dedupe
