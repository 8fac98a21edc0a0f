#include "progress_throttle.hpp"

#include <cstdio>

namespace ajuste::provider {
namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

}  // namespace

bool ProgressThrottle::due(std::int64_t step, std::int64_t total_steps, std::chrono::steady_clock::time_point now) {
  const std::int64_t decile = total_steps > 0 ? step * 10 / total_steps : -1;
  const bool first = !last_logged_.has_value();
  const bool last = total_steps > 0 && step >= total_steps;
  const bool new_decile = decile > last_decile_;
  const bool time_passed = every_.count() > 0 && last_logged_ && now - *last_logged_ >= every_;
  if (!(first || last || new_decile || time_passed)) return false;
  last_logged_ = now;
  if (decile > last_decile_) last_decile_ = decile;
  return true;
}

std::string metricsLine(const nlohmann::json& data) {
  if (!data.is_object() || !data.contains("step") || !data["step"].is_number()) return {};
  std::string line = "step " + std::to_string(data["step"].get<std::int64_t>());
  if (data.contains("total_steps") && data["total_steps"].is_number()) {
    line += "/" + std::to_string(data["total_steps"].get<std::int64_t>());
  }
  const auto add = [&](const char* label, const char* key) {
    if (data.contains(key) && data[key].is_number())
      line += std::string(" ") + label + " " + number(data[key].get<double>());
  };
  add("train loss", "train_loss");
  add("valid loss", "valid_loss");
  if (!data.contains("valid_loss")) add("full valid loss", "full_valid_loss");
  return line;
}

}  // namespace ajuste::provider
