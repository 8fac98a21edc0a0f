#include "job_timeline.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ajuste::emulator {
namespace {

// Metrics events per job, at most: enough for a smooth curve, few enough not to flood a
// client that lists every event.
constexpr std::int64_t kMaxMetricEvents = 100;

std::string lossText(double value) {
  std::ostringstream out;
  out.precision(4);
  out << std::fixed << value;
  return out.str();
}

class EventList {
 public:
  void add(double at, std::string message, std::string level = "info") {
    JobEvent event;
    event.created_at = at;
    event.level = std::move(level);
    event.message = std::move(message);
    add(std::move(event));
  }
  void add(JobEvent event) {
    event.index = events_.size();
    events_.push_back(std::move(event));
  }
  std::vector<JobEvent> take() { return std::move(events_); }

 private:
  std::vector<JobEvent> events_;
};

}  // namespace

bool isFinal(JobStatus status) {
  return status == JobStatus::kSucceeded || status == JobStatus::kFailed || status == JobStatus::kCancelled;
}

double jobEndsAt(const JobRecord& job) {
  double end = job.timeline.finished_at;
  if (job.failure) end = std::min(end, job.failure->at);
  if (job.cancelled_at) end = std::min(end, *job.cancelled_at);
  return end;
}

JobStatus jobStatusAt(const JobRecord& job, double now) {
  if (job.cancelled_at && *job.cancelled_at <= now &&
      (!job.failure || job.failure->at > *job.cancelled_at) && *job.cancelled_at < job.timeline.finished_at)
    return JobStatus::kCancelled;
  if (job.failure && job.failure->at <= now) return JobStatus::kFailed;
  const Timeline& t = job.timeline;
  if (now < t.validated_at) return JobStatus::kValidatingFiles;
  if (now < t.started_at) return JobStatus::kQueued;
  if (now < t.finished_at) return JobStatus::kRunning;
  return JobStatus::kSucceeded;
}

std::int64_t lastStepAt(const JobRecord& job, double now) {
  std::int64_t steps = job.timeline.stepsDoneAt(std::min(now, jobEndsAt(job)));
  if (job.failure && job.failure->at_step) steps = std::min(steps, *job.failure->at_step);
  return steps;
}

std::vector<JobEvent> jobEventsAt(const JobRecord& job, double now) {
  const Timeline& t = job.timeline;
  EventList list;
  list.add(t.created_at, "Created fine-tuning job: " + job.id);
  list.add(t.created_at, "Validating training file: " + job.training_file +
                             (job.validation_file.empty() ? "" : " and validation file: " + job.validation_file));
  const bool fails_in_validation = job.failure && !job.failure->at_step;
  if (!fails_in_validation) {
    list.add(t.validated_at, "Files validated, moving job to queued state");
    list.add(t.started_at, "Fine-tuning job started");
    const std::int64_t stride = std::max<std::int64_t>(1, (t.total_steps + kMaxMetricEvents - 1) / kMaxMetricEvents);
    const auto checkpoints = checkpointSteps(job.hyperparameters, t);
    const std::int64_t last = job.failure && job.failure->at_step ? *job.failure->at_step : t.total_steps;
    const bool has_validation = !job.validation_file.empty();
    for (std::int64_t step = 1; step <= last; ++step) {
      if (step % stride == 0 || step == 1 || step == t.total_steps || step == last) {
        const StepMetrics m = metricsAt(static_cast<std::uint64_t>(job.seed), step, t.total_steps, has_validation);
        JobEvent event;
        event.created_at = t.stepTime(step);
        event.type = "metrics";
        std::string message = "Step " + std::to_string(step) + "/" + std::to_string(t.total_steps) +
                              ": training loss=" + lossText(m.train_loss);
        event.data = {{"step", step},
                      {"train_loss", m.train_loss},
                      {"train_mean_token_accuracy", m.train_accuracy},
                      {"total_steps", t.total_steps}};
        if (m.valid_loss) {
          message += ", validation loss=" + lossText(*m.valid_loss);
          event.data["valid_loss"] = *m.valid_loss;
          event.data["valid_mean_token_accuracy"] = *m.valid_accuracy;
        }
        event.message = std::move(message);
        list.add(std::move(event));
      }
      if (std::find(checkpoints.begin(), checkpoints.end(), step) != checkpoints.end() && step < t.total_steps) {
        list.add(t.stepTime(step), "Checkpoint created at step " + std::to_string(step));
      }
    }
    if (!job.failure) {
      list.add(t.trained_at + 5, "New fine-tuned model created");
      list.add(t.trained_at + 10, "Evaluating model against our usage policies");
      list.add(t.trained_at + 40, "Usage policy evaluations completed, model is now enabled for sampling");
      list.add(t.finished_at, "The job has successfully completed");
    }
  }
  if (job.failure) list.add(job.failure->at, job.failure->message, "error");

  std::vector<JobEvent> all = list.take();
  const double end = jobEndsAt(job);
  std::vector<JobEvent> out;
  for (auto& event : all) {
    if (event.created_at <= now && event.created_at <= end) out.push_back(std::move(event));
  }
  if (job.cancelled_at && *job.cancelled_at <= now && jobStatusAt(job, now) == JobStatus::kCancelled) {
    JobEvent cancelled;
    cancelled.index = all.size();
    cancelled.created_at = *job.cancelled_at;
    cancelled.message = "Fine-tuning job cancelled";
    out.push_back(std::move(cancelled));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const JobEvent& a, const JobEvent& b) { return a.created_at < b.created_at; });
  return out;
}

std::vector<JobCheckpoint> jobCheckpointsAt(const JobRecord& job, double now) {
  std::vector<JobCheckpoint> out;
  if (job.failure && !job.failure->at_step) return out;
  const std::int64_t done = lastStepAt(job, now);
  for (const std::int64_t step : checkpointSteps(job.hyperparameters, job.timeline)) {
    // The final checkpoint is the model itself: it appears when the job succeeds.
    if (step == job.timeline.total_steps) {
      if (jobStatusAt(job, now) == JobStatus::kSucceeded) out.push_back({step, job.timeline.finished_at});
    } else if (step <= done) {
      out.push_back({step, job.timeline.stepTime(step)});
    }
  }
  return out;
}

}  // namespace ajuste::emulator
