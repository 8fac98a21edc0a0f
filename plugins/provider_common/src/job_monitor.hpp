#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ajuste/status.hpp"
#include "api_client.hpp"
#include "ledger.hpp"
#include "progress_throttle.hpp"

namespace ajuste::provider {

struct MonitorSettings {
  std::chrono::milliseconds poll_interval{10'000};
  std::chrono::milliseconds progress_every{60'000};
  bool cancel_on_interrupt = false;
};

// Follows one job until it ends: polls it every `poll_interval` (Context::wait, so an interrupt
// wakes it), reads the events that are new since the last poll, and logs without flooding:
// every status change and message event, and metrics lines thinned by ProgressThrottle. The
// last event seen is kept in the ledger ("monitor" section), so a resumed monitor does not
// repeat old lines.
//
// When interrupted, the job keeps running on the provider (it is already paid for as it
// trains; the runner prints the resume command), unless `cancel_on_interrupt` asks to cancel it.
class JobMonitor {
 public:
  JobMonitor(ApiClient& api, Ledger& ledger, MonitorSettings settings);

  // OK once the job reached succeeded, failed or cancelled (see lastJob()); Status::cancelled
  // when interrupted; a provider or I/O error otherwise.
  Status follow(const std::string& job_id);
  // The job object as the provider last showed it (null before the first poll).
  [[nodiscard]] const nlohmann::json& lastJob() const { return job_; }

 private:
  Status interrupted(const std::string& job_id);
  void logEvents(const std::string& job_id, const std::vector<nlohmann::json>& events, ProgressThrottle& throttle);

  ApiClient& api_;
  Ledger& ledger_;
  MonitorSettings settings_;
  nlohmann::json job_;
};

}  // namespace ajuste::provider
