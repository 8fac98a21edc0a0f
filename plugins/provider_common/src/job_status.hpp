#pragma once

#include <string_view>

namespace ajuste::provider {

// Job statuses across flavours. OpenAI: validating_files, queued, running, succeeded, failed,
// cancelled; Azure dated: created, pending, running, succeeded, failed, cancelled. Anything
// else (a status added later, "paused") counts as still in progress, never as an error.
inline bool isFinalJobStatus(std::string_view status) {
  return status == "succeeded" || status == "failed" || status == "cancelled";
}

inline bool isFailedJobStatus(std::string_view status) { return status == "failed" || status == "cancelled"; }

}  // namespace ajuste::provider
