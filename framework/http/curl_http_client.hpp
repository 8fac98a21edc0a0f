#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "ajuste/context.hpp"
#include "ajuste/http.hpp"
#include "http/retry_policy.hpp"

namespace ajuste {

struct HttpClientSettings {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{600'000};  // per attempt, like the official SDKs
  RetryPolicy retry;
  std::string user_agent = "ajuste/0.1";
};

// HttpClient over libcurl (see ajuste/http.hpp for the contract). TLS peers are verified
// against the system store, or SSL_CERT_FILE / CURL_CA_BUNDLE when set; proxies come from the
// environment as libcurl reads them (https_proxy, all_proxy, no_proxy). Thread-safe: each
// send uses its own easy handle, taken from a small pool so connections are reused.
class CurlHttpClient final : public HttpClient {
 public:
  using LogFunction = std::function<void(LogLevel, std::string_view)>;

  CurlHttpClient(HttpClientSettings settings, LogFunction log, const std::atomic<bool>* interrupted);
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  struct Attempt;
  Attempt perform(const HttpRequest& request);
  bool stopRequested(const HttpRequest& request) const { return !request.send_when_interrupted && interrupted(); }
  void* takeHandle();
  void returnHandle(void* handle);
  double nextJitter();
  bool interrupted() const { return interrupted_ != nullptr && interrupted_->load(); }
  // Sleeps in short slices so an interrupt is noticed; false when interrupted.
  bool sleepUnlessInterrupted(std::chrono::milliseconds duration, const HttpRequest& request) const;

  HttpClientSettings settings_;
  LogFunction log_;
  const std::atomic<bool>* interrupted_;
  std::mutex mutex_;
  std::vector<void*> idle_handles_;
  std::mt19937_64 jitter_{std::random_device{}()};
};

}  // namespace ajuste
