#include "job_report.hpp"

namespace ajuste::provider {
namespace {

nlohmann::json field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nlohmann::json(nullptr) : *it;
}

nlohmann::json numberOrNull(const nlohmann::json& value) { return value.is_number() ? value : nlohmann::json(nullptr); }

}  // namespace

nlohmann::json jobError(const nlohmann::json& job) {
  const nlohmann::json error = field(job, "error");
  if (!error.is_object()) return nullptr;
  const auto text = [&](const char* key) {
    const nlohmann::json value = field(error, key);
    return value.is_null() ? nlohmann::json(nullptr) : value.is_string() ? value : nlohmann::json(value.dump());
  };
  // OpenAI sends {"code": null, "message": null, "param": null}-like objects for jobs that did not fail.
  if (text("code").is_null() && text("message").is_null()) return nullptr;
  return {{"code", text("code")}, {"message", text("message")}, {"param", text("param")}};
}

nlohmann::json jobReport(const std::string& provider, const std::string& job_id, const nlohmann::json& job,
                         const std::optional<nlohmann::json>& estimate, bool simulated,
                         const nlohmann::json& checkpoints) {
  const nlohmann::json trained_tokens = numberOrNull(field(job, "trained_tokens"));
  nlohmann::json billed = nullptr;
  nlohmann::json estimated_usd = nullptr;
  nlohmann::json actual_usd = nullptr;
  if (estimate && estimate->is_object()) {
    billed = numberOrNull(field(*estimate, "billed_tokens"));
    estimated_usd = numberOrNull(field(*estimate, "usd"));
    const nlohmann::json price = numberOrNull(field(*estimate, "usd_per_1m_training_tokens"));
    if (price.is_number() && trained_tokens.is_number()) {
      actual_usd = trained_tokens.get<double>() * price.get<double>() / 1e6;
    }
  }
  return {{"provider", provider},
          {"job_id", job_id},
          {"status", field(job, "status")},
          {"base_model", field(job, "model")},
          {"fine_tuned_model", field(job, "fine_tuned_model")},
          {"trained_tokens", trained_tokens},
          {"estimated_billed_tokens", billed},
          {"estimated_usd", estimated_usd},
          {"actual_usd", actual_usd},
          {"simulated", simulated},
          {"error", jobError(job)},
          {"checkpoints", checkpoints.is_array() ? checkpoints : nlohmann::json::array()}};
}

}  // namespace ajuste::provider
