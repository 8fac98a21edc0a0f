#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ajuste/provenance.hpp"

namespace ajuste {

// One example flowing through the record stages.
struct Record {
  nlohmann::json value;  // the example itself, e.g. {"messages": [...]}
  Provenance origin;     // never edited after the source made the record
  // The input text of the record while it is not decoded yet. Sources fill it in `read`
  // (serial) and turn it into `value` in `decode` (parallel); it is empty afterwards.
  std::string raw;
  // What stages learned about the record and later stages may use (token counts, the
  // detected format), keyed by topic: {"tokens": {...}}. Never written to outputs.
  nlohmann::json meta;
  // What a serial stage's `prepare` computed ahead, on a worker thread, for its own `process`
  // or `consume` (a serialized line, a content hash): bytes only that stage reads. The runner
  // empties it once that stage has seen the record. (The `{}` keeps `Record{value, origin, raw,
  // meta}` in plugins written before this member free of missing-initializer warnings.)
  std::string prepared{};
};

// A record that left the chain: the engine writes it to the run's rejects file together
// with the stage that rejected it.
struct Reject {
  Provenance origin;
  std::string reason;
  std::string kind;      // short stable key for summaries ("invalid_json"); may be empty
  nlohmann::json value;  // the record as the rejecting stage saw it (null when never decoded)
  std::string raw;       // the input text when the record could not be decoded
};

}  // namespace ajuste
