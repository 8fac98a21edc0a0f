#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ajuste/status.hpp"

namespace ajuste {

struct HttpHeader {
  std::string name;
  std::string value;
};

// One field of a multipart/form-data body: an inline value, or a byte range of a file that is
// streamed from disk (a 500 MB training file is never held in memory).
struct MultipartField {
  std::string name;                       // form field name: "file", "purpose", "data"
  std::string value;                      // inline value, used when `file` is empty
  std::filesystem::path file;             // streamed when set
  std::uint64_t offset = 0;               // first byte of `file` to send
  std::optional<std::uint64_t> length;    // bytes of `file` to send; empty = to its end
  std::string filename;                   // the part's filename= (defaults to file's name)
  std::string content_type;               // empty = none for values, application/octet-stream for files
};

// Whether repeating the request is harmless. Creates (POST /files, POST /fine_tuning/jobs) are
// not: the OpenAI API takes no idempotency key, so a create whose response was lost may or may
// not have happened.
enum class Idempotency {
  kByMethod,       // GET, HEAD, PUT, DELETE are idempotent; POST and PATCH are not
  kIdempotent,     // e.g. a POST that only reads or cancels
  kNotIdempotent,
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  // Credentials go here like any header; give their values to Context::secret() first so that
  // they are redacted wherever they might show.
  std::vector<HttpHeader> headers;
  std::string body;                       // sent when `multipart` is empty; set Content-Type
  std::vector<MultipartField> multipart;
  Idempotency idempotency = Idempotency::kByMethod;
  std::chrono::milliseconds timeout{0};   // per attempt, whole transfer; 0 = the client's default
  int max_retries = -1;                   // -1 = the client's default
  // When set, a 2xx response body is written to this file instead of `HttpResponse::body`.
  std::filesystem::path download_to;
  // Sent even after the user interrupted the run: only for what the interrupt itself asks for,
  // such as cancelling a remote job. Its retry waits are not cut short either.
  bool send_when_interrupted = false;
};

struct HttpResponse {
  long status = 0;
  std::vector<HttpHeader> headers;        // as received; names compared case-insensitively
  std::string body;
  int attempts = 1;                       // 1 + the retries it took

  // The first header of that name (case-insensitive), if any.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
  // The provider's request id (x-request-id, or Azure's apim-request-id), "" when absent.
  [[nodiscard]] std::string requestId() const;
  [[nodiscard]] bool success() const { return status >= 200 && status < 300; }
};

// The runner's HTTP client, shared by all stages (Context::http()).
//
// It verifies TLS certificates, takes proxies from the environment (https_proxy, no_proxy),
// and retries with exponential backoff and jitter on connection errors, 408, 409, 429 and 5xx,
// honouring retry-after-ms / retry-after; it logs every request's method, URL, status and
// x-request-id (never header values or bodies). Waits stop early when the run is interrupted.
//
// `send` returns the final response whatever its status (check `success()`); it fails only when
// no response came back: Status::providerError after the retries, Status::cancelled when the
// run was interrupted, and StatusCode::kUnknownOutcome for a not-idempotent request whose
// connection broke after it was sent (it is not retried: look for what it may have created,
// then decide).
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

// The whole value of `name` in a query or form ("a b&c" -> "a%20b%26c").
std::string urlEncode(std::string_view text);

}  // namespace ajuste
