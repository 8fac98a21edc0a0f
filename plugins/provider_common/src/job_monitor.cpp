#include "job_monitor.hpp"

#include <utility>

#include "event_feed.hpp"
#include "job_status.hpp"
#include "progress_throttle.hpp"

namespace ajuste::provider {
namespace {

std::string text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

JobMonitor::JobMonitor(ApiClient& api, Ledger& ledger, MonitorSettings settings)
    : api_(api), ledger_(ledger), settings_(std::move(settings)) {}

Status JobMonitor::interrupted(const std::string& job_id) {
  Context& ctx = api_.context();
  if (!settings_.cancel_on_interrupt) {
    ctx.warn("interrupted: job " + job_id +
             " keeps running on the provider (and is billed as it trains); resume the "
             "run to keep following it, or cancel it on the provider");
    return Status::cancelled("interrupted while following job " + job_id + ", which keeps running");
  }
  ApiCall call;
  call.method = "POST";
  call.path = "/fine_tuning/jobs/" + job_id + "/cancel";
  call.idempotency = Idempotency::kIdempotent;
  call.send_when_interrupted = true;  // the interrupt is what asks for this request
  auto cancelled = api_.call(call, "cancelling job " + job_id);
  if (cancelled.ok()) {
    job_ = *cancelled;
    ctx.warn("interrupted: cancelled job " + job_id + " as cancel_on_interrupt asks");
    return Status::cancelled("interrupted; job " + job_id + " was cancelled");
  }
  ctx.warn("interrupted, and cancelling job " + job_id + " failed (" + cancelled.error().message() +
           "); it keeps running: cancel it on the provider");
  return Status::cancelled("interrupted while following job " + job_id + ", which could not be cancelled");
}

void JobMonitor::logEvents(const std::string& job_id, const std::vector<nlohmann::json>& events,
                           ProgressThrottle& throttle) {
  Context& ctx = api_.context();
  for (const auto& event : events) {
    const auto data = event.find("data");
    if (text(event, "type") == "metrics" && data != event.end()) {
      const std::int64_t step = data->value("step", std::int64_t{0});
      const std::int64_t total = data->value("total_steps", std::int64_t{0});
      if (throttle.due(step, total, std::chrono::steady_clock::now())) {
        if (const std::string line = metricsLine(*data); !line.empty()) ctx.info(line);
      }
      continue;
    }
    const std::string level = text(event, "level");
    const std::string message = text(event, "message");
    if (message.empty()) continue;
    if (level == "error" || level == "warn" || level == "warning") {
      ctx.warn("job " + job_id + ": " + message);
    } else {
      ctx.info("job " + job_id + ": " + message);
    }
  }
}

Status JobMonitor::follow(const std::string& job_id) {
  Context& ctx = api_.context();
  nlohmann::json state = ledger_.find(job_id).value_or(nlohmann::json::object());
  EventFeed feed(api_, job_id, text(state, "last_event_id"));
  ProgressThrottle throttle(settings_.progress_every);
  std::string last_status;
  for (;;) {
    ApiCall call;
    call.path = "/fine_tuning/jobs/" + job_id;
    auto polled = api_.call(call, "polling job " + job_id);
    if (!polled.ok()) {
      if (polled.error().code() == StatusCode::kCancelled) return interrupted(job_id);
      return polled.error();
    }
    job_ = std::move(polled).value();
    const std::string status = text(job_, "status");
    if (last_status.empty()) ctx.info("job " + job_id + " is " + status);
    // The events since the last poll happened before the status now shown: log them first.
    auto events = feed.fetchNew();
    if (!events.ok()) {
      if (events.error().code() == StatusCode::kCancelled) return interrupted(job_id);
      return events.error();
    }
    logEvents(job_id, *events, throttle);
    if (!last_status.empty() && status != last_status) ctx.info("job " + job_id + ": " + last_status + " -> " + status);
    last_status = status;
    if (feed.lastSeen() != text(state, "last_event_id") || status != text(state, "status")) {
      state["last_event_id"] = feed.lastSeen();
      state["status"] = status;
      if (Status saved = ledger_.put(job_id, state); !saved.isOk()) return saved;
    }
    if (isFinalJobStatus(status)) return Status::ok();
    if (Status slept = ctx.wait(settings_.poll_interval); !slept.isOk()) {
      if (slept.code() == StatusCode::kCancelled) return interrupted(job_id);
      return slept;
    }
  }
}

}  // namespace ajuste::provider
