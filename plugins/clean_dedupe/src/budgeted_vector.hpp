#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ajuste/status.hpp"

#include "memory_budget.hpp"

namespace ajuste::clean_dedupe {

// A std::vector whose capacity is charged to a MemoryBudget before it is allocated (old and
// new buffers both count while the vector reallocates, as they are both alive then).
template <class T>
class BudgetedVector {
 public:
  BudgetedVector(MemoryBudget& budget, std::string what) : budget_(&budget), what_(std::move(what)) {}
  ~BudgetedVector() { budget_->release(items_.capacity() * sizeof(T)); }
  BudgetedVector(const BudgetedVector&) = delete;
  BudgetedVector& operator=(const BudgetedVector&) = delete;

  // Makes room for `count` more items.
  [[nodiscard]] Status ensureRoom(std::size_t count) {
    if (items_.size() + count <= items_.capacity()) return Status::ok();
    std::size_t capacity = items_.capacity() == 0 ? 4096 : items_.capacity() * 2;
    while (capacity < items_.size() + count) capacity *= 2;
    if (Status reserved = budget_->reserve(capacity * sizeof(T), what_); !reserved.isOk()) return reserved;
    const std::size_t old_bytes = items_.capacity() * sizeof(T);
    items_.reserve(capacity);
    budget_->release(old_bytes);
    return Status::ok();
  }

  // Only after ensureRoom: never reallocates behind the budget's back.
  void push_back(const T& item) { items_.push_back(item); }  // NOLINT: std-like name
  [[nodiscard]] std::size_t size() const { return items_.size(); }
  [[nodiscard]] const T* data() const { return items_.data(); }
  T& operator[](std::size_t i) { return items_[i]; }
  const T& operator[](std::size_t i) const { return items_[i]; }

 private:
  MemoryBudget* budget_;
  std::string what_;
  std::vector<T> items_;
};

}  // namespace ajuste::clean_dedupe
