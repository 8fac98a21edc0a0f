#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/record.hpp"
#include "ajuste/status.hpp"

#include "dedupe_key.hpp"
#include "minhash.hpp"
#include "near_options.hpp"
#include "normalize.hpp"
#include "record_ref.hpp"

namespace ajuste::split_random {

struct LeakageOptions {
  bool exact = true;
  std::optional<clean_dedupe::NearOptions> near;  // absent: no near-duplicate check
  std::vector<clean_dedupe::FieldPath> fields;
  clean_dedupe::NormalizeOptions normalize;
  bool fail = false;          // on_leak: fail (else warn)
  std::size_t examples = 10;  // pairs listed in the report
  std::size_t memory_bytes = std::size_t{256} * 1024 * 1024;

  [[nodiscard]] bool enabled() const { return exact || near.has_value(); }
};

// Leakage between the two files: training records whose normalized content equals (exact) or
// nearly equals (MinHash estimate >= threshold) a validation record. The comparison code is
// clean/dedupe's (keys, normalization, MinHash, LSH index), linked, not copied.
//
// Memory: nothing of a record stays in memory while records stream in. `note` appends one
// fixed-size entry per record to a keys file in the run folder: the XXH3-128 hash of the
// normalized key, the packed provenance (8 bytes) and, with near, the MinHash signature. In
// `check`, pass 1 over that file indexes only the validation records (hash + position +
// provenance, 32 bytes each; with near also the signature and its LSH bands), within
// `memory_bytes`; pass 2 streams the training records past that index.
// Threads: called from the split's one thread. The keys file is removed by removeTemporaries.
class LeakageCheck {
 public:
  struct Outcome {
    nlohmann::json report;
    std::uint64_t exact = 0;  // training records that are an exact copy of a validation record
    std::uint64_t near = 0;   // further training records near a validation record
    std::string first_pair;   // "train a.jsonl:9 = valid a.jsonl:3" for messages
  };

  LeakageCheck(LeakageOptions options, std::filesystem::path keys_path);
  ~LeakageCheck();
  LeakageCheck(const LeakageCheck&) = delete;
  LeakageCheck& operator=(const LeakageCheck&) = delete;

  // The record's key, as `note` takes it: keyBytes() bytes (the normalized content's hash and,
  // with near, its signature; zeros when the record has none of the fields). Const and
  // thread-safe: the split computes keys on the runner's workers (SinkStage::prepare).
  void appendKey(const Record& record, std::string& out) const;
  [[nodiscard]] std::size_t keyBytes() const { return kHashBytes + signature_.size() * sizeof(std::uint32_t); }
  // Once per record that reaches the split files, in input order, with its appendKey bytes.
  [[nodiscard]] Status note(const Record& record, std::string_view key);
  // After the split is decided: `to_valid[i]` says where the i-th noted record went.
  [[nodiscard]] Result<Outcome> check(const std::vector<bool>& to_valid);
  void removeTemporaries();

  [[nodiscard]] const LeakageOptions& options() const { return options_; }

 private:
  // The fixed part of a record's entry in the keys file; the signature (with near) follows.
  struct KeysEntry {
    std::uint64_t low = 0;  // XXH3-128 of the normalized key; {0, 0}: the record has none of the fields
    std::uint64_t high = 0;
    clean_dedupe::RecordRef ref = 0;
    [[nodiscard]] bool keyed() const { return low != 0 || high != 0; }
  };

  static constexpr std::size_t kHashBytes = 2 * sizeof(std::uint64_t);

  const LeakageOptions options_;
  const std::filesystem::path keys_path_;
  clean_dedupe::KeyBuilder keys_;
  std::uint64_t key_settings_;  // keys_.fingerprint(): which content hash memos are this check's key
  std::unique_ptr<clean_dedupe::MinHasher> hasher_;
  clean_dedupe::RecordRefs refs_;
  KeysEntry header_;                     // scratch: the entry being written or read
  std::vector<std::uint32_t> signature_;  // scratch: its signature (with near)
  std::FILE* file_ = nullptr;
  std::uint64_t noted_ = 0;
};

}  // namespace ajuste::split_random
