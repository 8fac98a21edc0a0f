#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ajuste/provenance.hpp"
#include "ajuste/status.hpp"

namespace ajuste::clean_dedupe {

// A first occurrence's provenance packed into 8 bytes, so the indexes never hold text:
// bits 63..48 the source (interned below), bit 47 set when the number is a line (else a
// record index), bits 46..0 the line or index.
using RecordRef = std::uint64_t;

// Interns source names (few per run) and packs provenances into RecordRefs.
class RecordRefs {
 public:
  // Fails on the 65,537th distinct source or a line past 2^47: neither happens with real input,
  // and packing silently wrong would name the wrong record in reasons.
  [[nodiscard]] Result<RecordRef> pack(const Provenance& origin);
  // "data.jsonl:25", or "data.jsonl record #24" when the source has no lines.
  [[nodiscard]] std::string describe(RecordRef ref) const;

 private:
  std::vector<std::string> sources_;
};

}  // namespace ajuste::clean_dedupe
