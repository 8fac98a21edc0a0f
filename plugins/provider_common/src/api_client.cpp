#include "api_client.hpp"

#include <utility>

#include "api_error.hpp"

namespace ajuste::provider {

ApiClient::ApiClient(Context& ctx, Endpoint endpoint, std::string credential)
    : ctx_(ctx), endpoint_(std::move(endpoint)), credential_(std::move(credential)) {}

Result<HttpResponse> ApiClient::send(const ApiCall& call, std::string_view what) {
  HttpRequest request;
  request.method = call.method;
  request.url = endpoint_.url(call.path, call.query);
  request.headers.push_back(endpoint_.authHeader(credential_));
  request.idempotency = call.idempotency;
  request.download_to = call.download_to;
  request.send_when_interrupted = call.send_when_interrupted;
  if (call.json) {
    request.headers.push_back({"Content-Type", "application/json"});
    request.body = call.json->dump();
  }
  request.multipart = call.multipart;
  auto response = ctx_.http().send(request);
  if (!response.ok()) return response.error().withPrefix(what);
  if (const auto label = response->header("x-ajuste-emulator"); label && *label == "simulated" && !simulated_) {
    simulated_ = true;
    ctx_.warn("SIMULATED (ajuste-emulator): " + endpoint_.base_url +
              " is the ajuste emulator, not a real service: nothing is trained, metrics and models are made up");
  }
  return response;
}

Result<nlohmann::json> ApiClient::call(const ApiCall& call, std::string_view what) {
  auto response = send(call, what);
  if (!response.ok()) return response.error();
  if (!response->success()) return failure(*response, what);
  if (!call.download_to.empty() || response->body.empty()) return nlohmann::json::object();
  auto body = nlohmann::json::parse(response->body, nullptr, false);
  if (body.is_discarded()) {
    return Status::providerError(
        std::string(what) + ": " + call.method + " " + call.path + " answered HTTP " +
        std::to_string(response->status) + " with a body that is not JSON" +
        (response->requestId().empty() ? "" : " (x-request-id " + response->requestId() + ")"));
  }
  return body;
}

Status ApiClient::failure(const HttpResponse& response, std::string_view what) const {
  return Status::providerError(std::string(what) + ": " + parseApiError(response).describe());
}

Result<std::unique_ptr<ApiClient>> connect(Context& ctx, const Endpoint& endpoint) {
  auto secret = ctx.secret(endpoint.credential_env);
  if (!secret.ok()) {
    return Status::configError("", "no credential for the " + endpoint.describe() + ": " + secret.error().message());
  }
  return std::make_unique<ApiClient>(ctx, endpoint, std::move(secret).value());
}

}  // namespace ajuste::provider
