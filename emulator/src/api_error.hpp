#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "dialect.hpp"

namespace ajuste::emulator {

// An error the API answers with. Thrown by the World and the routes, caught once by the
// dispatcher, which renders it in the shape of the request's dialect.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string message, std::string param = {}, std::string code = {})
      : std::runtime_error(message), status_(status), param_(std::move(param)), code_(std::move(code)) {}

  [[nodiscard]] int status() const { return status_; }
  [[nodiscard]] const std::string& param() const { return param_; }
  [[nodiscard]] const std::string& code() const { return code_; }

 private:
  int status_;
  std::string param_;  // empty renders as null
  std::string code_;   // empty renders as null (OpenAI) or a code derived from the status (Azure)
};

ApiError notFound(const std::string& what, const std::string& id, const std::string& param = "id");
ApiError badRequest(const std::string& message, const std::string& param = {}, const std::string& code = {});

// OpenAI: {"error":{"message","type","param","code"}}. Azure (dated API):
// {"error":{"code","message","target","details","innererror"}}. Azure v1 answers like OpenAI.
nlohmann::json errorBody(Dialect dialect, const ApiError& error);
// OpenAI's `type` for a status: invalid_request_error, requests, server_error...
std::string openAiErrorType(int status);
// The generic message a status gets when a fault injects it.
std::string defaultFaultMessage(int status);

}  // namespace ajuste::emulator
