#include "response_cache.hpp"

namespace ajuste::evaluate_chat {

Result<std::unique_ptr<ResponseCache>> ResponseCache::open(const std::filesystem::path& path) {
  auto cache = std::make_unique<ResponseCache>(path);
  std::size_t torn = 0;
  if (std::ifstream in(path, std::ios::binary); in) {
    std::string line;
    while (std::getline(in, line)) {
      auto entry = nlohmann::json::parse(line, nullptr, false);
      if (!entry.is_object() || !entry.contains("key") || !entry["key"].is_string() || !entry.contains("status")) {
        ++torn;
        continue;
      }
      cache->entries_[entry["key"].get<std::string>()] =
          CachedResponse{.status = entry["status"].get<long>(),
                         .body = entry.value("body", nlohmann::json::object()),
                         .simulated = entry.value("simulated", false)};
    }
  }
  cache->out_.open(path, std::ios::binary | std::ios::app);
  if (!cache->out_) return Status::ioError("cannot open the response cache " + path.string() + " for appending");
  // A torn line has no newline: start the next entry on a line of its own.
  if (torn != 0) cache->out_ << '\n' << std::flush;
  return cache;
}

std::optional<CachedResponse> ResponseCache::find(const std::string& key) const {
  const std::lock_guard lock(mutex_);
  const auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

Status ResponseCache::store(const std::string& key, const CachedResponse& response) {
  const nlohmann::json line = {
      {"key", key}, {"status", response.status}, {"body", response.body}, {"simulated", response.simulated}};
  const std::lock_guard lock(mutex_);
  out_ << line.dump() << '\n' << std::flush;
  if (!out_) return Status::ioError("cannot append to the response cache " + path_.string());
  entries_[key] = response;
  return Status::ok();
}

std::size_t ResponseCache::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace ajuste::evaluate_chat
