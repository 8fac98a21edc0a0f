#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/pipeline.hpp"
#include "config/source_location.hpp"
#include "plugin/stage_registry.hpp"

namespace ajuste {

// A pipeline whose stages all exist, whose options passed their schemas (defaults filled in)
// and whose chain is consistent: what the engine runs and `ajuste validate` approves.
struct ResolvedStage {
  const StageSpec* spec = nullptr;
  const StageEntry* entry = nullptr;
  nlohmann::json options;  // after coercion and defaults

  [[nodiscard]] StageKind kind() const { return entry->info->kind; }
  // "stage 'split' (split/random)" — how messages name a stage.
  [[nodiscard]] std::string label() const;
};

struct CheckedPipeline {
  const Pipeline* pipeline = nullptr;
  std::vector<ResolvedStage> stages;
};

enum class CheckFailure { kNone, kPipeline, kPlugins };

// Resolves every stage against `registry`, checks options against their schemas and the
// chain (records flow from one source through record stages into one sink; each artifact a
// stage consumes is produced by an earlier stage). Appends every problem to `errors`.
// `failure` says which exit code fits: a pipeline mistake (2) or broken plugins (3).
std::optional<CheckedPipeline> checkPipeline(const Pipeline& pipeline, const StageRegistry& registry,
                                             std::vector<Diagnostic>& errors, CheckFailure& failure);

}  // namespace ajuste
