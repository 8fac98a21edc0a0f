#pragma once

#include <string>

#include "ajuste/http.hpp"

namespace ajuste::provider {

// A provider's refusal, read from either error shape:
//   OpenAI and Azure v1:  {"error": {"message", "type", "param", "code"}}
//   Azure dated (Microsoft REST): {"error": {"code", "message", "target", "details": [...], "innererror"}}
// `param` holds OpenAI's param or Microsoft's target.
struct ApiError {
  long status = 0;
  std::string code;
  std::string message;
  std::string param;
  std::string request_id;  // x-request-id (or apim-request-id): what a provider's support asks for

  // "HTTP 400: Invalid file format. Line 3 ... (code invalid_payload, param training_file, x-request-id req_1)"
  [[nodiscard]] std::string describe() const;
};

// Never fails: a body that is not one of the shapes becomes the message (shortened).
ApiError parseApiError(const HttpResponse& response);

}  // namespace ajuste::provider
