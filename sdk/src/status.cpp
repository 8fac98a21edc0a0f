#include "ajuste/status.hpp"

namespace ajuste {

std::string_view toString(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kConfigError: return "config error";
    case StatusCode::kDataError: return "data error";
    case StatusCode::kIoError: return "I/O error";
    case StatusCode::kProviderError: return "provider error";
    case StatusCode::kUnknownOutcome: return "unknown outcome";
    case StatusCode::kPluginBug: return "plugin bug";
    case StatusCode::kCancelled: return "cancelled";
    case StatusCode::kGateFailed: return "gate failed";
    case StatusCode::kBudgetExceeded: return "over budget";
    case StatusCode::kInternal: return "internal error";
  }
  return "unknown";
}

std::string Status::toString() const {
  if (isOk()) return "ok";
  std::string out(ajuste::toString(code_));
  if (!pointer_.empty()) out += " at " + pointer_;
  out += ": " + message_;
  return out;
}

}  // namespace ajuste
