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
class RunState {
 public:
  explicit RunState(std::filesystem::path file);

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
};

// Writes `text` to `path` atomically (temporary file, fsync, rename). Secrets are redacted first.
Status writeFileAtomically(const std::filesystem::path& path, std::string_view text);

}  // namespace ajuste
