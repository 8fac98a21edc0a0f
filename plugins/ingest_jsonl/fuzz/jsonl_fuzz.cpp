// Fuzz target for the JSON Lines line cutter and line decoding. The first byte picks the format
// (a small max_line_bytes, blank_lines reject, a mapping), the second how the input is chunked;
// the rest is the input, read through openStream (so gzip and zstd inputs are decompressed).
// Invariants:
// - the lines cut are the same (provenance, text, reject) with 1-byte reads through a 1-byte
//   buffer, with chunked reads, and with one read through a large buffer (for a damaged
//   compressed input, as far as each got before the error);
// - lines are numbered 1, 2, ... in increasing order, indexed 0, 1, 2, ..., and their offsets
//   grow and stay inside the input;
// - for an uncompressed input, every line that is not a skipped blank one (counted here from
//   the text itself) becomes exactly one item, and through a Batch (decode, then the mapping)
//   exactly one record or one reject: nothing vanishes, nothing is made up;
// - a rejected line has a kind and a reason; a decoded line is an object, exactly the value
//   nlohmann::json::parse reads from the same text; a line the decoder lets go on as text
//   (isObjectText) is one nlohmann reads as an object.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "../../ingest_common/fuzz/chunked_cuts.hpp"
#include "../../ingest_common/fuzz/fuzz_check.hpp"
#include "ajuste/batch.hpp"
#include "ingest_common/byte_stream.hpp"
#include "ingest_common/mapping.hpp"
#include "ingest_common/open_input.hpp"
#include "line_decoder.hpp"
#include "line_reader.hpp"

namespace {

using ajuste::ingest::MemoryStream;
using ajuste::ingest_jsonl::BlankLines;
using ajuste::ingest_jsonl::JsonlLine;
using ajuste::ingest_jsonl::LineFormat;
using ajuste::ingest_jsonl::LineReader;

struct Cut {
  std::vector<JsonlLine> lines;
  bool failed = false;  // the (compressed) input could not be read to its end
  bool compressed = false;
};

Cut cut(const std::string& text, const LineFormat& format, std::size_t chunk, std::size_t buffer) {
  Cut out;
  auto opened = ajuste::ingest::openStream(std::make_unique<MemoryStream>(text, chunk), "fuzz.jsonl");
  if (!opened.ok()) {
    out.failed = true;
    return out;
  }
  out.compressed = opened->compression != ajuste::ingest::Compression::kNone;
  LineReader reader(std::move(opened->stream), "fuzz.jsonl", format, buffer);
  for (;;) {
    JsonlLine line;
    auto more = reader.next(line);
    if (!more.ok()) {
      out.failed = true;
      break;
    }
    if (!*more) break;
    out.lines.push_back(std::move(line));
  }
  return out;
}

bool sameLine(const JsonlLine& a, const JsonlLine& b) {
  return a.origin.source == b.origin.source && a.origin.line == b.origin.line && a.origin.index == b.origin.index &&
         a.origin.byte_offset == b.origin.byte_offset && a.text == b.text && a.reject_kind == b.reject_kind &&
         a.reject_reason == b.reject_reason;
}

// The lines of `text` that must become an item, counted without the reader: every line ('\n'
// ends one; a last line without it counts when it holds a byte), less the blank ones (spaces,
// tabs, '\r' only) that are skipped, which only lines within max_line_bytes can be.
std::size_t expectedItems(std::string_view text, const LineFormat& format) {
  std::size_t items = 0;
  bool first = true;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (first && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    first = false;
    const bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
    if (!(blank && line.size() <= format.max_line_bytes && format.blank_lines == BlankLines::kSkip)) ++items;
  }
  return items;
}

const std::optional<ajuste::ingest::Mapping>& promptCompletion() {
  static const std::optional<ajuste::ingest::Mapping> mapping = [] {
    auto made = ajuste::ingest::Mapping::fromOptions(nlohmann::json{{"preset", "prompt_completion"}});
    return made.ok() ? std::optional<ajuste::ingest::Mapping>(std::move(made).value()) : std::nullopt;
  }();
  return mapping;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = ajuste::fuzz::parserInput(data, size);
  if (!input) return 0;
  LineFormat format;
  format.max_line_bytes = (input->format_bits & 1) != 0 ? 24 : 1 << 20;
  format.blank_lines = (input->format_bits & 2) != 0 ? BlankLines::kReject : BlankLines::kSkip;
  const bool mapped = (input->format_bits & 4) != 0;
  const std::string& text = input->text;

  const auto [whole, bytewise, chunked] = ajuste::fuzz::cutThreeWays(
      *input, [&](std::size_t read_size, std::size_t buffer) { return cut(text, format, read_size, buffer); }, 1, 3);
  AJUSTE_FUZZ_CHECK(whole.failed == bytewise.failed && whole.failed == chunked.failed, text);
  // A decompressor may find damage (a bad checksum) before or after handing out the data in
  // front of it, depending on how much it was given: then the cuts agree on what they have.
  if (!whole.failed) {
    AJUSTE_FUZZ_CHECK(whole.lines.size() == bytewise.lines.size() && whole.lines.size() == chunked.lines.size(), text);
  }
  if (!whole.compressed && !whole.failed) AJUSTE_FUZZ_CHECK(whole.lines.size() == expectedItems(text, format), text);
  for (const Cut* other : {&bytewise, &chunked}) {
    for (std::size_t i = 0; i < std::min(whole.lines.size(), other->lines.size()); ++i) {
      AJUSTE_FUZZ_CHECK(sameLine(whole.lines[i], other->lines[i]), text);
    }
  }

  ajuste::ingest_jsonl::LineDecoder decoder;
  ajuste::Batch batch(whole.lines.size() + 1);
  std::size_t read_rejects = 0;
  for (std::size_t i = 0; i < whole.lines.size(); ++i) {
    const JsonlLine& line = whole.lines[i];
    AJUSTE_FUZZ_CHECK(line.origin.index == i && line.origin.line >= 1, text);
    if (i > 0) {
      AJUSTE_FUZZ_CHECK(line.origin.line > whole.lines[i - 1].origin.line, text);
      AJUSTE_FUZZ_CHECK(line.origin.byte_offset > whole.lines[i - 1].origin.byte_offset, text);
    }
    if (!whole.compressed) AJUSTE_FUZZ_CHECK(line.origin.byte_offset + line.text.size() <= text.size(), text);
    if (!line.reject_kind.empty()) {
      AJUSTE_FUZZ_CHECK(!line.reject_reason.empty(), text);
      batch.rejectInput(line.origin, line.reject_reason, line.text, line.reject_kind);
      ++read_rejects;
      continue;
    }
    ajuste::Record record;
    record.origin = line.origin;
    record.raw = line.text;
    batch.add(std::move(record));
  }

  std::size_t decode_rejects = 0;
  for (ajuste::Record& record : batch) {
    // A line that goes on as text is one nlohmann reads as an object too.
    if (decoder.isObjectText(record.raw)) {
      const nlohmann::json as_text = nlohmann::json::parse(record.raw, nullptr, false);
      AJUSTE_FUZZ_CHECK(!as_text.is_discarded() && as_text.is_object(), text);
    }
    nlohmann::json value;
    if (auto reject = decoder.decode(record.raw, record.origin, value)) {
      AJUSTE_FUZZ_CHECK(!reject->kind.empty() && !reject->reason.empty() && value.is_null(), text);
      batch.reject(record, std::move(reject->reason), std::move(reject->kind));
      ++decode_rejects;
      continue;
    }
    AJUSTE_FUZZ_CHECK(value.is_object(), text);
    const nlohmann::json expected = nlohmann::json::parse(record.raw, nullptr, false);
    AJUSTE_FUZZ_CHECK(!expected.is_discarded() && expected.dump() == value.dump(), text);
    record.value = std::move(value);
  }
  const std::size_t decoded = batch.size();
  if (mapped) ajuste::ingest::applyMapping(promptCompletion(), batch);
  const std::size_t rejects = batch.takeRejects().size();
  AJUSTE_FUZZ_CHECK(batch.size() + rejects == whole.lines.size(), text);
  AJUSTE_FUZZ_CHECK(decoded + read_rejects + decode_rejects == whole.lines.size(), text);
  return 0;
}
