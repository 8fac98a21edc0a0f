#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ajuste/batch.hpp"
#include "ajuste/context.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"

#include "cluster_stats.hpp"
#include "dedupe_key.hpp"
#include "exact_index.hpp"
#include "memory_budget.hpp"
#include "minhash.hpp"
#include "near_index.hpp"
#include "near_options.hpp"
#include "record_ref.hpp"

namespace ajuste::clean_dedupe {

struct DedupeOptions {
  std::vector<FieldPath> fields;
  NormalizeOptions normalize;
  std::size_t memory_bytes = std::size_t{1024} * 1024 * 1024;
  std::optional<NearOptions> near;  // absent: exact duplicates only
};

// clean/dedupe: rejects records whose normalized content repeats an earlier kept record
// (kind `duplicate`) and, with `near`, records whose MinHash-estimated Jaccard similarity to an
// earlier kept record reaches the threshold (kind `near_duplicate`). The first occurrence in
// input order is kept and every reason names it by source:line.
//
// Serial (`parallel = false`): it must see records in input order to know which came first.
// The per-record work that needs no order (normalizing the key, hashing it, the MinHash
// signature) is done in `prepare`, on every worker; `process` only looks the hashes up.
// Memory: see ExactIndex and NearIndex; everything is charged to `memory_mb`, and running out
// stops the run with a data error rather than letting duplicates through.
class DedupeStage final : public RecordStage {
 public:
  [[nodiscard]] static const StageInfo& info();
  explicit DedupeStage(DedupeOptions options);

  [[nodiscard]] Status prepare(Batch& batch, Context& ctx) const override;
  [[nodiscard]] Status process(Batch& batch, Context& ctx) override;
  [[nodiscard]] Status finish(Batch& out, Context& ctx) override;

 private:
  // Record::prepared: "-" when the record has none of the fields, else '#', the 16 bytes of
  // its XXH3-128 key hash and, with near, its MinHash signature.
  struct Scratch {
    DedupeKey key;
    std::vector<std::uint32_t> signature;
    ShingleScratch shingles;
  };
  void prepareRecord(Record& record, Scratch& scratch) const;
  [[nodiscard]] Status dedupe(Record& record, Batch& batch);

  const DedupeOptions options_;
  KeyBuilder keys_;
  std::uint64_t key_settings_;  // keys_.fingerprint(), named in the content hash memo
  MemoryBudget budget_;
  RecordRefs refs_;
  ExactIndex exact_;
  std::unique_ptr<MinHasher> hasher_;
  std::unique_ptr<NearIndex> near_;
  ClusterStats clusters_;
  std::vector<std::uint32_t> signature_;  // process's scratch: the record's signature, aligned
  std::uint64_t exact_duplicates_ = 0;
  std::uint64_t near_duplicates_ = 0;
  std::uint64_t unkeyed_ = 0;
};

}  // namespace ajuste::clean_dedupe
