#include "hashing/background_sha256.hpp"

#include <utility>

namespace ajuste::hashing {

BackgroundSha256::BackgroundSha256() : thread_([this] { run(); }) {}

BackgroundSha256::~BackgroundSha256() { stop(); }

void BackgroundSha256::update(std::string_view data) {
  if (filling_.capacity() < kChunkBytes) filling_.reserve(kChunkBytes);
  filling_.append(data);
  if (filling_.size() >= kChunkBytes) hand(std::exchange(filling_, {}));
}

void BackgroundSha256::take(std::string chunk) {
  if (!filling_.empty()) hand(std::exchange(filling_, {}));
  if (!chunk.empty()) hand(std::move(chunk));
}

std::string BackgroundSha256::spareChunk() {
  {
    const std::lock_guard lock(mutex_);
    if (!spare_.empty()) {
      std::string chunk = std::move(spare_.front());
      spare_.pop_front();
      return chunk;
    }
  }
  std::string chunk;
  chunk.reserve(kChunkBytes);
  return chunk;
}

std::string BackgroundSha256::hexDigest() {
  if (!filling_.empty()) hand(std::exchange(filling_, {}));
  stop();
  return hash_.hexDigest();
}

void BackgroundSha256::hand(std::string chunk) {
  std::unique_lock lock(mutex_);
  room_.wait(lock, [&] { return pending_.size() < kMaxChunks; });
  pending_.push_back(std::move(chunk));
  ready_.notify_one();
}

void BackgroundSha256::stop() {
  {
    const std::lock_guard lock(mutex_);
    done_ = true;
  }
  ready_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void BackgroundSha256::run() {
  for (;;) {
    std::string chunk;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return !pending_.empty() || done_; });
      if (pending_.empty()) return;  // done, and everything handed over is hashed
      chunk = std::move(pending_.front());
      pending_.pop_front();
    }
    room_.notify_one();
    hash_.update(chunk);
    chunk.clear();
    const std::lock_guard lock(mutex_);
    if (spare_.size() < kMaxChunks) spare_.push_back(std::move(chunk));
  }
}

}  // namespace ajuste::hashing
