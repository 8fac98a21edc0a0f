#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ajuste::provider {

// Decides which training-metrics events become log lines, so a 3,000-step job does not print
// 3,000 of them: the first, the last, the first step of each new 10% of the steps, and
// otherwise at most one every `every` (0 = only the 10% marks).
class ProgressThrottle {
 public:
  explicit ProgressThrottle(std::chrono::milliseconds every) : every_(every) {}

  [[nodiscard]] bool due(std::int64_t step, std::int64_t total_steps, std::chrono::steady_clock::time_point now);

 private:
  std::chrono::milliseconds every_;
  std::optional<std::chrono::steady_clock::time_point> last_logged_;
  std::int64_t last_decile_ = -1;
};

// "step 120/300 train loss 0.41 valid loss 0.46" from a metrics event's `data`;
// "" when the data has no step.
std::string metricsLine(const nlohmann::json& data);

}  // namespace ajuste::provider
