#include "json_source.hpp"

#include <algorithm>
#include <utility>

#include "ingest_common/sample_check.hpp"
#include "json_element.hpp"
#include "source_options.hpp"

namespace ajuste::ingest_file {
namespace {

constexpr const char* kPathDescription =
    "A JSON file holding one array of objects, a directory (its .json files, compressed or not), or a glob such as "
    "dumps/*.json.zst (sorted by path). gzip and zstd files are decompressed on the fly. A relative path starts "
    "from the folder of the pipeline file.";


JsonSettings jsonSettings(const nlohmann::json& with) {
  JsonSettings settings;
  settings.format.max_record_bytes = with.value("max_record_bytes", settings.format.max_record_bytes);
  return settings;
}

Status checkInput(const ingest::InputFile& input, const JsonSettings& settings, const CommonSourceOptions& options) {
  auto opened = JsonFile::open(input, settings.format, settings.buffer_bytes);
  if (!opened.ok()) return opened.error();
  JsonFile& json = **opened;
  ingest::InputSample sample{input.display, {}, std::nullopt};
  // At least the first element is read, to refuse a document that is not an array before the run.
  const std::size_t sample_size = options.mapping ? std::max<std::size_t>(1, options.sample_records) : 1;
  for (std::size_t read = 0; read < sample_size; ++read) {
    auto item = json.next();
    if (!item.ok()) return item.error();
    if (!*item) break;
    JsonItem& element = **item;
    if (element.reject_kind == "not_array") {
      return Status::configError("/path", "'" + input.display + "': " + element.reject_reason);
    }
    if (!element.reject_kind.empty()) continue;
    nlohmann::json value;
    if (!decodeElement(element.text, element.origin, element.column, value)) {
      sample.records.push_back(Record{std::move(value), std::move(element.origin), {}, {}});
    }
  }
  if (!options.mapping) return Status::ok();
  return ingest::checkMappingFits(*options.mapping, sample);
}

Result<std::unique_ptr<Stage>> makeJsonSource(const nlohmann::json& with, Context& ctx) {
  auto options = commonOptions(with);
  if (!options.ok()) return options.error();
  const JsonSettings settings = jsonSettings(with);
  auto inputs = ingest::expandInputs(options->path, ctx, ingest::DirectoryFilter{{".json"}});
  if (!inputs.ok()) return inputs.error();
  for (const ingest::InputFile& input : *inputs) {
    if (Status status = checkInput(input, settings, *options); !status.isOk()) return status;
  }
  return std::unique_ptr<Stage>(
      std::make_unique<JsonSource>(settings, std::move(inputs).value(), std::move(options->mapping)));
}

}  // namespace

const StageInfo& JsonSource::info() {
  static const StageInfo kInfo{
      .name = "ingest/json",
      .kind = StageKind::kSource,
      .summary =
          "Reads JSON documents that hold one array of objects ([{...}, {...}], as Alpaca and ShareGPT files do): one "
          "record per element, with the file, the line of the element and its index as provenance. The array is "
          "streamed element by element, so memory is bounded by max_record_bytes, not by the file. path may be a "
          "file, a directory or a glob, read in sorted order; gzip and zstd files are decompressed on the fly; a "
          "UTF-8 BOM is accepted. Elements that are not UTF-8, not JSON or not objects are rejected naming their line "
          "and column. With mapping, elements become OpenAI chat examples (presets prompt_completion, alpaca, "
          "sharegpt, or templates), checked on a sample of each file before the run.",
      .options_schema = sourceSchema("{}", kPathDescription),
      .consumes = {},
      .produces = {},
      .parallel = true,
      .make = &makeJsonSource,
  };
  return kInfo;
}

JsonSource::JsonSource(JsonSettings settings, std::vector<ingest::InputFile> inputs,
                       std::optional<ingest::Mapping> mapping)
    : inputs_(std::move(inputs),
              [settings](const ingest::InputFile& input) -> Result<ingest::InputSequence<JsonFile>::Opened> {
                auto opened = JsonFile::open(input, settings.format, settings.buffer_bytes);
                if (!opened.ok()) return opened.error();
                const ingest::Compression compression = (*opened)->compression();
                return ingest::InputSequence<JsonFile>::Opened{std::move(opened).value(), compression};
              }),
      mapping_(std::move(mapping)) {}

Result<bool> JsonSource::read(Batch& batch, Context& ctx) {
  return inputs_.fill(batch, ctx, [&](JsonFile& file) -> Result<bool> {
    auto item = file.next();
    if (!item.ok()) return item.error();
    if (!*item) {
      if (file.empty()) {
        ctx.warn("'" + file.name() + "' holds no JSON at all (it is empty): no records from it");
        ctx.count("empty_files");
      } else if (file.unterminated()) {
        ctx.warn("'" + file.name() + "' ends before the array's closing ']': the file may be cut off; its complete "
                 "elements were read");
        ctx.count("unterminated_arrays");
      }
      return false;
    }
    JsonItem& element = **item;
    if (!element.reject_kind.empty()) {
      batch.rejectInput(std::move(element.origin), std::move(element.reject_reason), std::move(element.text),
                        std::move(element.reject_kind));
      return true;
    }
    Record record;
    record.origin = std::move(element.origin);
    record.raw = std::move(element.text);
    // Provenance has no column, and decode needs it to place errors: it travels in `meta` (a
    // plain number, no allocation) from here to decode, which puts meta back to null.
    record.meta = element.column;
    batch.add(std::move(record));
    return true;
  });
}

Status JsonSource::decode(Batch& batch, Context& /*ctx*/) {
  for (Record& record : batch) {
    const std::uint64_t column = record.meta.is_number_unsigned() ? record.meta.get<std::uint64_t>() : 1;
    record.meta = nullptr;
    nlohmann::json value;
    if (auto reject = decodeElement(record.raw, record.origin, column, value)) {
      batch.reject(record, std::move(reject->reason), std::move(reject->kind));
      continue;
    }
    record.value = std::move(value);
    std::string().swap(record.raw);
  }
  ingest::applyMapping(mapping_, batch);
  return Status::ok();
}

}  // namespace ajuste::ingest_file
