#include "scripted_api.hpp"

#include <cctype>

namespace ajuste::provider::testing {
namespace {

std::string decoded(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) != 0 &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2])) != 0) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

}  // namespace

ScriptedApi& ScriptedApi::on(std::string method, const std::string& path, Handler handler) {
  routes_.push_back({std::move(method), std::regex(path), std::move(handler)});
  return *this;
}

ScriptedApi& ScriptedApi::reply(std::string method, const std::string& path, long status, nlohmann::json body) {
  return on(std::move(method), path, [status, body](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    return jsonResponse(status, body);
  });
}

Result<HttpResponse> ScriptedApi::operator()(const HttpRequest& request) const {
  const std::string path = pathOf(request.url);
  for (const Route& route : routes_) {
    std::smatch match;
    if (route.method == request.method && std::regex_match(path, match, route.path))
      return route.handler(request, match);
  }
  return openAiError(404, "Invalid URL (" + request.method + " " + path + ")");
}

ajuste::testing::ScriptedHttpClient ScriptedApi::client() const {
  return ajuste::testing::ScriptedHttpClient([this](const HttpRequest& request) { return (*this)(request); });
}

std::string pathOf(const std::string& url) {
  const auto scheme = url.find("://");
  const auto start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (start == std::string::npos) return "/";
  const auto end = url.find('?', start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string queryParam(const std::string& url, const std::string& name) {
  const auto question = url.find('?');
  if (question == std::string::npos) return {};
  std::size_t start = question + 1;
  while (start <= url.size()) {
    std::size_t end = url.find('&', start);
    if (end == std::string::npos) end = url.size();
    const std::string pair = url.substr(start, end - start);
    const auto equals = pair.find('=');
    if (decoded(pair.substr(0, equals)) == name)
      return equals == std::string::npos ? "" : decoded(pair.substr(equals + 1));
    start = end + 1;
  }
  return {};
}

HttpResponse jsonResponse(long status, const nlohmann::json& body) {
  return ajuste::testing::ScriptedHttpClient::json(status, body);
}

HttpResponse openAiError(long status, const std::string& message, const std::string& code, const std::string& param) {
  return jsonResponse(status, {{"error",
                                {{"message", message},
                                 {"type", "invalid_request_error"},
                                 {"param", param.empty() ? nlohmann::json(nullptr) : nlohmann::json(param)},
                                 {"code", code.empty() ? nlohmann::json(nullptr) : nlohmann::json(code)}}}});
}

nlohmann::json listOf(nlohmann::json items) {
  return {{"object", "list"}, {"data", std::move(items)}, {"has_more", false}};
}

}  // namespace ajuste::provider::testing
