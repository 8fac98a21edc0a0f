#pragma once

#include <cstdint>
#include <optional>

#include "ajuste/record.hpp"

namespace ajuste::clean_dedupe {

// The 128-bit hash of a record's content key (DedupeKey::exact), remembered in the record's meta
// ("content_key") by the stage that computed it (clean/dedupe), so the next stage comparing the
// same fields the same way (split/random's leakage check) need not normalize the content again.
//
// The memo names what it was computed from: the key's settings (KeyBuilder::fingerprint) and a
// hash of the record's text. It is used only while the record is held as text and that text is
// byte for byte what was hashed, so a stage in between that changes the record (a redaction, a
// cleaning) makes it stale and the key is computed again.
struct ContentHash {
  std::uint64_t low = 0;
  std::uint64_t high = 0;
};

// Records held as text only; nothing for a record held as a value.
void rememberContentHash(Record& record, std::uint64_t settings, ContentHash hash);
[[nodiscard]] std::optional<ContentHash> recallContentHash(const Record& record, std::uint64_t settings);

}  // namespace ajuste::clean_dedupe
