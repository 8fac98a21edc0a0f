#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ajuste::provider {

// What the run's reports (summary.json, the HTML report) read under the monitor's key "job":
//   {"provider", "job_id", "status", "base_model", "fine_tuned_model", "trained_tokens",
//    "estimated_billed_tokens", "estimated_usd", "actual_usd", "simulated": bool,
//    "error": null | {"code", "message", "param"}, "checkpoints": [{"step", "model"}]}
// Unknown values are null. The estimate comes from the optional `training_estimate` artifact
// ({billed_tokens, usd_per_1m_training_tokens, usd}); actual_usd = trained_tokens x price / 1e6
// when both are known.
nlohmann::json jobReport(const std::string& provider, const std::string& job_id, const nlohmann::json& job,
                         const std::optional<nlohmann::json>& estimate, bool simulated,
                         const nlohmann::json& checkpoints);

// The job's error as {"code", "message", "param"}, or null.
nlohmann::json jobError(const nlohmann::json& job);

}  // namespace ajuste::provider
