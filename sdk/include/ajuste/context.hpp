#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ajuste/http.hpp"
#include "ajuste/status.hpp"

namespace ajuste {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// What a stage may ask of the runner. One Context exists per stage instance.
//
// Threads: stages marked `parallel` call their Context from several worker threads at once,
// so every method is thread-safe. Lifetime: the Context outlives the stage made with it.
// Secrets: anything returned by `secret()` is redacted from logs, reports and state by the
// runner, but a stage must still never put a secret in a reject reason or an artifact.
class Context {
 public:
  virtual ~Context() = default;

  // The stage's id in the pipeline ("split", or the `id:` the user gave) and its type name
  // ("split/random"): use them in messages only if the runner does not add them already.
  [[nodiscard]] virtual std::string_view stageId() const = 0;
  [[nodiscard]] virtual std::string_view stageName() const = 0;

  virtual void log(LogLevel level, std::string_view message) = 0;
  void debug(std::string_view message) { log(LogLevel::kDebug, message); }
  void info(std::string_view message) { log(LogLevel::kInfo, message); }
  void warn(std::string_view message) { log(LogLevel::kWarn, message); }

  // Adds `delta` to a named counter of this stage; counters appear in summary.json under the
  // stage. The runner itself counts records read/kept/rejected: do not count those.
  virtual void count(std::string_view counter, std::int64_t delta = 1) = 0;
  // Sets a JSON value in this stage's section of summary.json (statistics, findings).
  virtual void report(std::string_view key, nlohmann::json value) = 0;
  // Progress of a source through its input, in bytes (total 0 = unknown).
  virtual void progress(std::uint64_t done, std::uint64_t total) = 0;

  // Artifacts: named JSON values on the run's blackboard (file paths, provider ids). A stage
  // may read only what its StageInfo lists in `consumes` and publish what it lists in `produces`.
  [[nodiscard]] virtual std::optional<nlohmann::json> artifact(std::string_view name) const = 0;
  virtual Status publish(std::string_view name, nlohmann::json value) = 0;

  // A file a sink wrote, so it appears among the run's outputs with its record count.
  virtual void declareOutput(std::string_view name, const std::filesystem::path& path,
                             std::uint64_t records) = 0;

  // The value of a secret named by the pipeline (an environment variable or a secret file);
  // an error says which variable is missing and how to set it.
  virtual Result<std::string> secret(std::string_view name) = 0;

  // True once the user asked the run to stop; long loops should check it and return
  // Status::cancelled().
  [[nodiscard]] virtual bool cancelled() const = 0;

  // The run folder: outputs, rejects, state and summary live here unless configured elsewhere.
  [[nodiscard]] virtual const std::filesystem::path& runDir() const = 0;
  // Resolves a path the user wrote in the pipeline: relative paths are relative to the
  // pipeline file's folder, so a pipeline runs the same from any working directory.
  [[nodiscard]] virtual std::filesystem::path resolvePath(std::string_view path) const = 0;
  // The runner's HTTP client (TLS, proxies, retries, request-id logging; see http.hpp).
  [[nodiscard]] virtual HttpClient& http() = 0;
  // Sleeps for `duration` (polling a remote job), waking early when the run is interrupted:
  // returns Status::cancelled() then, OK otherwise.
  virtual Status wait(std::chrono::milliseconds duration) = 0;

  // Worker threads the runner uses; a stage need not spawn threads of its own.
  [[nodiscard]] virtual unsigned threads() const = 0;

  // Durable per-stage state for resuming (ids of things a stage created). `saveState` is
  // flushed to disk before it returns, so a crash right after it keeps the value.
  [[nodiscard]] virtual std::optional<nlohmann::json> loadState() const = 0;
  virtual Status saveState(const nlohmann::json& state) = 0;
};

}  // namespace ajuste
