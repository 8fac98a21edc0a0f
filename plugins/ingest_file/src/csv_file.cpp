#include "csv_file.hpp"

#include <map>
#include <utility>

#include "ingest_common/open_input.hpp"
#include "ingest_common/utf8.hpp"

namespace ajuste::ingest_file {
namespace {

// How much of a too-long row is kept in its reject, so the rejects file stays small.
constexpr std::size_t kQuotedPrefixBytes = 256;

char delimiterFor(const std::string& name, const CsvSettings& settings) {
  if (settings.delimiter) return *settings.delimiter;
  const std::string_view bare = ingest::withoutCompressionSuffix(name);
  return bare.ends_with(".tsv") || bare.ends_with(".tab") ? '\t' : ',';
}

std::string delimiterName(char delimiter) {
  if (delimiter == '\t') return "a tab";
  return std::string("'") + delimiter + "'";
}

}  // namespace

Result<std::unique_ptr<CsvFile>> CsvFile::open(const ingest::InputFile& file, const CsvSettings& settings) {
  auto opened = ingest::openInput(file);
  if (!opened.ok()) return opened.error();
  CsvFormat format{delimiterFor(file.display, settings), settings.quoting, settings.max_record_bytes};
  std::unique_ptr<CsvFile> csv(new CsvFile(
      file.display, format, opened->compression,
      std::make_unique<ingest::TextInput>(std::move(opened->stream), settings.buffer_bytes)));
  if (Status status = csv->readHeader(settings); !status.isOk()) return status;
  return csv;
}

Result<std::unique_ptr<CsvFile>> CsvFile::open(std::unique_ptr<ingest::ByteStream> raw, std::string name,
                                               const CsvSettings& settings) {
  auto opened = ingest::openStream(std::move(raw), name);
  if (!opened.ok()) return opened.error();
  CsvFormat format{delimiterFor(name, settings), settings.quoting, settings.max_record_bytes};
  std::unique_ptr<CsvFile> csv(new CsvFile(
      std::move(name), format, opened->compression,
      std::make_unique<ingest::TextInput>(std::move(opened->stream), settings.buffer_bytes)));
  if (Status status = csv->readHeader(settings); !status.isOk()) return status;
  return csv;
}

CsvFile::CsvFile(std::string name, CsvFormat format, ingest::Compression compression,
                 std::unique_ptr<ingest::TextInput> input)
    : name_(std::move(name)), format_(format), compression_(compression), input_(std::move(input)),
      reader_(std::make_unique<CsvReader>(*input_, format_)) {}

Status CsvFile::readHeader(const CsvSettings& settings) {
  if (!settings.header) {
    columns_ = settings.columns;
    return Status::ok();
  }
  std::optional<CsvRow> header = reader_->next();
  if (!input_->status().isOk()) return input_->status();
  if (!header) return Status::ok();  // an empty input: no header, no rows
  const std::string where = "the header row of '" + name_ + "' (line " + std::to_string(header->line) + ")";
  if (header->problem) {
    return Status::configError("/path", where + " cannot be read: " + header->problem->message);
  }
  if (const auto bad = ingest::findInvalidUtf8(header->text)) {
    return Status::configError("/path", where + " is not UTF-8: " + bad->what + " at byte " +
                                            std::to_string(header->offset + bad->offset) +
                                            "; re-save the file as UTF-8");
  }
  if (!settings.columns.empty()) {
    if (settings.columns.size() != header->fields.size()) {
      return Status::configError("/columns", "'columns' names " + std::to_string(settings.columns.size()) +
                                                 " columns but " + where + " has " +
                                                 std::to_string(header->fields.size()) + " fields (separated by " +
                                                 delimiterName(format_.delimiter) + ")");
    }
    columns_ = settings.columns;
    return Status::ok();
  }
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < header->fields.size(); ++i) {
    const auto [it, fresh] = seen.emplace(header->fields[i], i + 1);
    if (!fresh) {
      return Status::configError("/path", where + " names the column '" + header->fields[i] + "' twice (fields " +
                                              std::to_string(it->second) + " and " + std::to_string(i + 1) +
                                              "); rename one in the file, or name all columns with the 'columns' "
                                              "option");
    }
  }
  columns_ = std::move(header->fields);
  return Status::ok();
}

Result<std::optional<CsvItem>> CsvFile::next() {
  std::optional<CsvRow> row = reader_->next();
  if (!row) {
    if (!input_->status().isOk()) return input_->status();
    return std::optional<CsvItem>();
  }
  return std::optional<CsvItem>(itemFrom(std::move(*row)));
}

CsvItem CsvFile::itemFrom(CsvRow row) {
  CsvItem item;
  item.origin = Provenance{name_, row.line, next_index_++, row.offset};
  const auto reject = [&](std::string kind, std::string reason, std::string_view raw) {
    item.reject_kind = std::move(kind);
    item.reject_reason = std::move(reason);
    item.raw = std::string(raw);
    return std::move(item);
  };
  if (row.problem) {
    return reject(row.problem->kind, row.problem->message, ingest::utf8Prefix(row.text, kQuotedPrefixBytes));
  }
  if (const auto bad = ingest::findInvalidUtf8(row.text)) {
    const auto at = ingest::positionIn(row.text, bad->offset, ingest::TextPosition{row.line, 1});
    return reject("invalid_utf8", ingest::describeInvalidUtf8(*bad, at, row.offset + bad->offset), row.text);
  }
  const std::vector<std::string>& columns = *columns_;
  if (row.fields.size() != columns.size()) {
    return reject("wrong_field_count",
                  "the row has " + std::to_string(row.fields.size()) + " field" + (row.fields.size() == 1 ? "" : "s") +
                      " but the header has " + std::to_string(columns.size()) +
                      " (fields are separated by " + delimiterName(format_.delimiter) +
                      "); a field holding the delimiter or a line break must be quoted (\"...\")",
                  row.text);
  }
  item.value = nlohmann::json::object();
  for (std::size_t i = 0; i < columns.size(); ++i) item.value[columns[i]] = std::move(row.fields[i]);
  return item;
}

}  // namespace ajuste::ingest_file
