#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace ajuste::emulator {

// Deterministic hashing: every id, metric and answer the emulator makes derives from these, so
// the same --seed and the same sequence of requests give the same bytes.
std::uint64_t mix64(std::uint64_t value);
std::uint64_t hashText(std::string_view text, std::uint64_t seed = 0);
// Uniform in [0, 1).
double unitInterval(std::uint64_t hash);
// `length` characters of [0-9A-Za-z] drawn from `hash`.
std::string base62(std::uint64_t hash, std::size_t length);

// Ids shaped like the real service's (`file-` + 22 characters, `ftjob-` + 24, ...).
// Threads: not synchronized; the World's mutex guards it.
class IdMaker {
 public:
  explicit IdMaker(std::uint64_t seed) : seed_(seed) {}

  // The next id of a kind: the n-th `file-` id is the same for the same seed.
  std::string next(std::string_view prefix, std::size_t length);
  // An id that is a pure function of another object's id, so objects made lazily (events,
  // result files) get the same ids whenever they are first looked at.
  std::string derived(std::string_view prefix, std::string_view from, std::string_view salt,
                      std::size_t length) const;
  void reset() { sequence_.clear(); }

  [[nodiscard]] std::uint64_t seed() const { return seed_; }
  [[nodiscard]] const std::map<std::string, std::uint64_t, std::less<>>& sequences() const {
    return sequence_;
  }
  void restore(std::map<std::string, std::uint64_t, std::less<>> sequences) {
    sequence_ = std::move(sequences);
  }

 private:
  std::uint64_t seed_;
  std::map<std::string, std::uint64_t, std::less<>> sequence_;
};

}  // namespace ajuste::emulator
