#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/context.hpp"
#include "engine/checked_pipeline.hpp"
#include "engine/progress.hpp"
#include "engine/run_state.hpp"
#include "http/curl_http_client.hpp"

namespace ajuste {

struct OutputFile {
  std::string stage_id;
  std::string name;
  std::filesystem::path path;
  std::uint64_t records = 0;
};

// What all stages of one run share.
struct RunServices {
  std::filesystem::path run_dir;
  std::filesystem::path base_dir;  // the pipeline file's folder: relative paths start there
  unsigned threads = 1;
  RunState* state = nullptr;
  const std::atomic<bool>* interrupted = nullptr;
  ProgressReporter* progress = nullptr;

  std::mutex outputs_mutex;
  std::vector<OutputFile> outputs;
};

// The engine's counts for one stage: the stage cannot edit them.
struct StageCounts {
  std::atomic<std::uint64_t> in{0};        // records handed to the stage (read, for a source)
  std::atomic<std::uint64_t> out{0};       // records it passed on (written, for a sink)
  std::atomic<std::uint64_t> rejected{0};
  std::atomic<std::uint64_t> added{0};     // records it emitted from finish()
  std::atomic<std::int64_t> nanoseconds{0};
};

// The Context given to one stage (shared by its parallel instances, hence the locking).
class StageContext final : public Context {
 public:
  StageContext(RunServices& run, const ResolvedStage& stage);

  [[nodiscard]] std::string_view stageId() const override { return stage_.spec->id; }
  [[nodiscard]] std::string_view stageName() const override { return stage_.spec->uses; }
  void log(LogLevel level, std::string_view message) override;
  void count(std::string_view counter, std::int64_t delta) override;
  void report(std::string_view key, nlohmann::json value) override;
  void progress(std::uint64_t done, std::uint64_t total) override;
  [[nodiscard]] std::optional<nlohmann::json> artifact(std::string_view name) const override;
  Status publish(std::string_view name, nlohmann::json value) override;
  void declareOutput(std::string_view name, const std::filesystem::path& path, std::uint64_t records) override;
  Result<std::string> secret(std::string_view name) override;
  [[nodiscard]] bool cancelled() const override;
  [[nodiscard]] const std::filesystem::path& runDir() const override { return run_.run_dir; }
  [[nodiscard]] std::filesystem::path resolvePath(std::string_view path) const override;
  [[nodiscard]] HttpClient& http() override { return http_; }
  Status wait(std::chrono::milliseconds duration) override;
  [[nodiscard]] unsigned threads() const override { return run_.threads; }
  [[nodiscard]] std::optional<nlohmann::json> loadState() const override;
  Status saveState(const nlohmann::json& state) override;

  [[nodiscard]] nlohmann::json counters() const;
  [[nodiscard]] nlohmann::json reports() const;
  [[nodiscard]] const ResolvedStage& stage() const { return stage_; }
  StageCounts counts;

 private:
  RunServices& run_;
  const ResolvedStage& stage_;
  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t, std::less<>> counters_;
  nlohmann::json reports_ = nlohmann::json::object();
  CurlHttpClient http_;
};

}  // namespace ajuste
