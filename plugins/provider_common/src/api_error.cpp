#include "api_error.hpp"

#include <nlohmann/json.hpp>

namespace ajuste::provider {
namespace {

constexpr std::size_t kMaxRawBody = 300;

std::string stringOr(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

std::string ApiError::describe() const {
  std::string out = "HTTP " + std::to_string(status) + ": " + (message.empty() ? "(no message)" : message);
  std::string details;
  const auto add = [&](const std::string& name, const std::string& value) {
    if (value.empty()) return;
    details += (details.empty() ? "" : ", ") + name + " " + value;
  };
  add("code", code);
  add("param", param);
  add("x-request-id", request_id);
  if (!details.empty()) out += " (" + details + ")";
  return out;
}

ApiError parseApiError(const HttpResponse& response) {
  ApiError error;
  error.status = response.status;
  error.request_id = response.requestId();
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  const bool shaped = body.is_object() && body.contains("error") && body["error"].is_object();
  if (!shaped) {
    std::string raw = response.body.substr(0, kMaxRawBody);
    if (response.body.size() > kMaxRawBody) raw += "...";
    error.message = raw;
    return error;
  }
  const auto& inner = body["error"];
  error.message = stringOr(inner, "message");
  error.code = stringOr(inner, "code");
  error.param = stringOr(inner, "param");
  if (error.param.empty()) error.param = stringOr(inner, "target");
  // Microsoft's shape puts the specific reason (e.g. the offending line) in details or innererror.
  if (const auto details = inner.find("details"); details != inner.end() && details->is_array()) {
    for (const auto& detail : *details) {
      if (!detail.is_object()) continue;
      const std::string text = stringOr(detail, "message");
      if (!text.empty() && text != error.message) error.message += (error.message.empty() ? "" : "; ") + text;
    }
  }
  if (const auto innererror = inner.find("innererror"); innererror != inner.end() && innererror->is_object()) {
    const std::string inner_code = stringOr(*innererror, "code");
    if (!inner_code.empty() && inner_code != error.code) {
      error.code += (error.code.empty() ? "" : "/") + inner_code;
    }
  }
  return error;
}

}  // namespace ajuste::provider
