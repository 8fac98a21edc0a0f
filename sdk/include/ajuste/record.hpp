#pragma once

#include <string>
#include <utility>

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
  // The example as JSON text, so that stages which work on text (StageInfo::reads_text) need
  // not build `value` for it. While `value` is discarded (`isTextOnly`), `text` is the only
  // copy of the example; otherwise, when not empty, it holds the same example as `value`, as
  // its source wrote it (key order, spacing and escapes kept), and output stages write it as
  // is. The runner parses it into `value` before a stage that does not read text, and empties
  // it after a stage that does not keep it (StageInfo::keeps_text).
  std::string text{};
};

// Whether `record` is held as text only: its `value` is not built, `text` is the example.
inline bool isTextOnly(const Record& record) { return record.value.is_discarded(); }

// Builds `value` from `text` when the record is held as text only (nlohmann's reading of the
// text, so the value is the one parsing the line would give). `text` stays.
inline void ensureValue(Record& record) {
  if (isTextOnly(record)) record.value = nlohmann::json::parse(record.text);
}

// Makes `record` held as text only, `text` being its example (a stage that works on text and
// has just written the record's new text).
inline void keepTextOnly(Record& record, std::string text) {
  record.text = std::move(text);
  record.value = nlohmann::json(nlohmann::json::value_t::discarded);
}

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
