#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ajuste/status.hpp"

namespace ajuste {

// The run's durable blackboard: published artifacts and each stage's saved state, kept in
// state.json in the run folder. Every change is written to a temporary file, flushed and
// renamed over the old one, so a crash leaves either the old or the new state, never half.
//
// Stage state outlives a run: it is where provider stages keep their ledger (what they
// uploaded and started), so a re-run in the same folder adopts instead of paying again.
// Artifacts are the current run's: a new run starts with none, a resumed one keeps them.
class RunState {
 public:
  explicit RunState(std::filesystem::path file);

  // Reads the state a previous run left in the file, if any. `resume` keeps its artifacts too.
  // A state file that cannot be parsed is an error, never silently replaced: it may hold the
  // only record of a paid job.
  Status load(bool resume);
  [[nodiscard]] bool loadedPrevious() const { return loaded_previous_; }

  [[nodiscard]] std::optional<nlohmann::json> artifact(std::string_view name) const;
  Status publish(std::string_view stage_id, std::string_view name, nlohmann::json value);
  [[nodiscard]] std::optional<nlohmann::json> stageState(std::string_view stage_id) const;
  Status saveStageState(std::string_view stage_id, const nlohmann::json& state);
  [[nodiscard]] nlohmann::json artifacts() const;
  [[nodiscard]] const std::filesystem::path& file() const { return file_; }

 private:
  Status flushLocked();

  mutable std::mutex mutex_;
  std::filesystem::path file_;
  nlohmann::json document_;
  bool loaded_previous_ = false;
};

// Writes `text` to `path` atomically (temporary file, fsync, rename). Secrets are redacted first.
Status writeFileAtomically(const std::filesystem::path& path, std::string_view text);

}  // namespace ajuste
