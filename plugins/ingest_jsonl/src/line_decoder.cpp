#include "line_decoder.hpp"

#include <cstdint>
#include <string_view>

#include <simdjson.h>

#include "record_text/fast_parser.hpp"

#include "ingest_common/json_errors.hpp"
#include "ingest_common/utf8.hpp"

namespace ajuste::ingest_jsonl {
namespace {

static_assert(kLinePadding >= simdjson::SIMDJSON_PADDING, "the reader must reserve simdjson's padding");

// Deeper values are rejected (as ingest/json does): writing or walking a value recurses once per
// level in later stages, and a line of a few hundred kilobytes of '[' would exhaust the stack.
constexpr std::size_t kMaxDepth = record_text::FastParser::kMaxDepth;

// Whether `text` nests arrays and objects deeper than `limit` levels (exact for valid JSON;
// brackets inside strings do not count).
bool nestsDeeperThan(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

std::string jsonTypePhrase(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "JSON null";
    case nlohmann::json::value_t::array: return "a JSON array";
    case nlohmann::json::value_t::string: return "a JSON string";
    case nlohmann::json::value_t::boolean: return "a JSON boolean";
    default: return "a JSON number";
  }
}

}  // namespace

LineDecoder::LineDecoder() : fast_(std::make_unique<record_text::FastParser>()) {}
LineDecoder::~LineDecoder() = default;

bool LineDecoder::isObjectText(const std::string& text) { return fast_->isObject(text); }

std::optional<LineReject> LineDecoder::decode(const std::string& text, const Provenance& origin, nlohmann::json& out) {
  if (auto fast = fast_->parse(text); fast && fast->is_object()) {
    out = std::move(*fast);
    return std::nullopt;
  }
  // Lines are cut at '\n' only, so the column is the byte's place in the line, from 1.
  if (const auto bad = ingest::findInvalidUtf8(text)) {
    const ingest::TextPosition at{origin.line, bad->offset + 1};
    return LineReject{"invalid_utf8", ingest::describeInvalidUtf8(*bad, at, origin.byte_offset + bad->offset)};
  }
  // Before parsing, so that no deep value is ever built (nor recursively destroyed).
  if (nestsDeeperThan(text, kMaxDepth)) {
    return LineReject{"too_deep", "the line nests arrays and objects deeper than " + std::to_string(kMaxDepth) +
                                      " levels; no training example needs that many, and later stages could not "
                                      "handle it"};
  }
  // nlohmann reads a NUL byte as the end of the input, so `{"a":1}<NUL>{"b":2}` would quietly
  // become {"a":1}. JSON allows no NUL byte anywhere (in a string it must be written \u0000).
  if (const std::size_t nul = text.find('\0'); nul != std::string::npos) {
    return LineReject{"invalid_json", "invalid JSON at line " + std::to_string(origin.line) + ", column " +
                                          std::to_string(nul + 1) +
                                          ": a NUL byte (0x00), which JSON does not allow (write \\u0000 inside a "
                                          "string); each line must be one complete JSON object"};
  }
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    // `byte` counts from 1 the characters read, the failing one included.
    const std::size_t column = error.byte > 0 ? error.byte : 1;
    return LineReject{"invalid_json", "invalid JSON at line " + std::to_string(origin.line) + ", column " +
                                          std::to_string(column) + ": " + ingest::jsonErrorText(error) +
                                          "; each line must be one complete JSON object"};
  } catch (const nlohmann::json::exception& error) {
    return LineReject{"invalid_json",
                      "invalid JSON at line " + std::to_string(origin.line) + ": " + ingest::jsonErrorText(error) +
                          "; each line must be one complete JSON object"};
  }
  if (!value.is_object()) {
    return LineReject{"not_object", "line is " + jsonTypePhrase(value) +
                                        ", expected an object; each line must be one JSON object such as "
                                        "{\"messages\": [...]}"};
  }
  out = std::move(value);
  return std::nullopt;
}

}  // namespace ajuste::ingest_jsonl
