#include "deploy_stage.hpp"

#include <cmath>
#include <utility>

#include "api_error.hpp"
#include "connection.hpp"
#include "ledger.hpp"

namespace ajuste::provider::azure {
namespace {

constexpr std::size_t kMaxDeploymentName = 64;

constexpr std::string_view kSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "required": ["subscription_id", "resource_group"],
  "properties": {
    "subscription_id": {"type": "string", "minLength": 1,
      "description": "Azure subscription id of the Azure OpenAI resource."},
    "resource_group": {"type": "string", "minLength": 1,
      "description": "Resource group of the Azure OpenAI resource."},
    "resource": {"type": "string", "minLength": 1,
      "description": "Name of the Azure OpenAI resource (account). Default: the first label of the endpoint's host, e.g. myres for https://myres.openai.azure.com."},
    "deployment": {"type": "string", "pattern": "^[A-Za-z0-9._-]{2,64}$",
      "description": "Deployment name (what chat requests name). Default: derived from the fine-tuned model's name."},
    "model": {"type": "string", "minLength": 1,
      "description": "Model to deploy. Default: the fine_tuned_model the monitor stage published."},
    "sku": {"enum": ["standard", "globalstandard", "developer"], "default": "standard",
      "description": "Deployment SKU; which ones a fine-tuned model may use depends on the model and region."},
    "capacity": {"type": "integer", "minimum": 1, "default": 1,
      "description": "SKU capacity (units of throughput)."},
    "model_version": {"type": "string", "minLength": 1, "default": "1",
      "description": "properties.model.version of the deployment."},
    "arm_token_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "default": "AZURE_ARM_TOKEN",
      "description": "Environment variable holding an Azure Resource Manager token (scope https://management.azure.com/.default, e.g. `az account get-access-token --query accessToken -o tsv`). Not the data-plane key."},
    "management_url": {"type": "string", "minLength": 1, "default": "https://management.azure.com",
      "description": "Azure Resource Manager base URL (another cloud, or a test server)."},
    "arm_api_version": {"type": "string", "minLength": 1, "default": "2024-10-01",
      "description": "api-version of the Microsoft.CognitiveServices deployments API."},
    "poll_interval_s": {"type": "number", "exclusiveMinimum": 0, "default": 10,
      "description": "Seconds between checks of the deployment's provisioningState."},
    "timeout_s": {"type": "number", "exclusiveMinimum": 0, "default": 1800,
      "description": "Give up waiting for the deployment to succeed after this many seconds (it stays recorded; a re-run checks it again)."}
  }
})json";

std::string text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string provisioningState(const nlohmann::json& deployment) {
  const auto properties = deployment.find("properties");
  return properties != deployment.end() && properties->is_object() ? text(*properties, "provisioningState")
                                                                   : std::string();
}

std::string deployedModel(const nlohmann::json& deployment) {
  const auto properties = deployment.find("properties");
  if (properties == deployment.end() || !properties->is_object()) return {};
  const auto model = properties->find("model");
  return model != properties->end() && model->is_object() ? text(*model, "name") : std::string();
}

// One ARM request: its own base URL and token, errors in Microsoft's shape.
class ArmClient {
 public:
  ArmClient(Context& ctx, std::string url, std::string token)
      : ctx_(ctx), url_(std::move(url)), token_(std::move(token)) {}

  Result<HttpResponse> send(const std::string& method, std::optional<nlohmann::json> body, const std::string& what) {
    HttpRequest request;
    request.method = method;
    request.url = url_;
    request.headers.push_back({"Authorization", "Bearer " + token_});
    if (body) {
      request.headers.push_back({"Content-Type", "application/json"});
      request.body = body->dump();
    }
    auto response = ctx_.http().send(request);
    if (!response.ok()) return response.error().withPrefix(what);
    return response;
  }

 private:
  Context& ctx_;
  std::string url_;
  std::string token_;
};

Status armFailure(const HttpResponse& response, const std::string& what) {
  return Status::providerError(what + ": " + parseApiError(response).describe());
}

}  // namespace

std::string deploymentNameFor(std::string_view model) {
  std::string name;
  for (const char c : model) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
    if (ok) {
      name += c;
    } else if (!name.empty() && name.back() != '-') {
      name += '-';
    }
  }
  while (!name.empty() && name.back() == '-') name.pop_back();
  if (name.size() > kMaxDeploymentName) name = name.substr(name.size() - kMaxDeploymentName);  // keep the unique tail
  return name.empty() ? std::string("fine-tuned") : name;
}

std::string resourceFromEndpoint(std::string_view endpoint) {
  const auto scheme = endpoint.find("://");
  std::string_view host = scheme == std::string_view::npos ? endpoint : endpoint.substr(scheme + 3);
  host = host.substr(0, host.find_first_of("/:"));
  return std::string(host.substr(0, host.find('.')));
}

DeployStage::DeployStage(DeployOptions options) : options_(std::move(options)) {}

const StageInfo& DeployStage::info() {
  static const StageInfo kInfo{
      .name = "deploy/azure",
      .kind = StageKind::kArtifacts,
      .summary =
          "Optional last step on Azure, which (unlike OpenAI) serves a fine-tuned model only once it is deployed: "
          "creates or updates the deployment through Azure Resource Manager (PUT .../accounts/{resource}/"
          "deployments/{name}?api-version=2024-10-01 with sku and capacity, authorised by an ARM token from "
          "arm_token_env) and waits until its provisioningState is Succeeded. A deployment already serving the "
          "model is adopted. Deployments bill hourly hosting while they exist (inactive ones are deleted after 15 "
          "days). Publishes `deployment`.",
      .options_schema = std::string(kSchema),
      .consumes = {artifacts::kFineTunedModel, artifacts::kProvider},
      .produces = {"deployment"},
      .parallel = false,
      .make = &DeployStage::make,
  };
  return kInfo;
}

Result<std::unique_ptr<Stage>> DeployStage::make(const nlohmann::json& with, Context& /*ctx*/) {
  DeployOptions options;
  options.subscription_id = with.at("subscription_id").get<std::string>();
  options.resource_group = with.at("resource_group").get<std::string>();
  options.resource = with.value("resource", std::string());
  options.deployment = with.value("deployment", std::string());
  options.model = with.value("model", std::string());
  options.sku = with.value("sku", options.sku);
  options.capacity = with.value("capacity", options.capacity);
  options.model_version = with.value("model_version", options.model_version);
  options.arm_token_env = with.value("arm_token_env", options.arm_token_env);
  options.management_url = withoutTrailingSlashes(with.value("management_url", options.management_url));
  if (const std::string why = badBaseUrlReason(options.management_url); !why.empty()) {
    return Status::configError("/management_url", why);
  }
  options.arm_api_version = with.value("arm_api_version", options.arm_api_version);
  options.poll_interval = std::chrono::milliseconds(std::llround(with.value("poll_interval_s", 10.0) * 1000.0));
  options.timeout = std::chrono::milliseconds(std::llround(with.value("timeout_s", 1800.0) * 1000.0));
  return std::unique_ptr<Stage>(std::make_unique<DeployStage>(std::move(options)));
}

Status DeployStage::run(Context& ctx) {
  std::string model = options_.model;
  if (model.empty()) {
    const auto artifact = ctx.artifact(artifacts::kFineTunedModel);
    if (!artifact || !artifact->is_string() || artifact->get<std::string>().empty()) {
      return Status::dataError("there is no fine-tuned model to deploy: artifact fine_tuned_model is " +
                               (artifact ? artifact->dump() : std::string("absent")) +
                               "; put monitor/azure before this stage or set model:");
    }
    model = artifact->get<std::string>();
  }
  std::string resource = options_.resource;
  if (resource.empty()) {
    const auto provider = ctx.artifact(artifacts::kProvider);
    if (provider && provider->is_object()) resource = resourceFromEndpoint(text(*provider, "endpoint"));
    if (resource.empty()) {
      return Status::configError(
          "/resource", "cannot tell the Azure OpenAI resource name from the provider artifact; set resource:");
    }
  }
  const std::string name = options_.deployment.empty() ? deploymentNameFor(model) : options_.deployment;
  const std::string url = options_.management_url + "/subscriptions/" + urlEncode(options_.subscription_id) +
                          "/resourceGroups/" + urlEncode(options_.resource_group) +
                          "/providers/Microsoft.CognitiveServices/accounts/" + urlEncode(resource) + "/deployments/" +
                          urlEncode(name) + "?api-version=" + urlEncode(options_.arm_api_version);
  auto token = ctx.secret(options_.arm_token_env);
  if (!token.ok())
    return Status::configError("/arm_token_env", "no Azure Resource Manager token: " + token.error().message());
  ArmClient arm(ctx, url, std::move(token).value());
  Ledger ledger(ctx, "deployments");
  const std::string what = "deployment " + name + " of " + resource;

  auto existing = arm.send("GET", std::nullopt, "reading " + what);
  if (!existing.ok()) return existing.error();
  nlohmann::json deployment;
  bool needs_put = true;
  if (existing->success()) {
    deployment = nlohmann::json::parse(existing->body, nullptr, false);
    const std::string state = provisioningState(deployment);
    if (deployedModel(deployment) == model && state != "Failed" && state != "Canceled") {
      needs_put = false;
      ctx.info(what + " already serves " + model + " (" + state + "): adopting it");
    } else if (!deployedModel(deployment).empty() && deployedModel(deployment) != model) {
      ctx.warn(what + " serves " + deployedModel(deployment) + "; updating it to " + model);
    }
  } else if (existing->status != 404) {
    return armFailure(*existing, "reading " + what);
  }
  if (needs_put) {
    const nlohmann::json body = {
        {"sku", {{"name", options_.sku}, {"capacity", options_.capacity}}},
        {"properties", {{"model", {{"format", "OpenAI"}, {"name", model}, {"version", options_.model_version}}}}}};
    if (Status saved = ledger.put(name, {{"model", model}, {"resource", resource}, {"state", "requested"}});
        !saved.isOk()) {
      return saved;
    }
    auto put = arm.send("PUT", body, "creating " + what);
    if (!put.ok()) return put.error();
    if (!put->success()) return armFailure(*put, "creating " + what);
    deployment = nlohmann::json::parse(put->body, nullptr, false);
    ctx.info("requested " + what + " for " + model + " (sku " + options_.sku + ", capacity " +
             std::to_string(options_.capacity) + ")");
    ctx.warn(
        "a deployed fine-tuned model bills hourly hosting while the deployment exists; Azure deletes inactive "
        "ones after 15 days");
  }

  std::chrono::milliseconds waited{0};
  for (std::string state = provisioningState(deployment); state != "Succeeded"; state = provisioningState(deployment)) {
    if (state == "Failed" || state == "Canceled") {
      return Status::providerError(what + " ended " + state + ": " + deployment.dump());
    }
    if (waited >= options_.timeout) {
      return Status::providerError(what + " is still " + (state.empty() ? std::string("provisioning") : state) +
                                   " after " + std::to_string(waited.count() / 1000) + " s; a re-run checks it again");
    }
    if (Status slept = ctx.wait(options_.poll_interval); !slept.isOk()) return slept;
    waited += options_.poll_interval;
    auto polled = arm.send("GET", std::nullopt, "checking " + what);
    if (!polled.ok()) return polled.error();
    if (!polled->success()) return armFailure(*polled, "checking " + what);
    deployment = nlohmann::json::parse(polled->body, nullptr, false);
  }
  if (Status saved = ledger.put(name, {{"model", model}, {"resource", resource}, {"state", "Succeeded"}});
      !saved.isOk()) {
    return saved;
  }
  const nlohmann::json published = {{"name", name},
                                    {"model", model},
                                    {"resource", resource},
                                    {"id", deployment.value("id", nlohmann::json(nullptr))},
                                    {"provisioning_state", "Succeeded"}};
  ctx.report("deployment", published);
  ctx.info(what + " serves " + model + ": chat requests go to deployments/" + name);
  return ctx.publish("deployment", published);
}

}  // namespace ajuste::provider::azure
