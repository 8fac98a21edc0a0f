#include "jsonl_source.hpp"

#include <string>
#include <utility>

#include "ingest_common/open_input.hpp"
#include "ingest_common/sample_check.hpp"
#include "ingest_common/source_options.hpp"

namespace ajuste::ingest_jsonl {
namespace {

constexpr const char* kPathDescription =
    "A JSON Lines file (one JSON object per line), a directory (its .jsonl and .ndjson files, compressed or not), "
    "or a glob such as exports/*.jsonl.gz (sorted by path). gzip and zstd files are decompressed on the fly. A "
    "relative path starts from the folder of the pipeline file.";

std::string optionsSchema() {
  nlohmann::json properties = ingest::sourceProperties(kPathDescription);
  properties["blank_lines"] = {
      {"type", "string"},
      {"enum", {"skip", "reject"}},
      {"default", "skip"},
      {"description",
       "What to do with empty or whitespace-only lines: skip them (counted as blank_lines_skipped) or reject them "
       "(kind blank_line)."}};
  properties["max_line_bytes"] = {
      {"type", "integer"},
      {"minimum", 1},
      {"default", 67108864},
      {"description",
       "Longest line accepted, in bytes without the line ending; a longer line is rejected (kind line_too_long) "
       "without being held in memory. Default 64 MiB."}};
  const nlohmann::json schema = {{"type", "object"},
                                 {"additionalProperties", false},
                                 {"required", {"path"}},
                                 {"properties", std::move(properties)}};
  return schema.dump(2);
}

JsonlSettings jsonlSettings(const nlohmann::json& with) {
  JsonlSettings settings;
  settings.format.blank_lines = with.value("blank_lines", "skip") == "reject" ? BlankLines::kReject : BlankLines::kSkip;
  settings.format.max_line_bytes = with.value("max_line_bytes", settings.format.max_line_bytes);
  return settings;
}

// Opens the input now, so an unreadable file or a lying .gz name fails before any stage runs;
// with a mapping, also reads its first lines and checks that the mapping fits them.
Status checkInput(const ingest::InputFile& input, const JsonlSettings& settings, const ingest::SourceOptions& options) {
  auto opened = ingest::openInput(input);
  if (!opened.ok()) return opened.error();
  if (!options.mapping || options.sample_records == 0) return Status::ok();
  LineReader reader(std::move(opened->stream), input.display, settings.format, settings.buffer_bytes);
  LineDecoder decoder;
  ingest::InputSample sample{input.display, {}, std::nullopt};
  JsonlLine line;
  for (std::size_t read = 0; read < options.sample_records; ++read) {
    auto more = reader.next(line);
    if (!more.ok()) return more.error();
    if (!*more) break;
    if (!line.reject_kind.empty()) continue;
    nlohmann::json value;
    if (!decoder.decode(line.text, line.origin, value)) {
      sample.records.push_back(Record{std::move(value), std::move(line.origin), {}, {}});
    }
  }
  return ingest::checkMappingFits(*options.mapping, sample);
}

Result<std::unique_ptr<Stage>> makeJsonlSource(const nlohmann::json& with, Context& ctx) {
  auto options = ingest::sourceOptions(with);
  if (!options.ok()) return options.error();
  const JsonlSettings settings = jsonlSettings(with);
  auto inputs = ingest::expandInputs(options->path, ctx, ingest::DirectoryFilter{{".jsonl", ".ndjson"}});
  if (!inputs.ok()) return inputs.error();
  for (const ingest::InputFile& input : *inputs) {
    if (Status status = checkInput(input, settings, *options); !status.isOk()) return status;
  }
  return std::unique_ptr<Stage>(
      std::make_unique<JsonlSource>(settings, std::move(inputs).value(), std::move(options->mapping)));
}

}  // namespace

const StageInfo& JsonlSource::info() {
  static const StageInfo kInfo{
      .name = "ingest/jsonl",
      .kind = StageKind::kSource,
      .summary =
          "Reads JSON Lines: one JSON object per line, each becoming one record with its file, 1-based line number, "
          "record index and byte offset as provenance. path may be a file, a directory (its .jsonl and .ndjson "
          "files) or a glob, read in sorted order; gzip and zstd files are decompressed on the fly. Inputs are "
          "streamed through a fixed buffer, so memory stays bounded by max_line_bytes whatever the file size. A UTF-8 "
          "byte order mark at the start, Windows line endings (\\r\\n) and a last line without a newline are "
          "accepted. Lines that are not UTF-8, not JSON, or not a JSON object are rejected with the line and column "
          "that is wrong; blank lines are skipped (or rejected with blank_lines: reject). With mapping, records "
          "become OpenAI chat examples (presets prompt_completion, alpaca, sharegpt, or templates), checked on a "
          "sample of each file before the run.",
      .options_schema = optionsSchema(),
      .consumes = {},
      .produces = {},
      .parallel = true,
      .make = &makeJsonlSource,
  };
  return kInfo;
}

JsonlSource::JsonlSource(JsonlSettings settings, std::vector<ingest::InputFile> inputs,
                         std::optional<ingest::Mapping> mapping)
    : inputs_(std::move(inputs),
              [settings](const ingest::InputFile& input) -> Result<ingest::InputSequence<LineReader>::Opened> {
                auto opened = ingest::openInput(input);
                if (!opened.ok()) return opened.error();
                return ingest::InputSequence<LineReader>::Opened{
                    std::make_unique<LineReader>(std::move(opened->stream), input.display, settings.format,
                                                 settings.buffer_bytes),
                    opened->compression};
              }),
      mapping_(std::move(mapping)) {}

Result<bool> JsonlSource::read(Batch& batch, Context& ctx) {
  JsonlLine line;
  return inputs_.fill(batch, ctx, [&](LineReader& reader) -> Result<bool> {
    auto got = reader.next(line);
    if (!got.ok()) return got.error();
    if (const std::uint64_t skipped = reader.blankLinesSkipped(); skipped > blank_lines_counted_) {
      ctx.count("blank_lines_skipped", static_cast<std::int64_t>(skipped - blank_lines_counted_));
      blank_lines_counted_ = skipped;
    }
    if (!*got) {
      blank_lines_counted_ = 0;  // the next file counts from zero
      return false;
    }
    if (!line.reject_kind.empty()) {
      batch.rejectInput(std::move(line.origin), std::move(line.reject_reason), std::move(line.text),
                        std::move(line.reject_kind));
      return true;
    }
    Record record;
    record.origin = std::move(line.origin);
    record.raw = std::move(line.text);
    batch.add(std::move(record));
    return true;
  });
}

namespace {

// The whitespace JSON allows around the object ("\r" of CRLF files, indentation) is not the
// record's: its text starts at '{' and ends at '}'.
void trimJsonSpace(std::string& text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t end = text.size();
  while (end > 0 && space(text[end - 1])) --end;
  text.resize(end);
  std::size_t begin = 0;
  while (begin < text.size() && space(text[begin])) ++begin;
  text.erase(0, begin);
}

}  // namespace

Status JsonlSource::decode(Batch& batch, Context& /*ctx*/) {
  for (Record& record : batch) {
    // Without a mapping the record goes on as the line's text, as written: stages that read
    // text need no tree for it, and the outputs keep its key order, spacing and escapes.
    if (!mapping_ && decoder_.isObjectText(record.raw)) {
      keepTextOnly(record, std::exchange(record.raw, {}));
      trimJsonSpace(record.text);
      continue;
    }
    nlohmann::json value;
    if (auto reject = decoder_.decode(record.raw, record.origin, value)) {
      batch.reject(record, std::move(reject->reason), std::move(reject->kind));
      continue;
    }
    record.value = std::move(value);
    std::string().swap(record.raw);
  }
  ingest::applyMapping(mapping_, batch);
  return Status::ok();
}

}  // namespace ajuste::ingest_jsonl
