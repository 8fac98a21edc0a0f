#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ajuste/provenance.hpp"
#include "record_text/fast_parser.hpp"

namespace ajuste::ingest_jsonl {

// Bytes the reader reserves after the end of every line it hands out (in the line's string
// capacity), so that simdjson can parse the line in place: it may read that far past the end.
// line_decoder.cpp checks that this is at least simdjson::SIMDJSON_PADDING.
inline constexpr std::size_t kLinePadding = 64;

// Why a line is not a record.
struct LineReject {
  std::string kind;    // invalid_utf8, invalid_json, not_object
  std::string reason;  // names the line and column in the file
};

// Turns the text of one line into a JSON object, or says why it cannot.
//
// Lines of up to 1 MiB are parsed with simdjson and the nlohmann value is built from its DOM
// (about four times faster than nlohmann::json::parse); a line simdjson refuses, a longer one, or
// one whose reading may differ (a negative zero integer) goes through the UTF-8 check and
// nlohmann::json::parse, so values, rejects and their messages are exactly nlohmann's.
// Threads: the simdjson parser keeps state, so one decoder serves one thread at a time (a
// parallel source has one instance per worker).
class LineDecoder {
 public:
  LineDecoder();
  ~LineDecoder();
  LineDecoder(const LineDecoder&) = delete;
  LineDecoder& operator=(const LineDecoder&) = delete;

  // Fills `out` with the object `text` holds, or returns the reject. `origin` (line, byte
  // offset of the line's first byte) places problems in the file. `text` should have
  // kLinePadding bytes of capacity after its end, or simdjson parses a copy.
  [[nodiscard]] std::optional<LineReject> decode(const std::string& text, const Provenance& origin,
                                                 nlohmann::json& out);

  // Whether `text` is a JSON object that can stay text (Record::text) as it is: simdjson
  // accepts it (valid UTF-8 and JSON, at most 512 levels deep, so nlohmann::json::parse reads it
  // too) and it is at most 1 MiB. Otherwise `decode` says what it is.
  [[nodiscard]] bool isObjectText(const std::string& text);

 private:
  std::unique_ptr<record_text::FastParser> fast_;
};

}  // namespace ajuste::ingest_jsonl
