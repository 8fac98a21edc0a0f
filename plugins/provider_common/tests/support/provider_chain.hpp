#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ajuste/stage.hpp"
#include "ajuste/testing/recording_context.hpp"
#include "emulator.hpp"
#include "http/curl_http_client.hpp"

namespace ajuste::provider::testing {

// `count` valid chat examples (review -> rating), one per line; `salt` makes different data.
std::string chatJsonl(std::size_t count, const std::string& salt = "");

// A RecordingContext whose wait() moves an emulator's frozen clock forward instead of
// sleeping, so a job that takes simulated minutes is followed in milliseconds, the same way
// every time. `on_wait` (optional) runs at each wait, e.g. to interrupt after N polls.
class EmulatedTimeContext final : public ajuste::testing::RecordingContext {
 public:
  EmulatedTimeContext(std::string stage_name, emulator::Emulator& emulator, double simulated_seconds_per_wait);
  Status wait(std::chrono::milliseconds duration) override;
  std::function<void(int waits)> on_wait;
  [[nodiscard]] int waits() const { return waits_; }

 private:
  emulator::Emulator& emulator_;
  double step_;
  int waits_ = 0;
};

// An in-process emulator (frozen clock, fixed seed, port 0) and the framework's real HTTP client
// (CurlHttpClient) with short retry delays, as a provider stage meets them in a run.
class EmulatorHarness {
 public:
  explicit EmulatorHarness(std::vector<emulator::FaultSpec> faults = {});

  emulator::Emulator& emulator() { return *emulator_; }
  HttpClient& http() { return *http_; }
  [[nodiscard]] std::string baseUrl() const { return emulator_->baseUrl(); }
  nlohmann::json counters() { return emulator_->world().counters(); }
  // Log lines of the HTTP client (retries), for assertions.
  [[nodiscard]] std::vector<std::string> httpLog() const;

 private:
  std::unique_ptr<emulator::Emulator> emulator_;
  std::unique_ptr<CurlHttpClient> http_;
  std::atomic<bool> interrupted_{false};
  mutable std::mutex log_mutex_;
  std::vector<std::string> http_log_;
};

struct ChainStage {
  const StageInfo* info;
  nlohmann::json with;
};

// What a chain of stages did: artifacts published, each stage's saved state (by stage name),
// and the contexts for looking at logs and reports.
struct ChainRun {
  Status status;             // the first failure, or OK
  std::string failed_stage;  // its name
  std::map<std::string, nlohmann::json> artifacts;
  std::map<std::string, nlohmann::json> states;
  std::vector<std::unique_ptr<EmulatedTimeContext>> contexts;

  [[nodiscard]] EmulatedTimeContext& context(const std::string& stage_name) const;
};

// Runs artifact stages in order as the runner would (options checked and defaulted by their
// schema, factory, run), sharing artifacts, starting each stage with its state from `states`
// (a previous run in the same run folder) and giving it the secret OPENAI_API_KEY /
// AZURE_OPENAI_API_KEY = "test-key". Stops at the first failure.
ChainRun runChain(EmulatorHarness& harness, const std::vector<ChainStage>& stages,
                  std::map<std::string, nlohmann::json> artifacts,
                  const std::map<std::string, nlohmann::json>& states = {}, double simulated_seconds_per_wait = 15);

}  // namespace ajuste::provider::testing
