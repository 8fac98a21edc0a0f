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
#include "split_stats.hpp"

namespace ajuste::split_random {

struct SplitOptions {
  std::optional<double> valid_ratio;         // exactly one of valid_ratio and valid_count
  std::optional<std::uint64_t> valid_count;
  std::uint64_t seed = 42;
  std::optional<std::string> stratify_by;  // "answer" or a JSON pointer
  bool missing_label_own_stratum = false;  // else records without a label are rejected
  std::optional<std::string> group_by;     // a JSON pointer
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
// `consume` appends every record, as one compact JSON line, to a spill file in the run folder,
// so memory stays flat whatever the input size. `finish`, knowing N, picks exactly
// round(N * valid_ratio) (or valid_count) validation records by selection sampling with our own
// PRNG, and writes both files in input order. Same input and seed => byte-identical files,
// whatever the batch size or the standard library.
// When records carry validate/openai's numbers (record.meta["openai"]), the report also gives,
// per split, the distributions of messages, tokens and assistant tokens per example, the billed
// tokens and the label counts (SplitStats).
// Threads: a sink; one instance, called from one thread. Files: the spill file and the
// `.partial` outputs are removed on every path out, including errors and destruction.
class RandomSplit final : public SinkStage {
 public:
  [[nodiscard]] static const StageInfo& info();
  RandomSplit(SplitOptions options, std::filesystem::path spill_path);
  ~RandomSplit() override;

  [[nodiscard]] Status consume(Batch& batch, Context& ctx) override;
  [[nodiscard]] Status finish(Context& ctx) override;

 private:
  struct Written {
    std::uint64_t records = 0;
    std::uint64_t bytes = 0;
    std::string sha256;
  };

  // How many validation records to draw from `total`, or why the split cannot be made.
  [[nodiscard]] Result<std::uint64_t> validTarget(std::uint64_t total, Context& ctx) const;
  // Rejects the record (and returns false) when it lacks its label or group key.
  [[nodiscard]] bool noteKeys(Record& record, Batch& batch, Status& failure);
  [[nodiscard]] Result<std::vector<bool>> assign(std::uint64_t valid_target, Context& ctx);
  [[nodiscard]] Status writeOutputs(const std::vector<bool>& to_valid, Written& train, Written& valid);
  [[nodiscard]] Status publishOutputs(Context& ctx, std::uint64_t total, const Written& train,
                                      const Written& valid);
  void removeTemporaries();

  const SplitOptions options_;
  const std::filesystem::path spill_path_;
  FilePtr spill_;
  std::uint64_t spilled_ = 0;
  SplitStats stats_;
  // Compact per-record keys, in input order: 4 bytes each; labels and group keys are interned.
  std::vector<std::uint32_t> stratum_of_;
  StratumTable strata_;
  std::vector<std::uint32_t> group_of_;
  std::unordered_map<std::uint64_t, std::uint32_t> group_ids_;  // fnv1a64(group key) -> id
  std::vector<std::uint64_t> group_sizes_;
  std::uint64_t requested_valid_ = 0;
  std::uint64_t achieved_valid_ = 0;
  nlohmann::json labels_report_;  // per-split token statistics when records carry meta["openai"]
};

}  // namespace ajuste::split_random
