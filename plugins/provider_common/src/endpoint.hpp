#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "ajuste/http.hpp"
#include "ajuste/status.hpp"

namespace ajuste::provider {

// The three URL and behaviour families the stages speak. Behaviour that differs between them
// (status names, response codes, metadata, "auto" hyperparameters) is asked of the Endpoint,
// never decided from the provider's name.
enum class Flavour {
  kOpenAi,      // {base_url}/files, e.g. https://api.openai.com/v1 or any server speaking the API
  kAzureDated,  // {endpoint}/openai/files?api-version=2024-10-21
  kAzureV1,     // {endpoint}/openai/v1/files: OpenAI-compatible paths and bodies
};

enum class AuthScheme {
  kBearer,  // Authorization: Bearer <key or Entra token>
  kApiKey,  // api-key: <key> (Azure)
};

// Where a provider's API lives and how to authenticate, without the secret itself: this is
// what travels as the `provider` artifact and what identifies the service in the ledger (an id
// is only meaningful on the service that issued it).
struct Endpoint {
  std::string provider;  // "openai" | "azure"
  Flavour flavour = Flavour::kOpenAi;
  std::string base_url;     // OpenAI: ".../v1"; Azure: "https://res.openai.azure.com" (no /openai)
  std::string api_version;  // Azure dated: "2024-10-21"; Azure v1: "v1"; OpenAI: ""
  AuthScheme auth = AuthScheme::kBearer;
  std::string credential_env;  // the environment variable that holds the key or token

  // `path` starts with "/" ("/files"); `query` is already encoded, without "?" ("a=1&b=2").
  [[nodiscard]] std::string url(std::string_view path, std::string_view query = {}) const;
  [[nodiscard]] HttpHeader authHeader(const std::string& secret) const;
  [[nodiscard]] bool azureDated() const { return flavour == Flavour::kAzureDated; }
  // "openai https://api.openai.com/v1": the ledger's namespace for ids issued by this service.
  [[nodiscard]] std::string serviceKey() const;
  // For logs: "OpenAI at https://api.openai.com/v1", "Azure OpenAI at https://x... (api-version 2024-10-21)".
  [[nodiscard]] std::string describe() const;

  [[nodiscard]] nlohmann::json toArtifact() const;
  // Reads what toArtifact() wrote; an error names the field that is missing or wrong.
  static Result<Endpoint> fromArtifact(const nlohmann::json& artifact);
};

// "https://x/v1/" -> "https://x/v1": every URL is built as base + "/path".
std::string withoutTrailingSlashes(std::string url);

// Why `url` cannot be a base URL ("" when it can): it must be http(s)://host[...].
std::string badBaseUrlReason(std::string_view url);

}  // namespace ajuste::provider
