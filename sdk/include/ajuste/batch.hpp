#pragma once

#include <cassert>
#include <cstddef>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "ajuste/record.hpp"

namespace ajuste {

// A bounded group of records handed to a stage. A stage keeps, edits or rejects records in
// place; it never erases them itself, so the engine can account for every record it read.
// Iteration visits only live (not rejected) records, in input order.
class Batch {
 public:
  Batch() = default;
  explicit Batch(std::size_t capacity) : capacity_(capacity) { records_.reserve(capacity); }

  // Sources stop filling a batch when `full()`; other stages may ignore the capacity.
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  [[nodiscard]] bool full() const { return records_.size() + rejects_.size() >= capacity_; }

  // Appends a record (sources, and stages that emit records from `finish`).
  Record& add(Record record) {
    records_.push_back(std::move(record));
    dead_.push_back(false);
    ++live_;
    return records_.back();
  }

  // Takes `record` (which must belong to this batch) out of the chain with a reason the user
  // will read next to its provenance: say what is wrong and, when it helps, how to fix it.
  // `kind` is a short stable key ("invalid_json", "unknown_role") that summaries count by;
  // empty means the stage's name.
  void reject(Record& record, std::string reason, std::string kind = {}) {
    const auto position = static_cast<std::size_t>(&record - records_.data());
    assert(position < records_.size() && "Batch::reject: record does not belong to this batch");
    if (dead_[position]) return;
    dead_[position] = true;
    --live_;
    // A record held as text is reported with its value, as any other (its text is valid JSON:
    // the stage that made it text only checked it).
    if (isTextOnly(record)) ensureValue(record);
    rejects_.push_back(
        Reject{record.origin, std::move(reason), std::move(kind), std::move(record.value), std::move(record.raw)});
  }

  // For sources: input that never became a record (a line that is not JSON, invalid UTF-8).
  // It still counts as read, so it must be accounted for here.
  void rejectInput(Provenance origin, std::string reason, std::string raw, std::string kind = {}) {
    rejects_.push_back(Reject{std::move(origin), std::move(reason), std::move(kind), nullptr, std::move(raw)});
  }

  [[nodiscard]] std::size_t size() const { return live_; }
  [[nodiscard]] bool empty() const { return live_ == 0; }
  [[nodiscard]] const std::vector<Reject>& rejects() const { return rejects_; }

  template <class RecordT, class BatchT>
  class BasicIterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Record;
    using difference_type = std::ptrdiff_t;
    using pointer = RecordT*;
    using reference = RecordT&;

    BasicIterator() = default;
    BasicIterator(BatchT* batch, std::size_t position) : batch_(batch), position_(position) { skipDead(); }
    reference operator*() const { return batch_->records_[position_]; }
    pointer operator->() const { return &batch_->records_[position_]; }
    BasicIterator& operator++() {
      ++position_;
      skipDead();
      return *this;
    }
    BasicIterator operator++(int) {
      BasicIterator copy = *this;
      ++*this;
      return copy;
    }
    bool operator==(const BasicIterator& other) const { return position_ == other.position_; }

   private:
    void skipDead() {
      while (position_ < batch_->records_.size() && batch_->dead_[position_]) ++position_;
    }
    BatchT* batch_ = nullptr;
    std::size_t position_ = 0;
  };
  using iterator = BasicIterator<Record, Batch>;
  using const_iterator = BasicIterator<const Record, const Batch>;

  iterator begin() { return {this, 0}; }
  iterator end() { return {this, records_.size()}; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, records_.size()}; }

  // Engine side: moves the live records out (in order) and the rejects out, leaving the
  // batch empty. Plugins have no reason to call these.
  std::vector<Record> takeLive() {
    std::vector<Record> live;
    live.reserve(live_);
    for (std::size_t i = 0; i < records_.size(); ++i) {
      if (!dead_[i]) live.push_back(std::move(records_[i]));
    }
    records_.clear();
    dead_.clear();
    live_ = 0;
    return live;
  }
  std::vector<Reject> takeRejects() { return std::exchange(rejects_, {}); }

 private:
  std::size_t capacity_ = 1024;
  std::vector<Record> records_;
  std::vector<bool> dead_;
  std::size_t live_ = 0;
  std::vector<Reject> rejects_;
};

}  // namespace ajuste
