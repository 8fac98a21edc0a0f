#include "api_error.hpp"

namespace ajuste::emulator {
namespace {

nlohmann::json nullOr(const std::string& text) { return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text); }

std::string azureCode(int status) {
  switch (status) {
    case 400: return "invalidPayload";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "notFound";
    case 409: return "conflict";
    case 429: return "tooManyRequests";
    default: return status >= 500 ? "internalFailure" : "badRequest";
  }
}

}  // namespace

ApiError notFound(const std::string& what, const std::string& id, const std::string& param) {
  return ApiError(404, "No such " + what + " object: " + id, param);
}

ApiError badRequest(const std::string& message, const std::string& param, const std::string& code) {
  return ApiError(400, message, param, code);
}

std::string openAiErrorType(int status) {
  if (status == 429) return "requests";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

std::string defaultFaultMessage(int status) {
  switch (status) {
    case 408: return "Request timed out.";
    case 409: return "The request conflicts with the current state of the resource (simulated).";
    case 429: return "Rate limit reached for requests (simulated by ajuste-emulator). Please try again later.";
    case 500: return "The server had an error while processing your request. Sorry about that!";
    case 502: return "Bad gateway.";
    case 503: return "The server is overloaded or not ready yet.";
    case 504: return "Gateway timeout.";
    default: return "Simulated error " + std::to_string(status) + " injected by ajuste-emulator.";
  }
}

nlohmann::json errorBody(Dialect dialect, const ApiError& error) {
  if (dialect == Dialect::kAzure) {
    const std::string code = error.code().empty() ? azureCode(error.status()) : error.code();
    return {{"error",
             {{"code", code}, {"message", error.what()}, {"target", nullOr(error.param())}, {"details", nlohmann::json::array()},
              {"innererror", nullptr}}}};
  }
  std::string code = error.code();
  if (code.empty() && error.status() == 429) code = "rate_limit_exceeded";
  return {{"error",
           {{"message", error.what()}, {"type", openAiErrorType(error.status())}, {"param", nullOr(error.param())},
            {"code", nullOr(code)}}}};
}

}  // namespace ajuste::emulator
