#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "ajuste/status.hpp"

namespace ajuste::hashing {

// SHA-256 (FIPS 180-4), fed incrementally, so a file's digest can be computed while it is
// written (split/random) or read in chunks (the provider stages).
class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  // The digest as 64 lowercase hex digits. Call once; the object is spent afterwards.
  [[nodiscard]] std::string hexDigest();

 private:
  void compress(const unsigned char* block);

  std::array<std::uint32_t, 8> state_;
  std::array<unsigned char, 64> block_{};
  std::size_t block_used_ = 0;
  std::uint64_t total_bytes_ = 0;
};

[[nodiscard]] std::string sha256Hex(std::string_view data);

// The digest of a file's bytes, read in chunks (a 500 MB training file is never in memory).
[[nodiscard]] Result<std::string> sha256OfFile(const std::filesystem::path& path);

}  // namespace ajuste::hashing
