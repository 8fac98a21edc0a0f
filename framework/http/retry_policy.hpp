#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "ajuste/http.hpp"

namespace ajuste {

// When and how long to wait before trying a request again. The constants follow the official
// OpenAI SDKs (0.5 s doubling to 8 s, jitter taking off up to 25%, a server's retry-after
// obeyed when it is at most 60 s); ajuste retries more times by default because a failed
// upload costs a user far more than a slower one.
struct RetryPolicy {
  int max_retries = 6;
  std::chrono::milliseconds initial_delay{500};
  std::chrono::milliseconds max_delay{8'000};
  std::chrono::milliseconds max_retry_after{60'000};
};

// 408, 409, 429 and 5xx, unless the server says `x-should-retry: false` (or true for others).
bool isRetryableStatus(const HttpResponse& response);

// The delay the server asked for: retry-after-ms, else retry-after in seconds or as an HTTP
// date (relative to `now`); nothing when absent, unparsable, negative or above the policy's cap.
std::optional<std::chrono::milliseconds> serverRetryDelay(const HttpResponse& response, const RetryPolicy& policy,
                                                          std::chrono::system_clock::time_point now);

// Exponential backoff for the retry after `retries_done` retries: min(initial * 2^n, max),
// scaled by `jitter` in [0, 1) as (1 - 0.25 * jitter).
std::chrono::milliseconds backoffDelay(const RetryPolicy& policy, int retries_done, double jitter);

// Whether a request may be sent again without risk of doing it twice.
bool isIdempotent(const HttpRequest& request);

}  // namespace ajuste
