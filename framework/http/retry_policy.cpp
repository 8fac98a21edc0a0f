#include "http/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <string>

namespace ajuste {

bool isRetryableStatus(const HttpResponse& response) {
  if (const auto should = response.header("x-should-retry")) {
    if (*should == "true") return true;
    if (*should == "false") return false;
  }
  const long s = response.status;
  return s == 408 || s == 409 || s == 429 || s >= 500;
}

namespace {

std::optional<double> parseNumber(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// RFC 9110 IMF-fixdate: "Wed, 21 Oct 2015 07:28:00 GMT".
std::optional<std::chrono::system_clock::time_point> parseHttpDate(const std::string& text) {
  std::tm tm{};
  const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

}  // namespace

std::optional<std::chrono::milliseconds> serverRetryDelay(const HttpResponse& response, const RetryPolicy& policy,
                                                          std::chrono::system_clock::time_point now) {
  std::optional<std::chrono::milliseconds> delay;
  if (const auto ms = response.header("retry-after-ms")) {
    if (const auto value = parseNumber(*ms)) delay = std::chrono::milliseconds(std::llround(*value));
  }
  if (!delay) {
    if (const auto after = response.header("retry-after")) {
      if (const auto seconds = parseNumber(*after)) {
        delay = std::chrono::milliseconds(std::llround(*seconds * 1000.0));
      } else if (const auto date = parseHttpDate(*after)) {
        delay = std::chrono::duration_cast<std::chrono::milliseconds>(*date - now);
      }
    }
  }
  if (!delay || delay->count() < 0 || *delay > policy.max_retry_after) return std::nullopt;
  return delay;
}

std::chrono::milliseconds backoffDelay(const RetryPolicy& policy, int retries_done, double jitter) {
  const double base = static_cast<double>(policy.initial_delay.count()) * std::pow(2.0, std::min(retries_done, 30));
  const double capped = std::min(base, static_cast<double>(policy.max_delay.count()));
  return std::chrono::milliseconds(std::llround(capped * (1.0 - 0.25 * std::clamp(jitter, 0.0, 1.0))));
}

bool isIdempotent(const HttpRequest& request) {
  switch (request.idempotency) {
    case Idempotency::kIdempotent: return true;
    case Idempotency::kNotIdempotent: return false;
    case Idempotency::kByMethod: break;
  }
  return request.method == "GET" || request.method == "HEAD" || request.method == "PUT" ||
         request.method == "DELETE" || request.method == "OPTIONS";
}

}  // namespace ajuste
