#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ajuste {

// What went wrong, at the granularity the runner needs to pick an exit code and a message.
// Bad records are not errors: they are rejects (see Batch::reject).
enum class StatusCode {
  kOk,
  kConfigError,    // an option is wrong; `pointer()` names it (JSON pointer into `with:`)
  kDataError,      // the data as a whole cannot go on (e.g. no record survived a stage)
  kIoError,        // disk or file problems
  kProviderError,  // a remote service refused or failed after retries
  kUnknownOutcome, // a create was sent but its answer was lost: it may or may not have happened
  kPluginBug,      // a plugin broke its contract (threw, returned nonsense)
  kCancelled,      // the user interrupted the run
  kGateFailed,     // the run finished but the data failed a configured gate
  kBudgetExceeded, // the estimated cost is over the configured budget (max_cost)
  kInternal,       // a bug in the framework
};

std::string_view toString(StatusCode code);

// A success or an error with a message that says what is wrong and how to fix it.
// Cheap to return when OK (no allocation).
class [[nodiscard]] Status {
 public:
  Status() = default;

  static Status ok() { return {}; }
  // `pointer` is the JSON pointer of the offending option inside the stage's `with:`
  // ("/ratio", "" for the whole block); the runner turns it into file:line:column.
  static Status configError(std::string pointer, std::string message) {
    return Status{StatusCode::kConfigError, std::move(message), std::move(pointer)};
  }
  static Status dataError(std::string message) { return Status{StatusCode::kDataError, std::move(message)}; }
  static Status ioError(std::string message) { return Status{StatusCode::kIoError, std::move(message)}; }
  static Status providerError(std::string message) {
    return Status{StatusCode::kProviderError, std::move(message)};
  }
  static Status unknownOutcome(std::string message) {
    return Status{StatusCode::kUnknownOutcome, std::move(message)};
  }
  static Status pluginBug(std::string message) { return Status{StatusCode::kPluginBug, std::move(message)}; }
  static Status cancelled(std::string message = "interrupted") {
    return Status{StatusCode::kCancelled, std::move(message)};
  }
  static Status gateFailed(std::string message) { return Status{StatusCode::kGateFailed, std::move(message)}; }
  static Status budgetExceeded(std::string message) {
    return Status{StatusCode::kBudgetExceeded, std::move(message)};
  }
  static Status internal(std::string message) { return Status{StatusCode::kInternal, std::move(message)}; }

  Status(StatusCode code, std::string message, std::string pointer = {})
      : code_(code), message_(std::move(message)), pointer_(std::move(pointer)) {}

  [[nodiscard]] bool isOk() const { return code_ == StatusCode::kOk; }
  [[nodiscard]] StatusCode code() const { return code_; }
  [[nodiscard]] const std::string& message() const { return message_; }
  [[nodiscard]] const std::string& pointer() const { return pointer_; }

  // Returns a copy whose message starts with `prefix: ` (for adding where the error happened).
  [[nodiscard]] Status withPrefix(std::string_view prefix) const {
    return Status{code_, std::string(prefix) + ": " + message_, pointer_};
  }
  // "config error at /ratio: must be < 1" — for logs and tests; users see the runner's rendering.
  [[nodiscard]] std::string toString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string pointer_;
};

// Either a value or the Status that explains why there is none.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Status error) : state_(std::in_place_index<1>, std::move(error)) {  // NOLINT: implicit by design
    assert(!std::get<1>(state_).isOk() && "a Result built from a Status must carry an error");
  }

  [[nodiscard]] bool ok() const { return state_.index() == 0; }
  [[nodiscard]] T& value() & { return std::get<0>(state_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(state_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(state_)); }
  [[nodiscard]] const Status& error() const { return std::get<1>(state_); }
  // The error as a Status, or OK: lets callers forward failures without caring about T.
  [[nodiscard]] Status status() const { return ok() ? Status::ok() : error(); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace ajuste
