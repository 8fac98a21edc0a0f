#pragma once

#include <map>
#include <optional>
#include <string>

#include "dialect.hpp"
#include "faults.hpp"
#include "request_body.hpp"
#include "world.hpp"

namespace ajuste::emulator {

// One API request, with the dialect prefix (/v1, /openai, /openai/v1) already taken off.
struct Call {
  std::string method;
  std::string path;       // e.g. /fine_tuning/jobs/ftjob-abc/events
  std::string full_path;  // as the client sent it
  Dialect dialect = Dialect::kOpenAi;
  const Query* query = nullptr;
  const RequestBody* body = nullptr;
  std::optional<FaultSpec> job_failure;
  std::string api_version;  // Azure only
};

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::map<std::string, std::string> headers;
};

Reply jsonReply(const nlohmann::json& body, int status = 200);

// The API proper. Throws ApiError; an unknown path or method is a 404 "Invalid URL".
Reply routeApi(World& world, const Call& call);

// /_emulator/...: health, counters, reset, advance, faults. No auth, never faulted.
Reply routeControl(World& world, FaultInjector& faults, const std::string& method, const std::string& path,
                   const Query& query, const RequestBody& body);

}  // namespace ajuste::emulator
