#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/http.hpp"

namespace ajuste::testing {

// An HttpClient for tests of provider stages without a server: a handler answers each
// request, and every request is recorded for assertions.
class ScriptedHttpClient final : public HttpClient {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  explicit ScriptedHttpClient(Handler handler) : handler_(std::move(handler)) {}

  Result<HttpResponse> send(const HttpRequest& request) override {
    {
      const std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    return handler_(request);
  }

  [[nodiscard]] std::vector<HttpRequest> requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
  }

  // A response with a JSON body and the matching Content-Type.
  static HttpResponse json(long status, const nlohmann::json& body) {
    HttpResponse response;
    response.status = status;
    response.headers = {{"content-type", "application/json"}, {"x-request-id", "req_scripted"}};
    response.body = body.dump();
    return response;
  }

 private:
  Handler handler_;
  mutable std::mutex mutex_;
  std::vector<HttpRequest> requests_;
};

}  // namespace ajuste::testing
