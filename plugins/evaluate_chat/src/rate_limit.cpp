#include "rate_limit.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

namespace ajuste::evaluate_chat {
namespace {
constexpr std::chrono::milliseconds kDefaultPause{1000};
constexpr std::chrono::milliseconds kLongestPause{60'000};
}  // namespace

std::optional<std::chrono::milliseconds> parseResetDuration(std::string_view text) {
  double total_ms = 0;
  bool any = false;
  while (!text.empty()) {
    std::size_t digits = 0;
    while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) != 0 || text[digits] == '.')) {
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    const double value = std::stod(std::string(text.substr(0, digits)));
    text.remove_prefix(digits);
    double unit_ms = 0;
    if (text.starts_with("ms")) {
      unit_ms = 1;
      text.remove_prefix(2);
    } else if (text.starts_with("s")) {
      unit_ms = 1000;
      text.remove_prefix(1);
    } else if (text.starts_with("m")) {
      unit_ms = 60'000;
      text.remove_prefix(1);
    } else if (text.starts_with("h")) {
      unit_ms = 3'600'000;
      text.remove_prefix(1);
    } else {
      return std::nullopt;
    }
    total_ms += value * unit_ms;
    any = true;
  }
  if (!any) return std::nullopt;
  return std::chrono::milliseconds(std::llround(total_ms));
}

std::chrono::milliseconds pauseAfter(const HttpResponse& response, long low_water) {
  const auto remaining = response.header("x-ratelimit-remaining-requests");
  if (!remaining) return std::chrono::milliseconds{0};
  char* end = nullptr;
  const long left = std::strtol(remaining->c_str(), &end, 10);
  if (end == remaining->c_str() || left >= low_water) return std::chrono::milliseconds{0};
  std::chrono::milliseconds pause = kDefaultPause;
  if (const auto reset = response.header("x-ratelimit-reset-requests")) {
    if (const auto parsed = parseResetDuration(*reset)) pause = *parsed;
  }
  return std::clamp(pause, std::chrono::milliseconds{0}, kLongestPause);
}

}  // namespace ajuste::evaluate_chat
