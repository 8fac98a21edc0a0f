#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "ajuste/status.hpp"
#include "endpoint.hpp"

namespace ajuste::provider::openai {

inline constexpr std::string_view kDefaultBaseUrl = "https://api.openai.com/v1";
inline constexpr std::string_view kDefaultKeyEnv = "OPENAI_API_KEY";

// The connection options of every openai stage (JSON Schema properties).
extern const std::string_view kConnectionProperties;

// Like the official SDKs: base_url option, else OPENAI_BASE_URL, else https://api.openai.com/v1;
// the key from the variable named by api_key_env (default OPENAI_API_KEY). For the stages after
// upload, the `provider` artifact replaces the environment and the defaults, and the stage's own
// options still win. Any server that speaks the API works (the emulator, a proxy, a gateway).
Result<Endpoint> resolveEndpoint(const nlohmann::json& with, const nlohmann::json* artifact);

}  // namespace ajuste::provider::openai
