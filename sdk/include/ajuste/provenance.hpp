#pragma once

#include <cstdint>
#include <string>

namespace ajuste {

// Where a record came from, copied into every reject so a user can open the input at the
// failing line. Stages never edit it: it travels with the record through the whole chain.
struct Provenance {
  std::string source;          // path as the user wrote it (or as the source names it)
  std::uint64_t line = 0;      // 1-based line (JSONL) or row (CSV); 0 when the format has none
  std::uint64_t index = 0;     // 0-based record number within `source`
  std::uint64_t byte_offset = 0;  // where the record starts in the (decompressed) input

  // "data/reviews.jsonl:1832 (record #1831)"
  [[nodiscard]] std::string toString() const {
    std::string out = source;
    if (line != 0) out += ":" + std::to_string(line);
    out += " (record #" + std::to_string(index) + ")";
    return out;
  }
};

}  // namespace ajuste
