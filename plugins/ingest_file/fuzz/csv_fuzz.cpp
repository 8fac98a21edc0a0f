// Fuzz target for the CSV reader. The first byte picks the format (delimiter, quoting, a small
// max_record_bytes), the second how the input is chunked; the rest is the CSV text. Invariants:
// - the reader takes every byte of the input, whatever the chunking, and cuts the same rows
//   (fields, text, line, offset, length, problem) with 1-byte reads through a 4-byte buffer as
//   with one read through a large buffer;
// - rows follow each other: offsets only grow, and a row never ends past the input;
// - a row without a problem survives a round trip: written back with every field quoted, it
//   reads as the same fields;
// - through CsvFile (which also decompresses gzip/zstd inputs), every row becomes exactly one
//   record or reject, indexed 0, 1, 2, ... (nothing vanishes).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "../../ingest_common/fuzz/chunked_cuts.hpp"
#include "../../ingest_common/fuzz/fuzz_check.hpp"
#include "csv_file.hpp"
#include "csv_reader.hpp"
#include "ingest_common/byte_stream.hpp"
#include "ingest_common/text_input.hpp"

namespace {

using ajuste::ingest::MemoryStream;
using ajuste::ingest::TextInput;
using ajuste::ingest_file::CsvFormat;
using ajuste::ingest_file::CsvReader;
using ajuste::ingest_file::CsvRow;

struct Cut {
  std::vector<CsvRow> rows;
  std::uint64_t end_offset = 0;
  std::uint64_t blank_lines = 0;
};

Cut cut(const std::string& text, const CsvFormat& format, std::size_t chunk, std::size_t buffer) {
  TextInput input(std::make_unique<MemoryStream>(text, chunk), buffer);
  CsvReader reader(input, format);
  Cut out;
  while (auto row = reader.next()) out.rows.push_back(std::move(*row));
  out.end_offset = input.offset();
  out.blank_lines = reader.blankLines();
  return out;
}

bool sameRow(const CsvRow& a, const CsvRow& b) {
  return a.fields == b.fields && a.text == b.text && a.line == b.line && a.offset == b.offset && a.bytes == b.bytes &&
         a.problem.has_value() == b.problem.has_value() && (!a.problem || a.problem->kind == b.problem->kind);
}

std::string quotedRow(const std::vector<std::string>& fields, char delimiter) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += delimiter;
    out += '"';
    for (const char c : fields[i]) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += '"';
  }
  return out + "\n";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = ajuste::fuzz::parserInput(data, size);
  if (!input) return 0;
  static constexpr char kDelimiters[] = {',', '\t', ';', '|'};
  CsvFormat format;
  format.delimiter = kDelimiters[input->format_bits & 3];
  format.quoting = (input->format_bits & 4) == 0;
  format.max_record_bytes = (input->format_bits & 8) != 0 ? 16 : 1 << 20;
  const std::size_t chunk = input->chunk;
  const std::string& text = input->text;

  const auto [whole, bytewise, chunked] = ajuste::fuzz::cutThreeWays(
      *input, [&](std::size_t read_size, std::size_t buffer) { return cut(text, format, read_size, buffer); }, 4, 4);
  AJUSTE_FUZZ_CHECK(whole.end_offset == text.size(), text);
  AJUSTE_FUZZ_CHECK(bytewise.end_offset == text.size() && chunked.end_offset == text.size(), text);
  AJUSTE_FUZZ_CHECK(whole.rows.size() == bytewise.rows.size() && whole.rows.size() == chunked.rows.size(), text);
  AJUSTE_FUZZ_CHECK(whole.blank_lines == bytewise.blank_lines, text);
  std::uint64_t previous_end = 0;
  for (std::size_t i = 0; i < whole.rows.size(); ++i) {
    const CsvRow& row = whole.rows[i];
    AJUSTE_FUZZ_CHECK(sameRow(row, bytewise.rows[i]) && sameRow(row, chunked.rows[i]), text);
    AJUSTE_FUZZ_CHECK(row.offset >= previous_end && row.offset + row.bytes <= text.size(), text);
    AJUSTE_FUZZ_CHECK(row.line >= 1 && row.bytes >= 1, text);
    previous_end = row.offset + row.bytes;
    if (!row.problem && format.quoting) {
      const std::string written = quotedRow(row.fields, format.delimiter);
      CsvFormat roomy = format;
      roomy.max_record_bytes = std::uint64_t{1} << 30;
      const Cut again = cut(written, roomy, written.size() + 1, 1 << 16);
      // An all-empty single field writes as "" which reads back as one empty field too.
      AJUSTE_FUZZ_CHECK(again.rows.size() == 1 && again.rows[0].fields == row.fields, text);
    }
  }

  ajuste::ingest_file::CsvSettings settings;
  settings.delimiter = format.delimiter;
  settings.quoting = format.quoting;
  settings.max_record_bytes = format.max_record_bytes;
  settings.buffer_bytes = 4 + chunk;
  auto file = ajuste::ingest_file::CsvFile::open(std::make_unique<MemoryStream>(text, chunk), "fuzz.csv", settings);
  if (!file.ok()) return 0;  // a header that cannot be read, or a stream that is not what it claims
  std::uint64_t index = 0;
  for (;;) {
    auto item = (*file)->next();
    if (!item.ok() || !*item) break;
    const auto& got = **item;
    AJUSTE_FUZZ_CHECK(got.origin.index == index++, text);
    AJUSTE_FUZZ_CHECK(got.reject_kind.empty() == got.value.is_object(), text);
    AJUSTE_FUZZ_CHECK(got.reject_kind.empty() || !got.reject_reason.empty(), text);
  }
  return 0;
}
