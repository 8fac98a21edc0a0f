#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "ajuste/status.hpp"

// libcrypto's hashing context; its header stays out of the plugins that include this one.
struct evp_md_ctx_st;
using EVP_MD_CTX = evp_md_ctx_st;

namespace ajuste::hashing {

// SHA-256 (FIPS 180-4, computed by OpenSSL's libcrypto), fed incrementally, so a file's digest
// can be computed while it is written (split/random) or read in chunks (the provider stages).
class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  // The digest as 64 lowercase hex digits. Call once; the object is spent afterwards.
  [[nodiscard]] std::string hexDigest();

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context_;
};

[[nodiscard]] std::string sha256Hex(std::string_view data);

// The digest of a file's bytes, read in chunks (a 500 MB training file is never in memory).
[[nodiscard]] Result<std::string> sha256OfFile(const std::filesystem::path& path);

}  // namespace ajuste::hashing
