#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ajuste/context.hpp"
#include "ajuste/http.hpp"
#include "ajuste/status.hpp"
#include "endpoint.hpp"

namespace ajuste::provider {

// One request to the provider, relative to the Endpoint.
struct ApiCall {
  std::string method = "GET";
  std::string path;                    // "/files", "/fine_tuning/jobs/ftjob-1"
  std::string query;                   // encoded, without "?"; the api-version is added for Azure
  std::optional<nlohmann::json> json;  // sent as application/json
  std::vector<MultipartField> multipart;
  Idempotency idempotency = Idempotency::kByMethod;
  std::filesystem::path download_to;  // a 2xx body goes to this file
  bool send_when_interrupted = false;  // see HttpRequest
};

// A small JSON client over Context::http(): builds URLs, adds the credential header, sends JSON
// or multipart bodies, and turns refusals into messages with the provider's code, message, param
// and x-request-id. Retries and backoff are the HttpClient's business.
//
// Secrets: the credential is given once, already obtained through Context::secret() (so the
// runner redacts it); it goes into the request header and nowhere else.
// Threads: one stage's thread; not shared.
class ApiClient {
 public:
  ApiClient(Context& ctx, Endpoint endpoint, std::string credential);
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // The response whatever its status. Fails only when no response came back, keeping the
  // HttpClient's code (kUnknownOutcome, kCancelled, kProviderError), prefixed with `what`.
  Result<HttpResponse> send(const ApiCall& call, std::string_view what);
  // A 2xx response's JSON body ({} when empty); any other status is a providerError naming `what`.
  Result<nlohmann::json> call(const ApiCall& call, std::string_view what);
  // The providerError for a non-2xx response: "<what>: HTTP 400: ... (code ..., x-request-id ...)".
  [[nodiscard]] Status failure(const HttpResponse& response, std::string_view what) const;

  // True once any response carried `x-ajuste-emulator: simulated`.
  [[nodiscard]] bool simulated() const { return simulated_; }
  [[nodiscard]] const Endpoint& endpoint() const { return endpoint_; }
  [[nodiscard]] Context& context() { return ctx_; }

 private:
  Context& ctx_;
  Endpoint endpoint_;
  std::string credential_;
  bool simulated_ = false;
};

// Reads the credential named by the endpoint through Context::secret (registering it for
// redaction) and makes a client; the error says which variable to set.
Result<std::unique_ptr<ApiClient>> connect(Context& ctx, const Endpoint& endpoint);

}  // namespace ajuste::provider
