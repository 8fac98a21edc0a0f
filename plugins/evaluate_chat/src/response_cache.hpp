#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ajuste/status.hpp"

namespace ajuste::evaluate_chat {

// What a chat request got back, as the cache keeps it.
struct CachedResponse {
  long status = 0;         // HTTP status
  nlohmann::json body;     // the response JSON (or {"raw": text} when it was not JSON)
  bool simulated = false;  // it came from the ajuste emulator
};

// The answers already paid for, in the run folder: one JSON line per response
// ({"key", "status", "body", "simulated"}), appended and flushed as each arrives, so a crash
// loses at most the request in flight and a resumed or repeated evaluation sends no request
// twice. The key is the SHA-256 of what identifies a request (service, path and body). A torn
// last line (a crash mid-write) is ignored on load.
//
// Threads: find and store may be called from several threads at once.
class ResponseCache {
 public:
  static Result<std::unique_ptr<ResponseCache>> open(const std::filesystem::path& path);

  [[nodiscard]] std::optional<CachedResponse> find(const std::string& key) const;
  Status store(const std::string& key, const CachedResponse& response);
  [[nodiscard]] std::size_t size() const;

  explicit ResponseCache(std::filesystem::path path) : path_(std::move(path)) {}

 private:
  std::filesystem::path path_;
  mutable std::mutex mutex_;
  std::map<std::string, CachedResponse, std::less<>> entries_;
  std::ofstream out_;
};

}  // namespace ajuste::evaluate_chat
