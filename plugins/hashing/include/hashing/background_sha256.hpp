#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "hashing/sha256.hpp"

namespace ajuste::hashing {

// SHA-256 on a thread of its own, so that hashing what a loop writes overlaps the writing
// instead of following it (split/random's final pass hashes the gigabyte it writes). Bytes are
// handed over in chunks of about kChunkBytes, either copied (update) or, for a writer that
// gathers its own chunks, moved (take: no copy, and the buffers come back through spareChunk).
// At most kMaxChunks wait at a time, so memory stays bounded and the hand-overs few.
class BackgroundSha256 {
 public:
  static constexpr std::size_t kChunkBytes = std::size_t{1} << 18;
  static constexpr std::size_t kMaxChunks = 8;

  BackgroundSha256();
  ~BackgroundSha256();
  BackgroundSha256(const BackgroundSha256&) = delete;
  BackgroundSha256& operator=(const BackgroundSha256&) = delete;

  void update(std::string_view data);
  // Hashes `chunk` after everything given before, without copying it.
  void take(std::string chunk);
  // An empty string with room for kChunkBytes: the buffer of a chunk already hashed when there
  // is one, so a writer that hands over chunks with take() allocates a handful, not one per chunk.
  [[nodiscard]] std::string spareChunk();
  // Waits for every byte to be hashed. Once only: update() must not follow.
  [[nodiscard]] std::string hexDigest();

 private:
  void hand(std::string chunk);
  void stop();
  void run();

  Sha256 hash_;
  std::string filling_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable room_;
  std::deque<std::string> pending_;
  std::deque<std::string> spare_;  // hashed chunks' buffers, emptied, for spareChunk
  bool done_ = false;
  std::thread thread_;  // last: started once everything it uses exists
};

}  // namespace ajuste::hashing
