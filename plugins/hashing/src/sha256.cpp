#include "hashing/sha256.hpp"

#include <array>
#include <new>

#include <openssl/evp.h>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace ajuste::hashing {

// OpenSSL picks the fastest code the CPU offers (the SHA extensions where present: several
// GB/s), which matters because split/random hashes every byte it writes on its serial path.
Sha256::Sha256() : context_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
  if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1) throw std::bad_alloc();
}

void Sha256::update(std::string_view data) {
  if (data.empty()) return;
  if (EVP_DigestUpdate(context_.get(), data.data(), data.size()) != 1) throw std::bad_alloc();
}

std::string Sha256::hexDigest() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context_.get(), digest.data(), &length) != 1) throw std::bad_alloc();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

std::string sha256Hex(std::string_view data) {
  Sha256 hash;
  hash.update(data);
  return hash.hexDigest();
}

}  // namespace ajuste::hashing

namespace ajuste::hashing {

Result<std::string> sha256OfFile(const std::filesystem::path& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Status::ioError("cannot read '" + path.string() + "' to hash it: " + std::strerror(errno));
  }
  Sha256 hash;
  std::array<char, 1 << 16> buffer{};
  for (;;) {
    const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file);
    if (got > 0) hash.update(std::string_view(buffer.data(), got));
    if (got < buffer.size()) break;
  }
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return Status::ioError("cannot read '" + path.string() + "' to hash it");
  return hash.hexDigest();
}

}  // namespace ajuste::hashing
