#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/provenance.hpp"
#include "ajuste/status.hpp"
#include "csv_reader.hpp"
#include "ingest_common/byte_stream.hpp"
#include "ingest_common/decompress.hpp"
#include "ingest_common/input_files.hpp"
#include "ingest_common/text_input.hpp"

namespace ajuste::ingest_file {

// How ingest/csv reads every one of its inputs (from the stage's options).
struct CsvSettings {
  std::optional<char> delimiter;    // none: '\t' for .tsv and .tab files, ',' for the others
  bool quoting = true;
  bool header = true;               // the first row names the columns
  std::vector<std::string> columns; // names used instead of the header's; required without a header
  std::uint64_t max_record_bytes = std::uint64_t{64} << 20;
  std::size_t buffer_bytes = ingest::TextInput::kDefaultBufferBytes;  // tests shrink it
};

// What one row became: a record (value is the object {column: text}) or a reject.
struct CsvItem {
  Provenance origin;         // file, line where the row starts, 0-based data row index, byte offset
  nlohmann::json value;      // null for a reject
  std::string reject_kind;   // empty for a record
  std::string reject_reason;
  std::string raw;           // for a reject: the row as written (its first 256 bytes when too long)
};

// One CSV input being read: the file, its reader, its column names.
class CsvFile {
 public:
  // Opens `file` (decompressing it) and reads its header row. A header that cannot be read or
  // that names a column twice is a config error at "/path" (or "/columns"): the user fixes it
  // before the run, and `ajuste validate` finds it.
  [[nodiscard]] static Result<std::unique_ptr<CsvFile>> open(const ingest::InputFile& file, const CsvSettings& settings);
  // The same over a stream (tests, fuzzers); `name` names the input.
  [[nodiscard]] static Result<std::unique_ptr<CsvFile>> open(std::unique_ptr<ingest::ByteStream> raw, std::string name,
                                                             const CsvSettings& settings);

  // The next row, or nullopt at the end of the input. Errors: the input cannot be read.
  [[nodiscard]] Result<std::optional<CsvItem>> next();

  // The column names; none when the input is empty (it has no header row).
  [[nodiscard]] const std::optional<std::vector<std::string>>& columns() const { return columns_; }
  [[nodiscard]] char delimiter() const { return format_.delimiter; }
  [[nodiscard]] ingest::Compression compression() const { return compression_; }
  [[nodiscard]] std::uint64_t consumed() const { return input_->consumed(); }
  [[nodiscard]] std::uint64_t blankLines() const { return reader_->blankLines(); }

 private:
  CsvFile(std::string name, CsvFormat format, ingest::Compression compression,
          std::unique_ptr<ingest::TextInput> input);
  [[nodiscard]] Status readHeader(const CsvSettings& settings);
  [[nodiscard]] CsvItem itemFrom(CsvRow row);

  std::string name_;
  CsvFormat format_;
  ingest::Compression compression_;
  std::unique_ptr<ingest::TextInput> input_;
  std::unique_ptr<CsvReader> reader_;
  std::optional<std::vector<std::string>> columns_;
  std::uint64_t next_index_ = 0;
};

}  // namespace ajuste::ingest_file
