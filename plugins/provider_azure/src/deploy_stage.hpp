#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ajuste/stage.hpp"

namespace ajuste::provider::azure {

struct DeployOptions {
  std::string subscription_id;
  std::string resource_group;
  std::string resource;    // "" = the first label of the endpoint's host name
  std::string deployment;  // "" = derived from the fine-tuned model's name
  std::string model;       // "" = the fine_tuned_model artifact
  std::string sku = "standard";
  std::int64_t capacity = 1;
  std::string model_version = "1";
  std::string arm_token_env = "AZURE_ARM_TOKEN";
  std::string management_url = "https://management.azure.com";
  std::string arm_api_version = "2024-10-01";
  std::chrono::milliseconds poll_interval{10'000};
  std::chrono::milliseconds timeout{1'800'000};
};

// deploy/azure: Azure does not serve a fine-tuned model until it is deployed (OpenAI does). This
// optional step creates (or updates) the deployment through Azure Resource Manager:
//   PUT {management_url}/subscriptions/{sub}/resourceGroups/{rg}/providers/
//       Microsoft.CognitiveServices/accounts/{resource}/deployments/{name}?api-version=2024-10-01
// with its own bearer token (scope https://management.azure.com/.default), then polls the
// deployment until properties.provisioningState is Succeeded. PUT is create-or-update, so a
// re-run is harmless; a deployment already serving the same model is adopted without a PUT.
// Consumes fine_tuned_model and provider; publishes `deployment` {name, model, resource, id,
// provisioning_state}.
class DeployStage final : public ArtifactStage {
 public:
  explicit DeployStage(DeployOptions options);
  [[nodiscard]] Status run(Context& ctx) override;

  static const StageInfo& info();
  static Result<std::unique_ptr<Stage>> make(const nlohmann::json& with, Context& ctx);

 private:
  const DeployOptions options_;
};

// "ft:gpt-4o-mini:org::abc" -> "ft-gpt-4o-mini-org-abc": a deployment name Azure accepts
// (letters, digits, '-', '_', '.'; at most 64 characters).
std::string deploymentNameFor(std::string_view model);

// "https://myres.openai.azure.com" -> "myres".
std::string resourceFromEndpoint(std::string_view endpoint);

}  // namespace ajuste::provider::azure
