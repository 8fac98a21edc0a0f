#include "ids.hpp"

namespace ajuste::emulator {

std::uint64_t mix64(std::uint64_t value) {
  // splitmix64's finalizer: cheap, and every input bit reaches every output bit.
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27U)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31U);
}

std::uint64_t hashText(std::string_view text, std::uint64_t seed) {
  std::uint64_t hash = 0xcbf29ce484222325ULL ^ mix64(seed);
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return mix64(hash);
}

double unitInterval(std::uint64_t hash) {
  return static_cast<double>(hash >> 11U) * (1.0 / 9007199254740992.0);
}

std::string base62(std::uint64_t hash, std::size_t length) {
  static constexpr std::string_view kAlphabet =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string out;
  out.reserve(length);
  std::uint64_t state = hash;
  for (std::size_t i = 0; i < length; ++i) {
    state = mix64(state + i);
    out += kAlphabet[state % kAlphabet.size()];
  }
  return out;
}

std::string IdMaker::next(std::string_view prefix, std::size_t length) {
  const auto found = sequence_.find(prefix);
  std::uint64_t& counter = found != sequence_.end() ? found->second
                                                    : sequence_.emplace(std::string(prefix), 0).first->second;
  ++counter;
  const std::uint64_t hash = hashText(std::string(prefix) + "#" + std::to_string(counter), seed_);
  return std::string(prefix) + base62(hash, length);
}

std::string IdMaker::derived(std::string_view prefix, std::string_view from, std::string_view salt,
                             std::size_t length) const {
  const std::uint64_t hash = hashText(std::string(from) + "/" + std::string(salt), seed_);
  return std::string(prefix) + base62(hash, length);
}

}  // namespace ajuste::emulator
