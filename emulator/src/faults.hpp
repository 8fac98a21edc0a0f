#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ajuste::emulator {

enum class DropKind {
  kNone,
  kRequest,   // close the connection mid-body: nothing is created, no response
  kResponse,  // do the work (create the object), then close without a response
};

// One fault: which requests it hits and what it does to them. The format is documented in
// docs/emulator.md ("Fault injection"); parseFault checks it and names the bad key or value.
struct FaultSpec {
  std::string path = "*";  // glob on the request path ('*' matches any run of characters)
  std::string method;      // empty: any method
  std::optional<int> status;
  std::string message;  // error message for `status`; empty: the status's usual one
  std::optional<double> retry_after;            // seconds, sent as `retry-after`
  std::optional<std::int64_t> retry_after_ms;   // sent as `retry-after-ms`
  std::int64_t delay_ms = 0;
  DropKind drop = DropKind::kNone;
  std::optional<std::size_t> drop_after_bytes;  // kRequest: body bytes read before closing
  bool job_fails = false;
  std::optional<std::int64_t> at_step;  // job_fails: fail at this training step, not in validation
  nlohmann::json error;                 // job_fails: {"code","message","param"}
  std::map<std::string, std::string> headers;  // extra response headers (status faults)
  // Selection among the matching requests, all deterministic for a given --seed:
  std::int64_t after = 0;  // let this many matches through first
  std::int64_t every = 1;  // then hit every k-th match
  double rate = 1.0;       // ... with this seeded probability
  std::int64_t first = 0;  // ... at most this many times in all (0: no limit)

  [[nodiscard]] nlohmann::json toJson() const;
};

// Throws std::invalid_argument naming the key and the bad value.
FaultSpec parseFault(const nlohmann::json& spec);
// A JSON object, or the short form `key=value,key=value` (e.g. `path=/v1/files,status=503,first=2`).
FaultSpec parseFaultArgument(std::string_view text);
// A JSON array of faults, or {"faults": [...]}.
std::vector<FaultSpec> parseFaultList(const nlohmann::json& document);

// What the faults that fired decided for one request, merged: delays add up, the first status
// and the first drop win.
struct FaultHit {
  std::size_t fired = 0;
  std::int64_t delay_ms = 0;
  std::optional<int> status;
  std::string message;
  std::map<std::string, std::string> headers;
  DropKind drop = DropKind::kNone;
  std::optional<std::size_t> drop_after_bytes;
  std::optional<FaultSpec> job_failure;  // the spec of a job_fails fault that fired
};

bool globMatch(std::string_view pattern, std::string_view text);

// Threads: decide() may be called from any thread.
class FaultInjector {
 public:
  FaultInjector(std::vector<FaultSpec> faults, std::uint64_t seed);

  FaultHit decide(std::string_view method, std::string_view path);
  void replace(std::vector<FaultSpec> faults);
  void resetCounts();
  // The faults with how often each matched and fired.
  [[nodiscard]] nlohmann::json describe() const;

 private:
  struct Slot {
    FaultSpec spec;
    std::int64_t matched = 0;
    std::int64_t fired = 0;
  };
  mutable std::mutex mutex_;
  std::vector<Slot> slots_;
  std::uint64_t seed_;
};

}  // namespace ajuste::emulator
