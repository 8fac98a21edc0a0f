#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/context.hpp"

namespace ajuste::testing {

// A Context that records everything a stage does, for tests that run a stage without the
// runner. It owns a fresh temporary run folder, removed when the context is destroyed.
class RecordingContext : public Context {
 public:
  explicit RecordingContext(std::string stage_name = "test/stage");
  ~RecordingContext() override;
  RecordingContext(const RecordingContext&) = delete;
  RecordingContext& operator=(const RecordingContext&) = delete;

  struct LogLine {
    LogLevel level;
    std::string message;
  };
  struct Output {
    std::string name;
    std::filesystem::path path;
    std::uint64_t records;
  };

  [[nodiscard]] std::string_view stageId() const override { return stage_name_; }
  [[nodiscard]] std::string_view stageName() const override { return stage_name_; }
  void log(LogLevel level, std::string_view message) override;
  void count(std::string_view counter, std::int64_t delta) override;
  void report(std::string_view key, nlohmann::json value) override;
  void progress(std::uint64_t done, std::uint64_t total) override;
  [[nodiscard]] std::optional<nlohmann::json> artifact(std::string_view name) const override;
  Status publish(std::string_view name, nlohmann::json value) override;
  void declareOutput(std::string_view name, const std::filesystem::path& path, std::uint64_t records) override;
  Result<std::string> secret(std::string_view name) override;
  [[nodiscard]] bool cancelled() const override { return cancelled_; }
  [[nodiscard]] const std::filesystem::path& runDir() const override { return run_dir_; }
  [[nodiscard]] std::filesystem::path resolvePath(std::string_view path) const override;
  [[nodiscard]] HttpClient& http() override;
  // Returns at once (tests do not sleep) and adds `duration` to waited(); cancelled() wins.
  Status wait(std::chrono::milliseconds duration) override;
  [[nodiscard]] unsigned threads() const override { return 1; }
  [[nodiscard]] std::optional<nlohmann::json> loadState() const override;
  Status saveState(const nlohmann::json& state) override;

  // Test set-up.
  void setArtifact(std::string name, nlohmann::json value) { artifacts_[std::move(name)] = std::move(value); }
  void setSecret(std::string name, std::string value) { secrets_[std::move(name)] = std::move(value); }
  void setCancelled(bool cancelled) { cancelled_ = cancelled; }
  // The client http() returns (e.g. a ScriptedHttpClient); without one, every request fails
  // with a message saying so.
  void setHttp(HttpClient* client) { http_ = client; }
  // Relative paths given to resolvePath() are resolved against this folder (default: cwd).
  void setBaseDir(std::filesystem::path dir) { base_dir_ = std::move(dir); }

  // What the stage did.
  [[nodiscard]] std::vector<LogLine> logs() const;
  [[nodiscard]] std::int64_t counter(std::string_view name) const;
  [[nodiscard]] nlohmann::json reports() const;
  [[nodiscard]] const std::map<std::string, nlohmann::json, std::less<>>& artifacts() const { return artifacts_; }
  [[nodiscard]] const std::vector<Output>& outputs() const { return outputs_; }
  [[nodiscard]] std::uint64_t lastProgress() const { return progress_done_; }
  [[nodiscard]] std::chrono::milliseconds waited() const { return waited_; }

 private:
  mutable std::mutex mutex_;
  std::string stage_name_;
  std::filesystem::path run_dir_;
  std::filesystem::path base_dir_;
  std::vector<LogLine> logs_;
  std::map<std::string, std::int64_t, std::less<>> counters_;
  nlohmann::json reports_ = nlohmann::json::object();
  std::map<std::string, nlohmann::json, std::less<>> artifacts_;
  std::map<std::string, std::string, std::less<>> secrets_;
  std::vector<Output> outputs_;
  std::optional<nlohmann::json> state_;
  std::uint64_t progress_done_ = 0;
  bool cancelled_ = false;
  HttpClient* http_ = nullptr;
  std::chrono::milliseconds waited_{0};
};

}  // namespace ajuste::testing
