#include "endpoint.hpp"

namespace ajuste::provider {
namespace {

std::string_view flavourName(Flavour flavour) {
  switch (flavour) {
    case Flavour::kOpenAi:
      return "openai";
    case Flavour::kAzureDated:
      return "azure-dated";
    case Flavour::kAzureV1:
      return "azure-v1";
  }
  return "openai";
}

}  // namespace

std::string withoutTrailingSlashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string badBaseUrlReason(std::string_view url) {
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return "must start with https:// (or http:// for a local server), got '" + std::string(url) + "'";
  }
  const auto host_start = url.find("//") + 2;
  if (host_start >= url.size() || url[host_start] == '/') return "has no host: '" + std::string(url) + "'";
  if (url.find_first_of("?#") != std::string_view::npos) {
    return "must not carry a query or fragment (the api-version is added for you), got '" + std::string(url) + "'";
  }
  return {};
}

std::string Endpoint::url(std::string_view path, std::string_view query) const {
  std::string out = base_url;
  switch (flavour) {
    case Flavour::kOpenAi:
      break;
    case Flavour::kAzureDated:
      out += "/openai";
      break;
    case Flavour::kAzureV1:
      out += "/openai/v1";
      break;
  }
  out += path;
  std::string params;
  if (flavour == Flavour::kAzureDated) params = "api-version=" + urlEncode(api_version);
  if (!query.empty()) params += (params.empty() ? "" : "&") + std::string(query);
  if (!params.empty()) out += "?" + params;
  return out;
}

HttpHeader Endpoint::authHeader(const std::string& secret) const {
  if (auth == AuthScheme::kApiKey) return {"api-key", secret};
  return {"Authorization", "Bearer " + secret};
}

std::string Endpoint::serviceKey() const { return std::string(flavourName(flavour)) + " " + base_url; }

std::string Endpoint::describe() const {
  switch (flavour) {
    case Flavour::kOpenAi:
      return "OpenAI API at " + base_url;
    case Flavour::kAzureDated:
      return "Azure OpenAI at " + base_url + " (api-version " + api_version + ")";
    case Flavour::kAzureV1:
      return "Azure OpenAI at " + base_url + " (v1 API)";
  }
  return base_url;
}

nlohmann::json Endpoint::toArtifact() const {
  nlohmann::json out = {{"provider", provider}};
  out[provider == "azure" ? "endpoint" : "base_url"] = base_url;
  out["api_version"] = api_version.empty() ? nlohmann::json(nullptr) : nlohmann::json(api_version);
  out["auth"] = auth == AuthScheme::kApiKey ? "api-key" : "bearer";
  out["credential_env"] = credential_env;
  return out;
}

Result<Endpoint> Endpoint::fromArtifact(const nlohmann::json& artifact) {
  const auto text = [&](const char* key) -> std::string {
    const auto it = artifact.find(key);
    return it != artifact.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (!artifact.is_object()) return Status::dataError("the provider artifact is not an object: " + artifact.dump());
  Endpoint endpoint;
  endpoint.provider = text("provider");
  endpoint.base_url = text(endpoint.provider == "azure" ? "endpoint" : "base_url");
  endpoint.api_version = text("api_version");
  endpoint.auth = text("auth") == "api-key" ? AuthScheme::kApiKey : AuthScheme::kBearer;
  endpoint.credential_env = text("credential_env");
  if (endpoint.provider == "openai") {
    endpoint.flavour = Flavour::kOpenAi;
  } else if (endpoint.provider == "azure") {
    endpoint.flavour = endpoint.api_version == "v1" ? Flavour::kAzureV1 : Flavour::kAzureDated;
  } else {
    return Status::dataError("the provider artifact names provider '" + endpoint.provider +
                             "'; expected openai or azure: " + artifact.dump());
  }
  if (endpoint.base_url.empty() || endpoint.credential_env.empty()) {
    return Status::dataError("the provider artifact lacks its URL or credential variable: " + artifact.dump());
  }
  return endpoint;
}

}  // namespace ajuste::provider
