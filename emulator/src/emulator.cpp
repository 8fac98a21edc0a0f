#include "emulator.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "api_error.hpp"
#include "connection.hpp"
#include "ids.hpp"
#include "request_body.hpp"
#include "routes.hpp"

namespace ajuste::emulator {
namespace {

using nlohmann::json;

constexpr std::int64_t kRequestLimit = 10000;      // per minute, shown in x-ratelimit-* headers
constexpr std::int64_t kTokenLimit = 2000000;      // per minute

const std::set<std::string, std::less<>>& azureApiVersions() {
  static const std::set<std::string, std::less<>> kVersions = {
      "2024-02-01", "2024-06-01", "2024-10-21", "2024-05-01-preview", "2024-07-01-preview", "2024-08-01-preview",
      "2024-09-01-preview", "2024-10-01-preview", "2024-12-01-preview", "2025-01-01-preview", "2025-02-01-preview",
      "2025-03-01-preview", "2025-04-01-preview"};
  return kVersions;
}

struct Route {
  Dialect dialect = Dialect::kOpenAi;
  std::string path;  // without the dialect prefix
};

std::optional<Route> splitPath(const std::string& path) {
  auto under = [&](std::string_view prefix) {
    return path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 && path[prefix.size()] == '/';
  };
  if (under("/v1")) return Route{Dialect::kOpenAi, path.substr(3)};
  if (under("/openai/v1")) return Route{Dialect::kAzureV1, path.substr(10)};
  if (under("/openai")) return Route{Dialect::kAzure, path.substr(7)};
  return std::nullopt;
}

std::string bearerToken(const httplib::Request& request) {
  const std::string header = request.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (header.size() > prefix.size() && header.compare(0, prefix.size(), prefix) == 0) return header.substr(prefix.size());
  return {};
}

// Who the client says it is; throws 401 in the dialect's words. The key itself is never echoed.
void authenticate(const httplib::Request& request, Dialect dialect, const std::string& required) {
  std::string key = bearerToken(request);
  if (key.empty() && isAzure(dialect)) key = request.get_header_value("api-key");
  if (!key.empty() && (required.empty() || key == required)) return;
  if (dialect == Dialect::kAzure) {
    throw ApiError(401,
                   "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key "
                   "for an active subscription and use a correct regional API endpoint for your resource.",
                   "", "401");
  }
  if (key.empty()) {
    throw ApiError(401,
                   isAzure(dialect) ? "Missing credentials: send an 'api-key' header or 'Authorization: Bearer <token>'."
                                    : "You didn't provide an API key. You need to provide your API key in an "
                                      "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
  }
  throw ApiError(401, "Incorrect API key provided. The key was not accepted by ajuste-emulator.", "", "invalid_api_key");
}

void checkApiVersion(const httplib::Request& request, Dialect dialect, const std::string& path) {
  const std::string version = request.get_param_value("api-version");
  if (dialect == Dialect::kAzureV1) {
    if (version.empty() || version == "preview" || version == "latest" || version == "v1") return;
    throw ApiError(400, "api-version '" + version + "' is not supported on the v1 API; use 'preview', 'latest' or none.",
                   "api-version", "BadRequest");
  }
  if (version.empty()) {
    throw ApiError(400, "The api-version query parameter (?api-version=) is required for all requests.", "api-version",
                   "MissingApiVersionParameter");
  }
  if (azureApiVersions().count(version) == 0) {
    std::string known;
    for (const auto& item : azureApiVersions()) known += (known.empty() ? "" : ", ") + item;
    throw ApiError(400,
                   "The HTTP resource that matches the request URI '" + path + "' does not support the API version '" +
                       version + "'. Supported versions: " + known + ".",
                   "api-version", "UnsupportedApiVersion");
  }
}

// Requests per minute, for x-ratelimit-* headers that count down like the real ones.
class RateWindow {
 public:
  std::pair<std::int64_t, std::int64_t> hit() {
    const std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (now - start_ >= std::chrono::minutes(1)) {
      start_ = now;
      count_ = 0;
    }
    ++count_;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(start_ + std::chrono::minutes(1) - now);
    return {count_, left.count()};
  }

 private:
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::int64_t count_ = 0;
};

}  // namespace

Emulator::Emulator(Options options)
    : options_(std::move(options)),
      world_(std::make_unique<World>(WorldOptions{options_.seed, options_.time_scale, options_.start_time,
                                                  options_.max_file_bytes, options_.max_part_bytes, options_.state_dir})),
      faults_(options_.faults, options_.seed) {
  // A client that goes away mid-response must not kill the process with SIGPIPE, and the
  // dropped-connection faults write to sockets they have shut down on purpose.
  std::signal(SIGPIPE, SIG_IGN);
  if (options_.state_dir) {
    std::filesystem::create_directories(*options_.state_dir);
    const auto state_file = *options_.state_dir / "state.json";
    if (std::filesystem::exists(state_file)) {
      std::ifstream in(state_file);
      world_->restore(json::parse(in));
    }
  }
  const std::size_t threads = options_.threads;
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_.set_keep_alive_timeout(2);
  server_.set_default_headers({{"x-ajuste-emulator", "simulated"}});
  server_.set_payload_max_length(options_.max_file_bytes + (1ULL << 20U));
  server_.Get(".*", [this](const httplib::Request& q, httplib::Response& r) { handle(q, r, nullptr); });
  server_.Delete(".*", [this](const httplib::Request& q, httplib::Response& r) { handle(q, r, nullptr); });
  server_.Post(".*", [this](const httplib::Request& q, httplib::Response& r) { handle(q, r, nullptr); });
  server_.Post(".*", [this](const httplib::Request& q, httplib::Response& r, const httplib::ContentReader& reader) {
    handle(q, r, &reader);
  });
  if (options_.port == 0) {
    port_ = server_.bind_to_any_port(options_.host);
  } else {
    port_ = server_.bind_to_port(options_.host, options_.port) ? options_.port : -1;
  }
  if (port_ <= 0) {
    throw std::runtime_error("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                             " (address in use or not available)");
  }
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // stop() must not race the server thread's start, or it would miss the running server.
  for (int waited = 0; !server_.is_running(); ++waited) {
    if (waited > 5000) {
      server_.stop();
      thread_.join();
      throw std::runtime_error("the HTTP server on " + baseUrl() + " did not start");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

Emulator::~Emulator() { stop(); }

void Emulator::stop() {
  if (stopped_.exchange(true)) return;
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string Emulator::baseUrl() const {
  const bool v6 = options_.host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + options_.host + "]" : options_.host) + ":" + std::to_string(port_);
}

void Emulator::handle(const httplib::Request& request, httplib::Response& response, const httplib::ContentReader* reader) {
  static RateWindow rate_window;
  const auto started = std::chrono::steady_clock::now();
  const std::uint64_t sequence = ++request_sequence_;
  const std::string request_id = "req_" + base62(hashText("request#" + std::to_string(sequence), options_.seed), 32);
  world_->count("requests");

  Dialect dialect = Dialect::kOpenAi;
  Reply reply;
  std::string note;
  try {
    RequestBody body;
    if (request.path.rfind("/_emulator/", 0) == 0) {
      if (reader != nullptr) readBody(request, *reader, body);
      reply = routeControl(*world_, faults_, request.method, request.path.substr(10), request.params, body);
    } else {
      const auto route = splitPath(request.path);
      if (!route) throw ApiError(404, "Invalid URL (" + request.method + " " + request.path + ")");
      dialect = route->dialect;
      const FaultHit fault = faults_.decide(request.method, request.path);
      if (fault.fired > 0) {
        world_->count("faults_injected", static_cast<std::int64_t>(fault.fired));
        note = " [fault]";
      }
      if (fault.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(fault.delay_ms));
      if (fault.drop == DropKind::kRequest) {
        // Read part of the body first, so the client is cut off mid-upload, not before it.
        if (reader != nullptr) {
          const auto length = static_cast<std::size_t>(request.get_header_value<std::uint64_t>("Content-Length"));
          readBody(request, *reader, body, fault.drop_after_bytes.value_or(std::max<std::size_t>(1, length / 2)));
        }
        dropConnection(request);
        if (options_.log_requests) std::cerr << request.method << ' ' << request.path << " -> dropped mid-request\n";
        return;
      }
      if (reader != nullptr && !readBody(request, *reader, body))
        throw badRequest("The request body was cut off before its end.");
      if (fault.status) {
        ApiError error(*fault.status, fault.message.empty() ? defaultFaultMessage(*fault.status) : fault.message);
        reply = jsonReply(errorBody(dialect, error), error.status());
        reply.headers = fault.headers;
        if (*fault.status == 429) reply.headers["x-ratelimit-remaining-requests"] = "0";
      } else {
        if (dialect != Dialect::kOpenAi) checkApiVersion(request, dialect, request.path);
        authenticate(request, dialect, options_.api_key);
        Call call;
        call.method = request.method;
        call.path = route->path;
        call.full_path = request.path;
        call.dialect = dialect;
        call.query = &request.params;
        call.body = &body;
        call.api_version = request.get_param_value("api-version");
        if (fault.job_failure) call.job_failure = fault.job_failure;
        reply = routeApi(*world_, call);
      }
      if (fault.drop == DropKind::kResponse) {
        // The work is done (the object exists); the client never hears about it.
        dropConnection(request);
        if (options_.log_requests) std::cerr << request.method << ' ' << request.path << " -> response dropped\n";
        return;
      }
    }
  } catch (const ApiError& error) {
    reply = jsonReply(errorBody(dialect, error), error.status());
  } catch (const std::exception& error) {
    const ApiError internal(500, std::string("ajuste-emulator internal error: ") + error.what());
    reply = jsonReply(errorBody(dialect, internal), 500);
  }

  if (reply.status >= 400) world_->count("errors");
  response.status = reply.status;
  for (const auto& [name, value] : reply.headers) response.set_header(name, value);
  response.set_header("x-request-id", request_id);
  if (isAzure(dialect)) response.set_header("apim-request-id", request_id);
  const auto [used, reset_ms] = rate_window.hit();
  response.set_header("x-ratelimit-limit-requests", std::to_string(kRequestLimit));
  if (!response.has_header("x-ratelimit-remaining-requests"))
    response.set_header("x-ratelimit-remaining-requests", std::to_string(std::max<std::int64_t>(0, kRequestLimit - used)));
  response.set_header("x-ratelimit-reset-requests", std::to_string(reset_ms) + "ms");
  response.set_header("x-ratelimit-limit-tokens", std::to_string(kTokenLimit));
  response.set_header("x-ratelimit-remaining-tokens", std::to_string(kTokenLimit));
  response.set_header("x-ratelimit-reset-tokens", "0s");
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  response.set_header("openai-processing-ms", std::to_string(elapsed));
  if (!reply.content_type.empty()) {
    response.set_content(reply.body, reply.content_type);
  }
  if (options_.log_requests) {
    std::cerr << request.method << ' ' << request.path << " -> " << reply.status << " (" << elapsed << " ms)" << note
              << '\n';
  }
}

}  // namespace ajuste::emulator
