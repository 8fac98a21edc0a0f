#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "ajuste/http.hpp"

namespace ajuste::evaluate_chat {

// "1s", "6m0s", "20ms", "1m30.5s", "250ms" (the x-ratelimit-reset-* format) -> milliseconds;
// nullopt when the text is not such a duration.
std::optional<std::chrono::milliseconds> parseResetDuration(std::string_view text);

// How long to hold back before the next request, after `response`: when
// x-ratelimit-remaining-requests is below `low_water`, until x-ratelimit-reset-requests (1 s
// when absent, at most 60 s); zero otherwise. The HttpClient handles an actual 429 itself.
std::chrono::milliseconds pauseAfter(const HttpResponse& response, long low_water);

}  // namespace ajuste::evaluate_chat
