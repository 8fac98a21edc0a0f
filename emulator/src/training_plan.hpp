#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialect.hpp"

namespace ajuste::emulator {

// The values a job trains with once "auto" is resolved.
struct Hyperparameters {
  std::int64_t n_epochs = 3;
  std::int64_t batch_size = 1;
  double learning_rate_multiplier = 1.8;
  std::optional<double> beta;  // DPO only
};

// `requested` holds n_epochs / batch_size / learning_rate_multiplier / beta, each "auto", a
// number or absent (= auto); the World has range-checked them. "auto" follows OpenAI's published
// epoch rule (3 epochs, more for small files, fewer for huge ones) and the emulator's own
// choices for the others (docs/emulator.md, "Hyperparameters").
Hyperparameters resolveHyperparameters(const nlohmann::json& requested, std::size_t examples, bool dpo);

// When each phase of a job happens, in simulated Unix seconds. A job's status, events,
// checkpoints and metrics are pure functions of its timeline and the current simulated time.
struct Timeline {
  double created_at = 0;
  double validated_at = 0;  // validating_files -> queued
  double started_at = 0;    // queued -> running; step k ends at started_at + k * step_seconds
  double trained_at = 0;    // the last step ends
  double finished_at = 0;   // succeeded (after the model is created and checked)
  std::int64_t steps_per_epoch = 1;
  std::int64_t total_steps = 1;
  double step_seconds = 1;

  [[nodiscard]] double stepTime(std::int64_t step) const {
    return started_at + static_cast<double>(step) * step_seconds;
  }
  // The last step finished at or before `time` (0 before the first).
  [[nodiscard]] std::int64_t stepsDoneAt(double time) const;
};

Timeline planTimeline(double created_at, const Hyperparameters& hyperparameters, std::size_t examples);

struct StepMetrics {
  std::int64_t step = 0;
  double train_loss = 0;
  double train_accuracy = 0;
  std::optional<double> valid_loss;      // only when the job has a validation file
  std::optional<double> valid_accuracy;
};

// Loss falls from ~2 towards ~0.2 and accuracy rises, with noise that depends only on `seed`
// and `step`: the same job seed gives the same curves.
StepMetrics metricsAt(std::uint64_t seed, std::int64_t step, std::int64_t total_steps, bool has_validation);

// Steps at which checkpoints are kept: the ends of the last three epochs (or of every epoch
// when there are fewer), like OpenAI.
std::vector<std::int64_t> checkpointSteps(const Hyperparameters& hyperparameters, const Timeline& timeline);

// The result file: one row per step up to `last_step`. Column names differ between OpenAI and
// Azure (docs/emulator.md); values a job has not got (no validation file) are left empty.
std::string resultsCsv(Dialect dialect, std::uint64_t seed, std::int64_t last_step, std::int64_t total_steps,
                       bool has_validation);

// Metrics for a checkpoint object (`FineTuningJobCheckpoint.metrics`).
nlohmann::json checkpointMetrics(const StepMetrics& metrics);

// Short decimal form used in events, CSV and JSON numbers (5 significant decimals).
double roundMetric(double value);

}  // namespace ajuste::emulator
