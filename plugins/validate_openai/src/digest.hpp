#pragma once

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ajuste::validate_openai {

// 64-bit FNV-1a: cheap, stable across platforms and runs (never std::hash, whose value the
// standard library may change), good enough to count distinct values and find duplicates.
class Fnv1a {
 public:
  void update(std::string_view bytes) {
    for (const char c : bytes) {
      hash_ ^= static_cast<unsigned char>(c);
      hash_ *= 0x100000001b3ULL;
    }
  }
  void update(char c) { update(std::string_view(&c, 1)); }
  [[nodiscard]] std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

std::uint64_t hashText(std::string_view text);

// One pass over a JSON value: a structural hash (equal values, equal hash; objects are key-sorted
// by nlohmann::json, so key order in the input does not matter; an integer hashes the same
// whether nlohmann holds it signed or unsigned) and the length of its compact serialisation
// (exact for strings, integers and structure; floats as their shortest form). The hash takes
// text eight bytes at a time (this runs over every byte of every example); like Fnv1a it is
// stable across platforms and runs, and it is never written anywhere.
struct JsonDigest {
  std::uint64_t hash = 0;
  std::uint64_t bytes = 0;
};
JsonDigest digest(const nlohmann::json& value);

}  // namespace ajuste::validate_openai
