#include "openai_connection.hpp"

#include <cstdlib>

namespace ajuste::provider::openai {

const std::string_view kConnectionProperties = R"json({
  "base_url": {
    "type": "string", "minLength": 1,
    "description": "API base URL including /v1. Default: OPENAI_BASE_URL from the environment, else https://api.openai.com/v1 (after upload: the provider artifact). Any server that speaks the OpenAI API works, e.g. the ajuste emulator at http://127.0.0.1:PORT/v1."
  },
  "api_key_env": {
    "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
    "description": "Name of the environment variable that holds the API key (sent as Authorization: Bearer). Default OPENAI_API_KEY (after upload: the provider artifact). The key itself never goes into the pipeline, logs, reports or state."
  }
})json";

Result<Endpoint> resolveEndpoint(const nlohmann::json& with, const nlohmann::json* artifact) {
  Endpoint endpoint;
  if (artifact != nullptr) {
    auto from = Endpoint::fromArtifact(*artifact);
    if (!from.ok()) return from.error();
    if (from->provider != "openai") {
      return Status::configError("", "the provider artifact comes from an upload to " + from->describe() +
                                         ", but this is an openai stage; use the " + from->provider +
                                         " stages throughout the pipeline");
    }
    endpoint = std::move(from).value();
  } else {
    endpoint.provider = "openai";
    endpoint.flavour = Flavour::kOpenAi;
    endpoint.auth = AuthScheme::kBearer;
    const char* env_url = std::getenv("OPENAI_BASE_URL");
    endpoint.base_url = env_url != nullptr && *env_url != '\0' ? env_url : std::string(kDefaultBaseUrl);
    endpoint.credential_env = kDefaultKeyEnv;
    if (const std::string why = badBaseUrlReason(endpoint.base_url); !why.empty() && !with.contains("base_url")) {
      return Status::configError("", "OPENAI_BASE_URL " + why);
    }
  }
  if (with.contains("base_url")) {
    endpoint.base_url = with.at("base_url").get<std::string>();
    if (const std::string why = badBaseUrlReason(endpoint.base_url); !why.empty()) {
      return Status::configError("/base_url", why);
    }
  }
  if (with.contains("api_key_env")) endpoint.credential_env = with.at("api_key_env").get<std::string>();
  endpoint.base_url = withoutTrailingSlashes(endpoint.base_url);
  return endpoint;
}

}  // namespace ajuste::provider::openai
