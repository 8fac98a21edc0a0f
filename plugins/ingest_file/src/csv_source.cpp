#include "csv_source.hpp"

#include <cstdint>
#include <utility>

#include "ingest_common/sample_check.hpp"
#include "source_options.hpp"

namespace ajuste::ingest_file {
namespace {

constexpr const char* kOwnProperties = R"json({
  "delimiter": {
    "type": "string",
    "minLength": 1,
    "maxLength": 1,
    "description": "The field separator, one ASCII character. Default: a tab for .tsv and .tab files (compressed or not), a comma for the others. In YAML a tab is \"\\t\"."
  },
  "quoting": {
    "type": "string",
    "enum": ["rfc4180", "none"],
    "default": "rfc4180",
    "description": "rfc4180: a field starting with a double quote is quoted (it may hold delimiters, line breaks and \"\" for a quote). none: quotes are ordinary characters, as in IANA TSV."
  },
  "header": {
    "type": "boolean",
    "default": true,
    "description": "The first row of each file names the columns. With false, every row is data and 'columns' names the fields."
  },
  "columns": {
    "type": "array",
    "items": {"type": "string"},
    "minItems": 1,
    "uniqueItems": true,
    "description": "Column names to use instead of the header row's (which is then skipped, and must have as many fields); required with header: false."
  }
})json";

constexpr const char* kPathDescription =
    "A CSV/TSV file, a directory (its .csv, .tsv and .tab files, compressed or not, by name), or a glob such as "
    "data/*.csv.gz (sorted by path). gzip and zstd files are decompressed on the fly. A relative path starts from "
    "the folder of the pipeline file.";

Result<CsvSettings> csvSettings(const nlohmann::json& with) {
  CsvSettings settings;
  settings.quoting = with.value("quoting", "rfc4180") == "rfc4180";
  settings.header = with.value("header", true);
  settings.columns = with.value("columns", std::vector<std::string>{});
  settings.max_record_bytes = with.value("max_record_bytes", settings.max_record_bytes);
  if (const auto it = with.find("delimiter"); it != with.end()) {
    const std::string delimiter = it->get<std::string>();
    if (delimiter.size() != 1 || static_cast<unsigned char>(delimiter[0]) >= 0x80) {
      return Status::configError("/delimiter", "must be one ASCII character, got \"" + delimiter + "\"");
    }
    if (delimiter == "\n" || delimiter == "\r" || (delimiter == "\"" && settings.quoting)) {
      return Status::configError("/delimiter", delimiter == "\""
                                                   ? "a double quote cannot separate fields while quoting is "
                                                     "rfc4180; set quoting: none to use it"
                                                   : "a line break cannot separate fields: it ends rows");
    }
    settings.delimiter = delimiter[0];
  }
  if (!settings.header && settings.columns.empty()) {
    return Status::configError("/header", "header: false needs the 'columns' option to name the fields, e.g. "
                                          "columns: [review, stars]");
  }
  return settings;
}

Status checkInput(const ingest::InputFile& input, const CsvSettings& settings, const CommonSourceOptions& options) {
  auto opened = CsvFile::open(input, settings);
  if (!opened.ok()) return opened.error();
  CsvFile& csv = **opened;
  if (!options.mapping) return Status::ok();
  ingest::InputSample sample{input.display, {}, csv.columns()};
  for (std::size_t read = 0; read < options.sample_records; ++read) {
    auto item = csv.next();
    if (!item.ok()) return item.error();
    if (!*item) break;
    if ((*item)->reject_kind.empty()) sample.records.push_back(Record{std::move((*item)->value), (*item)->origin, {}, {}});
  }
  return ingest::checkMappingFits(*options.mapping, sample);
}

Result<std::unique_ptr<Stage>> makeCsvSource(const nlohmann::json& with, Context& ctx) {
  auto options = commonOptions(with);
  if (!options.ok()) return options.error();
  auto settings = csvSettings(with);
  if (!settings.ok()) return settings.error();
  auto inputs = ingest::expandInputs(options->path, ctx, ingest::DirectoryFilter{{".csv", ".tsv", ".tab"}});
  if (!inputs.ok()) return inputs.error();
  // Every header is read, and the mapping tried on a sample of each input, before the run.
  for (const ingest::InputFile& input : *inputs) {
    if (Status status = checkInput(input, *settings, *options); !status.isOk()) return status;
  }
  return std::unique_ptr<Stage>(
      std::make_unique<CsvSource>(std::move(settings).value(), std::move(inputs).value(), std::move(options->mapping)));
}

}  // namespace

const StageInfo& CsvSource::info() {
  static const StageInfo kInfo{
      .name = "ingest/csv",
      .kind = StageKind::kSource,
      .summary =
          "Reads CSV or TSV files (RFC 4180: quoted fields with delimiters, line breaks and doubled quotes; a header "
          "row naming the columns; any one-character delimiter): one record per data row, an object keyed by column "
          "name, with the file, the line where the row starts and the row index as provenance. path may be a file, "
          "a directory or a glob, read in sorted order; gzip and zstd files are decompressed on the fly; a UTF-8 BOM "
          "is accepted. A row with the wrong number of fields, broken quoting or invalid UTF-8 is rejected naming its "
          "line. With mapping, rows become OpenAI chat examples through templates ({review}, {stars|star|stars}) or a "
          "preset, and the mapping is checked against each file's columns before the run.",
      .options_schema = sourceSchema(kOwnProperties, kPathDescription),
      .consumes = {},
      .produces = {},
      .parallel = true,
      .make = &makeCsvSource,
  };
  return kInfo;
}

CsvSource::CsvSource(CsvSettings settings, std::vector<ingest::InputFile> inputs, std::optional<ingest::Mapping> mapping)
    : inputs_(std::move(inputs),
              [settings = std::move(settings)](const ingest::InputFile& input)
                  -> Result<ingest::InputSequence<CsvFile>::Opened> {
                auto opened = CsvFile::open(input, settings);
                if (!opened.ok()) {
                  // The factory read this header already: a problem now means the file changed since.
                  const Status& error = opened.error();
                  return error.code() == StatusCode::kConfigError ? Status::dataError(error.message()) : error;
                }
                const ingest::Compression compression = (*opened)->compression();
                return ingest::InputSequence<CsvFile>::Opened{std::move(opened).value(), compression};
              }),
      mapping_(std::move(mapping)) {}

Result<bool> CsvSource::read(Batch& batch, Context& ctx) {
  return inputs_.fill(batch, ctx, [&](CsvFile& file) -> Result<bool> {
    auto item = file.next();
    if (!item.ok()) return item.error();
    if (!*item) {
      if (const std::uint64_t blank = file.blankLines(); blank > 0) {
        ctx.count("blank_lines_skipped", static_cast<std::int64_t>(blank));
      }
      return false;
    }
    CsvItem& row = **item;
    if (!row.reject_kind.empty()) {
      batch.rejectInput(std::move(row.origin), std::move(row.reject_reason), std::move(row.raw),
                        std::move(row.reject_kind));
    } else {
      batch.add(Record{std::move(row.value), std::move(row.origin), {}, {}});
    }
    return true;
  });
}

Status CsvSource::decode(Batch& batch, Context& /*ctx*/) {
  ingest::applyMapping(mapping_, batch);
  return Status::ok();
}

}  // namespace ajuste::ingest_file
