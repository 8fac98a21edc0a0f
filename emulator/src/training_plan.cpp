#include "training_plan.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "ids.hpp"

namespace ajuste::emulator {
namespace {

// Simulated durations, in seconds. Real jobs take minutes to hours; these keep a small job near
// ten simulated minutes so the default time scale finishes it in about a real second.
constexpr double kValidateSeconds = 20;
constexpr double kQueueSeconds = 30;
constexpr double kSecondsPerStep = 1.5;
constexpr double kMinRunSeconds = 60;
constexpr double kMaxRunSeconds = 1800;
constexpr double kFinishSeconds = 45;

bool isAuto(const nlohmann::json& value) { return value.is_null() || (value.is_string() && value == "auto"); }

double noise(std::uint64_t seed, std::int64_t step, std::string_view salt) {
  return unitInterval(hashText(std::string(salt) + std::to_string(step), seed)) * 2.0 - 1.0;
}

std::string formatMetric(double value) {
  std::ostringstream out;
  out.precision(5);
  out << std::fixed << value;
  std::string text = out.str();
  while (text.size() > 1 && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

double roundMetric(double value) { return std::round(value * 100000.0) / 100000.0; }

Hyperparameters resolveHyperparameters(const nlohmann::json& requested, std::size_t examples, bool dpo) {
  Hyperparameters out;
  const auto n = static_cast<std::int64_t>(std::max<std::size_t>(examples, 1));
  const nlohmann::json epochs = requested.value("n_epochs", nlohmann::json());
  if (isAuto(epochs)) {
    // OpenAI's rule (cookbook constants): 3 epochs, raised so that small files see ~100
    // examples, lowered so that huge files see at most ~25,000.
    out.n_epochs = 3;
    if (n * 3 < 100) {
      out.n_epochs = std::min<std::int64_t>(25, 100 / n);
    } else if (n * 3 > 25000) {
      out.n_epochs = std::max<std::int64_t>(1, 25000 / n);
    }
  } else {
    out.n_epochs = epochs.get<std::int64_t>();
  }
  const nlohmann::json batch = requested.value("batch_size", nlohmann::json());
  out.batch_size = isAuto(batch) ? std::clamp<std::int64_t>(static_cast<std::int64_t>(std::lround(static_cast<double>(n) * 0.002)), 1, 256)
                                 : batch.get<std::int64_t>();
  const nlohmann::json rate = requested.value("learning_rate_multiplier", nlohmann::json());
  out.learning_rate_multiplier = isAuto(rate) ? (dpo ? 1.0 : 1.8) : rate.get<double>();
  if (dpo) {
    const nlohmann::json beta = requested.value("beta", nlohmann::json());
    out.beta = isAuto(beta) ? 0.1 : beta.get<double>();
  }
  return out;
}

std::int64_t Timeline::stepsDoneAt(double time) const {
  if (time < started_at) return 0;
  const auto done = static_cast<std::int64_t>(std::floor((time - started_at) / step_seconds + 1e-9));
  return std::min(done, total_steps);
}

Timeline planTimeline(double created_at, const Hyperparameters& hyperparameters, std::size_t examples) {
  Timeline t;
  const auto n = static_cast<std::int64_t>(std::max<std::size_t>(examples, 1));
  t.steps_per_epoch = (n + hyperparameters.batch_size - 1) / hyperparameters.batch_size;
  t.total_steps = t.steps_per_epoch * hyperparameters.n_epochs;
  const double run = std::clamp(static_cast<double>(t.total_steps) * kSecondsPerStep, kMinRunSeconds, kMaxRunSeconds);
  t.step_seconds = run / static_cast<double>(t.total_steps);
  t.created_at = created_at;
  t.validated_at = created_at + kValidateSeconds + std::min(300.0, static_cast<double>(n) / 50.0);
  t.started_at = t.validated_at + kQueueSeconds;
  t.trained_at = t.stepTime(t.total_steps);
  t.finished_at = t.trained_at + kFinishSeconds;
  return t;
}

StepMetrics metricsAt(std::uint64_t seed, std::int64_t step, std::int64_t total_steps, bool has_validation) {
  const double start = 1.9 + 0.5 * unitInterval(hashText("start", seed));
  const double floor = 0.12 + 0.2 * unitInterval(hashText("floor", seed));
  const double progress = static_cast<double>(step) / static_cast<double>(std::max<std::int64_t>(total_steps, 1));
  const double smooth = floor + (start - floor) * std::exp(-4.0 * progress);
  const double spread = 0.12 * (1.0 - 0.5 * progress);
  StepMetrics m;
  m.step = step;
  m.train_loss = roundMetric(std::max(0.005, smooth + spread * noise(seed, step, "train")));
  m.train_accuracy = roundMetric(std::clamp(1.0 - 0.42 * smooth + 0.04 * noise(seed, step, "tacc"), 0.0, 1.0));
  if (has_validation) {
    const double valid = smooth * 1.08 + 0.04;
    m.valid_loss = roundMetric(std::max(0.005, valid + 0.5 * spread * noise(seed, step, "valid")));
    m.valid_accuracy = roundMetric(std::clamp(1.0 - 0.45 * valid + 0.03 * noise(seed, step, "vacc"), 0.0, 1.0));
  }
  return m;
}

std::vector<std::int64_t> checkpointSteps(const Hyperparameters& hyperparameters, const Timeline& timeline) {
  std::vector<std::int64_t> steps;
  const std::int64_t first_epoch = std::max<std::int64_t>(1, hyperparameters.n_epochs - 2);
  for (std::int64_t epoch = first_epoch; epoch <= hyperparameters.n_epochs; ++epoch) {
    steps.push_back(epoch * timeline.steps_per_epoch);
  }
  return steps;
}

std::string resultsCsv(Dialect dialect, std::uint64_t seed, std::int64_t last_step, std::int64_t total_steps,
                       bool has_validation) {
  std::ostringstream out;
  const bool azure = dialect == Dialect::kAzure;
  out << (azure ? "step,train_loss,train_mean_token_accuracy,valid_loss,validation_mean_token_accuracy,"
                  "full_valid_loss,full_valid_mean_token_accuracy\n"
                : "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n");
  for (std::int64_t step = 1; step <= last_step; ++step) {
    const StepMetrics m = metricsAt(seed, step, total_steps, has_validation);
    out << step << ',' << formatMetric(m.train_loss) << ',' << formatMetric(m.train_accuracy) << ',';
    out << (m.valid_loss ? formatMetric(*m.valid_loss) : "") << ','
        << (m.valid_accuracy ? formatMetric(*m.valid_accuracy) : "");
    if (azure) {
      const bool last = step == last_step && m.valid_loss;
      out << ',' << (last ? formatMetric(*m.valid_loss) : "") << ',' << (last ? formatMetric(*m.valid_accuracy) : "");
    }
    out << '\n';
  }
  return out.str();
}

nlohmann::json checkpointMetrics(const StepMetrics& m) {
  nlohmann::json out = {{"step", m.step}, {"train_loss", m.train_loss}, {"train_mean_token_accuracy", m.train_accuracy}};
  if (m.valid_loss) {
    out["valid_loss"] = *m.valid_loss;
    out["valid_mean_token_accuracy"] = *m.valid_accuracy;
    out["full_valid_loss"] = *m.valid_loss;
    out["full_valid_mean_token_accuracy"] = *m.valid_accuracy;
  }
  return out;
}

}  // namespace ajuste::emulator
