#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "ajuste/status.hpp"
#include "endpoint.hpp"

namespace ajuste::provider::azure {

inline constexpr std::string_view kDefaultApiVersion = "2024-10-21";
inline constexpr std::string_view kDefaultKeyEnv = "AZURE_OPENAI_API_KEY";

// The connection options of every azure stage (JSON Schema properties), and the rule that a key
// and an Entra token are not both given.
extern const std::string_view kConnectionProperties;
extern const std::string_view kConnectionRules;

// endpoint option, else AZURE_OPENAI_ENDPOINT (https://{resource}.openai.azure.com; a trailing
// /openai or /openai/v1 is dropped). api_version default 2024-10-21, "v1" selects the
// /openai/v1/ API. Credential: api_key_env (default AZURE_OPENAI_API_KEY, sent as `api-key`) or
// bearer_token_env (an Entra ID token, sent as Authorization: Bearer). After upload, the
// `provider` artifact replaces the environment and defaults; the stage's own options still win.
Result<Endpoint> resolveEndpoint(const nlohmann::json& with, const nlohmann::json* artifact);

// "https://myres.openai.azure.com/openai/" -> "https://myres.openai.azure.com".
std::string normalisedEndpoint(std::string url);

}  // namespace ajuste::provider::azure
