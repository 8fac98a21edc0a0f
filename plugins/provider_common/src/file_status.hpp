#pragma once

#include <chrono>
#include <string>

#include "ajuste/status.hpp"
#include "api_client.hpp"

namespace ajuste::provider {

struct PollSettings {
  std::chrono::milliseconds interval{5'000};
  std::chrono::milliseconds timeout{7'200'000};
};

// Polls GET /files/{id} until the provider has processed the file: `processed` (or no status at
// all: the field is deprecated on OpenAI). In progress: OpenAI `uploaded`, Azure `pending` and
// `running`, and any status we do not know. `error` fails with the provider's status_details
// (Azure checks the JSONL here and names the offending line). Waits with Context::wait, so an
// interrupt stops it (Status::cancelled).
Status waitUntilProcessed(ApiClient& api, const std::string& file_id, const std::string& label,
                          const PollSettings& poll);

}  // namespace ajuste::provider
