#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/batch.hpp"
#include "ajuste/context.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"

#include "assignment.hpp"
#include "leakage_check.hpp"
#include "spill_file.hpp"
#include "split_stats.hpp"

namespace ajuste::split_random {

struct SplitOptions {
  std::optional<double> valid_ratio;         // exactly one of valid_ratio and valid_count
  std::optional<std::uint64_t> valid_count;
  std::uint64_t seed = 42;
  std::optional<std::string> stratify_by;  // "answer" or a JSON pointer, as written
  std::optional<nlohmann::json::json_pointer> stratify_pointer;  // unset for "answer"
  bool missing_label_own_stratum = false;  // else records without a label are rejected
  std::optional<std::string> group_by;     // a JSON pointer, as written
  std::optional<nlohmann::json::json_pointer> group_pointer;
  LeakageOptions leakage;
  std::filesystem::path train_path;  // resolved
  std::filesystem::path valid_path;  // resolved
};

// Closes a C stream on destruction (on the error paths; the happy path closes and checks).
struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// split/random: an exact, seeded train/validation split.
//
// `prepare` (on the runner's workers) serializes each record, computes its leakage key, and
// writes the batch's lines into the spill file in the run folder (SpillFile), so memory stays
// flat whatever the input size; `consume` notes the batch's region and each record's keys. `finish`, knowing N, picks exactly
// round(N * valid_ratio) (or valid_count) validation records by selection sampling with our own
// PRNG, and writes both files in input order. Same input and seed => byte-identical files,
// whatever the batch size or the standard library.
// When records carry validate/openai's numbers (record.meta["openai"]), the report also gives,
// per split, the distributions of messages, tokens and assistant tokens per example, the billed
// tokens and the label counts (SplitStats).
// stratify_by splits each label's records separately with its largest-remainder share of the
// validation count; group_by keeps the records sharing a key on one side. Per record only
// fixed-size keys stay in memory (a 4-byte stratum id, a 4-byte group id, one bit for the side);
// labels are interned (at most StratumTable::kMaxStrata) and group keys kept as 64-bit hashes.
// The leakage check (LeakageCheck) keeps its per-record keys on disk, not in memory.
// Threads: a sink; one instance, `consume` and `finish` called from one thread, `prepare` from
// several at once (it is const; the spill file is its only shared state, and is thread-safe). Files: the spill file and the
// `.partial` outputs are removed on every path out, including errors and destruction.
class RandomSplit final : public SinkStage {
 public:
  [[nodiscard]] static const StageInfo& info();
  RandomSplit(SplitOptions options, std::filesystem::path spill_path, std::filesystem::path keys_path);
  ~RandomSplit() override;

  [[nodiscard]] Status prepare(Batch& batch, Context& ctx) const override;
  [[nodiscard]] Status consume(Batch& batch, Context& ctx) override;
  [[nodiscard]] Status finish(Context& ctx) override;

 private:
  struct Written {
    std::uint64_t records = 0;
    std::uint64_t bytes = 0;
    std::string sha256;
  };

  // Appends the record's JSONL line to `lines` and leaves in Record::prepared its leakage key
  // (LeakageCheck::appendKey, when the check is on). False (and the record rejected) when a
  // string in it is not valid UTF-8.
  bool prepareRecord(Record& record, Batch& batch, std::string& lines) const;
  // How many validation records to draw from `total`, or why the split cannot be made.
  [[nodiscard]] Result<std::uint64_t> validTarget(std::uint64_t total, Context& ctx) const;
  // Notes the record's stratum and group; false (and the record rejected) when it lacks its
  // label or group key, or an error when the labels are not a class label.
  [[nodiscard]] Result<bool> noteKeys(Record& record, Batch& batch);
  // Which records go to validation, in input order.
  [[nodiscard]] Result<std::vector<bool>> assign(std::uint64_t valid_target, Context& ctx);
  // Runs the leakage check: warns, or (on_leak: fail) stops the run before any file is written.
  [[nodiscard]] Status checkLeakage(const std::vector<bool>& to_valid, Context& ctx);
  [[nodiscard]] Status writeOutputs(const std::vector<bool>& to_valid, Written& train, Written& valid);
  [[nodiscard]] Status publishOutputs(Context& ctx, std::uint64_t total, const Written& train,
                                      const Written& valid);
  [[nodiscard]] nlohmann::json labelsReport(const std::vector<bool>& to_valid) const;
  void removeTemporaries();

  const SplitOptions options_;
  const std::filesystem::path spill_path_;
  SpillFile spill_;
  // The spill's regions (one per batch), and whether each line in them is a record the split
  // kept (consume may reject one after prepare spilled it: no label, no group key).
  std::vector<SpillRegion> regions_;
  std::vector<bool> line_kept_;
  std::uint64_t spilled_ = 0;  // records kept
  SplitStats stats_;  // per-split token statistics when records carry meta["openai"]
  // stratify_by: the stratum of each spilled record, in input order.
  StratumTable strata_;
  std::vector<std::uint32_t> stratum_of_;
  // group_by: the group of each spilled record; groups by the 64-bit hash of their key.
  std::vector<std::uint32_t> group_of_;
  std::unordered_map<std::uint64_t, std::uint32_t> group_ids_;
  std::vector<std::uint64_t> group_sizes_;
  std::unique_ptr<LeakageCheck> leakage_;  // null when the check is off
  nlohmann::json report_extra_ = nlohmann::json::object();  // what finish learned for the report: labels, groups, leakage
};

}  // namespace ajuste::split_random
