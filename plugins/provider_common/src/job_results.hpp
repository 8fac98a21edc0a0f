#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "ajuste/status.hpp"
#include "api_client.hpp"

namespace ajuste::provider {

struct JobResults {
  std::optional<std::filesystem::path> metrics_file;     // none when the job has no result file
  nlohmann::json metrics;                                // columnar, see metrics_csv.hpp
  nlohmann::json checkpoints = nlohmann::json::array();  // [{"step", "model"}], by step
};

// What a succeeded job leaves: its result file (the per-step metrics CSV, `result_files[0]`),
// downloaded to `metrics_path` with GET /files/{id}/content and parsed by header name, and its
// checkpoints (GET /fine_tuning/jobs/{id}/checkpoints). A service without checkpoints (404)
// gives an empty list with a warning rather than failing a job that succeeded.
Result<JobResults> collectResults(ApiClient& api, const nlohmann::json& job, const std::filesystem::path& metrics_path);

}  // namespace ajuste::provider
