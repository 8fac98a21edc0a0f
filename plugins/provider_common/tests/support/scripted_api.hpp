#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "ajuste/http.hpp"
#include "ajuste/testing/scripted_http.hpp"

namespace ajuste::provider::testing {

// A hand-written provider for unit tests: routes by method and path (the URL without scheme,
// host and query) to handlers; anything unrouted is a 404 in OpenAI's error shape. Wrap it in a
// ScriptedHttpClient, which records every request for assertions.
class ScriptedApi {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&, const std::smatch&)>;

  // `path` is a regex matched against the whole path, e.g. "/v1/fine_tuning/jobs/([^/]+)".
  ScriptedApi& on(std::string method, const std::string& path, Handler handler);
  // Shorthand: always answer `status` with `body`.
  ScriptedApi& reply(std::string method, const std::string& path, long status, nlohmann::json body);

  Result<HttpResponse> operator()(const HttpRequest& request) const;
  // A ScriptedHttpClient answering through this router (the router must outlive it).
  [[nodiscard]] ajuste::testing::ScriptedHttpClient client() const;

 private:
  struct Route {
    std::string method;
    std::regex path;
    Handler handler;
  };
  std::vector<Route> routes_;
};

// The path part of a URL: "http://h:1/v1/files?x=1" -> "/v1/files".
std::string pathOf(const std::string& url);
// The value of one query parameter (decoded), "" when absent.
std::string queryParam(const std::string& url, const std::string& name);
// A JSON response, as ScriptedHttpClient::json makes it.
HttpResponse jsonResponse(long status, const nlohmann::json& body);
// An OpenAI-shaped error response.
HttpResponse openAiError(long status, const std::string& message, const std::string& code = "",
                         const std::string& param = "");
// A list body: {"object": "list", "data": items, "has_more": false}.
nlohmann::json listOf(nlohmann::json items);

}  // namespace ajuste::provider::testing
