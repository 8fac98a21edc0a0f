#include "azure_connection.hpp"

#include <cstdlib>

namespace ajuste::provider::azure {

const std::string_view kConnectionProperties = R"json({
  "endpoint": {
    "type": "string", "minLength": 1,
    "description": "The resource endpoint, https://{resource}.openai.azure.com. Default: AZURE_OPENAI_ENDPOINT from the environment (after upload: the provider artifact)."
  },
  "api_version": {
    "type": "string", "pattern": "^(v1|[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?)$",
    "description": "Data-plane API version: default 2024-10-21 (the dated API, /openai/...?api-version=); v1 selects the OpenAI-compatible /openai/v1/ API; a *-preview version is needed for DPO on the dated API."
  },
  "api_key_env": {
    "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
    "description": "Name of the environment variable holding the resource key, sent as the api-key header. Default AZURE_OPENAI_API_KEY. Give this or bearer_token_env."
  },
  "bearer_token_env": {
    "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
    "description": "Name of the environment variable holding a Microsoft Entra ID token (scope https://cognitiveservices.azure.com/.default, e.g. from `az account get-access-token`), sent as Authorization: Bearer. Instead of api_key_env."
  }
})json";

const std::string_view kConnectionRules = R"json({
  "not": {"required": ["api_key_env", "bearer_token_env"]}
})json";

std::string normalisedEndpoint(std::string url) {
  url = withoutTrailingSlashes(std::move(url));
  for (const std::string_view tail : {"/openai/v1", "/openai"}) {
    if (url.ends_with(tail)) {
      url.resize(url.size() - tail.size());
      break;
    }
  }
  return withoutTrailingSlashes(std::move(url));
}

Result<Endpoint> resolveEndpoint(const nlohmann::json& with, const nlohmann::json* artifact) {
  if (with.contains("api_key_env") && with.contains("bearer_token_env")) {
    return Status::configError("/bearer_token_env", "give api_key_env or bearer_token_env, not both");
  }
  Endpoint endpoint;
  if (artifact != nullptr) {
    auto from = Endpoint::fromArtifact(*artifact);
    if (!from.ok()) return from.error();
    if (from->provider != "azure") {
      return Status::configError("", "the provider artifact comes from an upload to " + from->describe() +
                                         ", but this is an azure stage; use the " + from->provider +
                                         " stages throughout the pipeline");
    }
    endpoint = std::move(from).value();
  } else {
    endpoint.provider = "azure";
    endpoint.api_version = kDefaultApiVersion;
    endpoint.auth = AuthScheme::kApiKey;
    endpoint.credential_env = kDefaultKeyEnv;
    if (!with.contains("endpoint")) {
      const char* env = std::getenv("AZURE_OPENAI_ENDPOINT");
      if (env == nullptr || *env == '\0') {
        return Status::configError("/endpoint",
                                   "no Azure OpenAI endpoint: set endpoint: https://<resource>.openai.azure.com "
                                   "or export AZURE_OPENAI_ENDPOINT");
      }
      endpoint.base_url = env;
      if (const std::string why = badBaseUrlReason(endpoint.base_url); !why.empty()) {
        return Status::configError("", "AZURE_OPENAI_ENDPOINT " + why);
      }
    }
  }
  if (with.contains("endpoint")) {
    endpoint.base_url = with.at("endpoint").get<std::string>();
    if (const std::string why = badBaseUrlReason(endpoint.base_url); !why.empty()) {
      return Status::configError("/endpoint", why);
    }
  }
  endpoint.base_url = normalisedEndpoint(endpoint.base_url);
  if (with.contains("api_version")) endpoint.api_version = with.at("api_version").get<std::string>();
  endpoint.flavour = endpoint.api_version == "v1" ? Flavour::kAzureV1 : Flavour::kAzureDated;
  if (with.contains("api_key_env")) {
    endpoint.auth = AuthScheme::kApiKey;
    endpoint.credential_env = with.at("api_key_env").get<std::string>();
  } else if (with.contains("bearer_token_env")) {
    endpoint.auth = AuthScheme::kBearer;
    endpoint.credential_env = with.at("bearer_token_env").get<std::string>();
  }
  return endpoint;
}

}  // namespace ajuste::provider::azure
