#include "line_decoder.hpp"

#include <cstdint>
#include <string_view>

#include <simdjson.h>

#include "ingest_common/json_errors.hpp"
#include "ingest_common/utf8.hpp"

namespace ajuste::ingest_jsonl {
namespace {

static_assert(kLinePadding >= simdjson::SIMDJSON_PADDING, "the reader must reserve simdjson's padding");

// Lines up to this size are parsed with simdjson, whose parser keeps buffers sized for the
// largest document it has seen (several times its size); longer (rare) lines use nlohmann's
// parser, so that memory stays bounded per worker.
constexpr std::size_t kMaxFastParseBytes = std::size_t{1} << 20;
// Deeper values are rejected (as ingest/json does): writing or walking a value recurses once per
// level in later stages, and a line of a few hundred kilobytes of '[' would exhaust the stack.
constexpr std::size_t kMaxDepth = 512;
// What the simdjson parser is first sized for; it grows to the largest line it has seen.
constexpr std::size_t kInitialFastParseBytes = std::size_t{1} << 12;

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

// Builds from simdjson's DOM the value nlohmann::json::parse builds from the same text: objects
// keep the last of duplicate keys; integers are number_unsigned when non-negative and
// number_integer when negative, as nlohmann reads them. Sets `zero_integer` on an integer 0,
// which nlohmann keeps signed when written "-0" (simdjson cannot tell).
void buildValue(simdjson::dom::element element, nlohmann::json& out, bool& zero_integer) {
  using Type = simdjson::dom::element_type;
  switch (element.type()) {
    case Type::OBJECT: {
      out = nlohmann::json::object();
      auto& object = out.get_ref<nlohmann::json::object_t&>();
      for (const simdjson::dom::key_value_pair field : simdjson::dom::object(element)) {
        buildValue(field.value, object[std::string(field.key)], zero_integer);
      }
      return;
    }
    case Type::ARRAY: {
      out = nlohmann::json::array();
      auto& array = out.get_ref<nlohmann::json::array_t&>();
      const simdjson::dom::array items(element);
      array.reserve(items.size());
      for (const simdjson::dom::element item : items) buildValue(item, array.emplace_back(), zero_integer);
      return;
    }
    case Type::STRING: out = std::string(std::string_view(element)); return;
    case Type::INT64: {
      const std::int64_t value = element.get_int64().value_unsafe();
      if (value == 0) zero_integer = true;
      if (value >= 0) {
        out = static_cast<std::uint64_t>(value);
      } else {
        out = value;
      }
      return;
    }
    case Type::UINT64: out = element.get_uint64().value_unsafe(); return;
    case Type::DOUBLE: out = element.get_double().value_unsafe(); return;
    case Type::BOOL: out = element.get_bool().value_unsafe(); return;
    case Type::NULL_VALUE: out = nullptr; return;
  }
}

}  // namespace

class LineDecoder::FastParser {
 public:
  // The depth limit is set once here; the parser keeps it when it grows. A line deeper than it
  // is refused (DEPTH_ERROR) and goes to nlohmann, where it becomes a too_deep reject.
  // If that allocation fails, every line goes to nlohmann.
  FastParser() : ready_(parser_.allocate(kInitialFastParseBytes, kMaxDepth) == simdjson::SUCCESS) {}

  // The value of `line`, or nullopt when nlohmann must read it (simdjson refused it, or its
  // reading may differ). A line simdjson accepts is valid UTF-8 (it validates every byte).
  std::optional<nlohmann::json> parse(const std::string& line) {
    if (!ready_ || line.size() > kMaxFastParseBytes) return std::nullopt;
    simdjson::dom::element root;
    const bool padded = line.capacity() - line.size() >= simdjson::SIMDJSON_PADDING;
    if (parser_.parse(line.data(), line.size(), !padded).get(root) != simdjson::SUCCESS) return std::nullopt;
    nlohmann::json value;
    bool zero_integer = false;
    buildValue(root, value, zero_integer);
    if (zero_integer && line.find("-0") != std::string::npos) return std::nullopt;
    return value;
  }

 private:
  simdjson::dom::parser parser_{kMaxFastParseBytes};
  bool ready_;
};

LineDecoder::LineDecoder() : fast_(std::make_unique<FastParser>()) {}
LineDecoder::~LineDecoder() = default;

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
