// Fuzz target for the JSON array reader and element decoding. The first byte picks a small
// max_record_bytes and max_depth, the second the chunking; the rest is the document.
// Invariants:
// - the reader takes every byte of the input and cuts the same elements whatever the chunking;
// - element offsets only grow, and every element stays inside the input;
// - an element without a problem decodes to an object or to a reject with a reason (the parser
//   never throws out of decodeElement), and a problem always has a reason;
// - through JsonFile (which also decompresses gzip/zstd inputs), elements are indexed 0, 1, 2...
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../../ingest_common/fuzz/chunked_cuts.hpp"
#include "../../ingest_common/fuzz/fuzz_check.hpp"
#include "ingest_common/byte_stream.hpp"
#include "ingest_common/text_input.hpp"
#include "json_array_reader.hpp"
#include "json_element.hpp"
#include "json_file.hpp"

namespace {

using ajuste::ingest::MemoryStream;
using ajuste::ingest::TextInput;
using ajuste::ingest_file::JsonArrayFormat;
using ajuste::ingest_file::JsonArrayReader;
using ajuste::ingest_file::JsonElement;

struct Cut {
  std::vector<JsonElement> elements;
  std::uint64_t end_offset = 0;
  bool unterminated = false;
};

Cut cut(const std::string& text, const JsonArrayFormat& format, std::size_t chunk, std::size_t buffer) {
  TextInput input(std::make_unique<MemoryStream>(text, chunk), buffer);
  JsonArrayReader reader(input, format);
  Cut out;
  while (auto element = reader.next()) out.elements.push_back(std::move(*element));
  out.end_offset = input.offset();
  out.unterminated = reader.unterminated();
  return out;
}

bool sameElement(const JsonElement& a, const JsonElement& b) {
  return a.text == b.text && a.line == b.line && a.column == b.column && a.offset == b.offset &&
         a.problem.has_value() == b.problem.has_value() && (!a.problem || a.problem->kind == b.problem->kind);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = ajuste::fuzz::parserInput(data, size);
  if (!input) return 0;
  JsonArrayFormat format;
  format.max_record_bytes = (input->format_bits & 1) != 0 ? 24 : 1 << 20;
  format.max_depth = (input->format_bits & 2) != 0 ? 4 : 512;
  const std::size_t chunk = input->chunk;
  const std::string& text = input->text;

  const auto [whole, bytewise, chunked] = ajuste::fuzz::cutThreeWays(
      *input, [&](std::size_t read_size, std::size_t buffer) { return cut(text, format, read_size, buffer); }, 4, 4);
  AJUSTE_FUZZ_CHECK(whole.end_offset == text.size() && bytewise.end_offset == text.size(), text);
  AJUSTE_FUZZ_CHECK(chunked.end_offset == text.size(), text);
  AJUSTE_FUZZ_CHECK(whole.elements.size() == bytewise.elements.size(), text);
  AJUSTE_FUZZ_CHECK(whole.elements.size() == chunked.elements.size(), text);
  AJUSTE_FUZZ_CHECK(whole.unterminated == bytewise.unterminated, text);
  std::uint64_t previous = 0;
  for (std::size_t i = 0; i < whole.elements.size(); ++i) {
    const JsonElement& element = whole.elements[i];
    AJUSTE_FUZZ_CHECK(sameElement(element, bytewise.elements[i]) && sameElement(element, chunked.elements[i]), text);
    AJUSTE_FUZZ_CHECK(i == 0 || element.offset > previous, text);
    AJUSTE_FUZZ_CHECK(element.offset <= text.size() && element.line >= 1 && element.column >= 1, text);
    previous = element.offset;
    if (element.problem) {
      AJUSTE_FUZZ_CHECK(!element.problem->message.empty(), text);
      continue;
    }
    nlohmann::json value;
    const ajuste::Provenance origin{"fuzz.json", element.line, i, element.offset};
    const auto reject = ajuste::ingest_file::decodeElement(element.text, origin, element.column, value);
    AJUSTE_FUZZ_CHECK(reject ? !reject->reason.empty() && value.is_null() : value.is_object(), text);
    if (value.is_object()) (void)value.dump();  // the writer's recursion is bounded by max_depth
  }

  auto file = ajuste::ingest_file::JsonFile::open(std::make_unique<MemoryStream>(text, chunk), "fuzz.json", format,
                                                  4 + chunk);
  if (!file.ok()) return 0;
  std::uint64_t index = 0;
  for (;;) {
    auto item = (*file)->next();
    if (!item.ok() || !*item) break;
    AJUSTE_FUZZ_CHECK((**item).origin.index == index++, text);
  }
  return 0;
}
