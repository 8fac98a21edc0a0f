#include "ajuste/testing/stage_harness.hpp"

#include <stdexcept>
#include <utility>

#include "ajuste/json_schema.hpp"

namespace ajuste::testing {
namespace {

void keepFirstError(Status& first, Status next) {
  if (first.isOk() && !next.isOk()) first = std::move(next);
}

void collect(Batch& batch, StageOutput& out) {
  for (Reject& reject : batch.takeRejects()) out.rejects.push_back(std::move(reject));
  for (Record& record : batch.takeLive()) out.kept.push_back(std::move(record));
}

}  // namespace

Result<nlohmann::json> checkOptions(const StageInfo& info, const nlohmann::json& options) {
  auto schema = JsonSchema::parse(info.options_schema);
  if (!schema.ok()) {
    return Status::pluginBug(info.name + " has an invalid options schema: " + schema.error().message());
  }
  const auto violations = schema->validate(options);
  if (!violations.empty()) {
    std::string message;
    for (const auto& violation : violations) {
      if (!message.empty()) message += "\n";
      message += "option " + (violation.pointer.empty() ? std::string("/") : violation.pointer) + ": " +
                 violation.message;
    }
    return Status::configError(violations.front().pointer, message);
  }
  return schema->withDefaults(options);
}

StageHarness::StageHarness(const StageInfo& info, std::string_view options_json)
    : info_(info), context_(std::make_unique<RecordingContext>(info.name)) {
  const auto parsed = nlohmann::json::parse(options_json.empty() ? std::string_view("{}") : options_json);
  auto checked = checkOptions(info, parsed);
  if (!checked.ok()) throw std::invalid_argument(checked.error().message());
  options_ = std::move(checked).value();
  if (info.make == nullptr) throw std::invalid_argument(info.name + " has no factory");
  auto made = info.make(options_, *context_);
  if (!made.ok()) throw std::invalid_argument(made.error().toString());
  stage_ = std::move(made).value();
}

std::vector<Record> StageHarness::parseJsonl(std::string_view jsonl) {
  std::vector<Record> records;
  std::uint64_t line = 0;
  std::size_t start = 0;
  while (start < jsonl.size()) {
    std::size_t end = jsonl.find('\n', start);
    if (end == std::string_view::npos) end = jsonl.size();
    ++line;
    const std::string_view text = jsonl.substr(start, end - start);
    if (!text.empty()) {
      Record record;
      record.value = nlohmann::json::parse(text);
      record.origin = Provenance{"<inline>", line, records.size(), start};
      records.push_back(std::move(record));
    }
    start = end + 1;
  }
  return records;
}

std::vector<Record> StageHarness::textJsonl(std::string_view jsonl) {
  std::vector<Record> records = parseJsonl(jsonl);
  for (Record& record : records) {
    // parseJsonl keeps each line's byte offset in the provenance.
    const std::size_t start = record.origin.byte_offset;
    std::size_t end = jsonl.find('\n', start);
    if (end == std::string_view::npos) end = jsonl.size();
    keepTextOnly(record, std::string(jsonl.substr(start, end - start)));
  }
  return records;
}

StageOutput StageHarness::run(std::string_view jsonl) { return run(parseJsonl(jsonl)); }

StageOutput StageHarness::runText(std::string_view jsonl) { return run(textJsonl(jsonl)); }

StageOutput StageHarness::run(std::vector<Record> records) {
  StageOutput out;
  RecordStage* records_stage = stage_->asRecords();
  SinkStage* sink = stage_->asSink();
  if (records_stage == nullptr && sink == nullptr) {
    out.status = Status::pluginBug(info_.name + ": run() needs a records stage or a sink");
    return out;
  }
  std::vector<Batch> batches;
  for (std::size_t first = 0; first < records.size(); first += batch_size_) {
    Batch& batch = batches.emplace_back(batch_size_);
    for (std::size_t i = first; i < records.size() && i < first + batch_size_; ++i) batch.add(std::move(records[i]));
  }
  if (!info_.reads_text) {
    for (Batch& batch : batches) {
      for (Record& record : batch) ensureValue(record);
    }
  }
  // The runner prepares batches on several workers, in no particular order, ahead of the
  // serial step: preparing them all, last first, shows a prepare that leans on order or on
  // state the serial step has not built yet.
  if (info_.prepares) {
    for (auto batch = batches.rbegin(); batch != batches.rend(); ++batch) {
      keepFirstError(out.status, records_stage != nullptr ? records_stage->prepare(*batch, *context_)
                                                          : sink->prepare(*batch, *context_));
    }
  }
  for (Batch& batch : batches) {
    keepFirstError(out.status, records_stage != nullptr ? records_stage->process(batch, *context_)
                                                        : sink->consume(batch, *context_));
    for (Record& record : batch) {
      record.prepared.clear();  // as the runner: the stage's own bytes
      if (!info_.keeps_text && !isTextOnly(record)) record.text.clear();
    }
    collect(batch, out);
  }
  if (records_stage != nullptr) {
    Batch tail(batch_size_);
    keepFirstError(out.status, records_stage->finish(tail, *context_));
    collect(tail, out);
  } else {
    keepFirstError(out.status, sink->finish(*context_));
  }
  return out;
}

StageOutput StageHarness::runSource() {
  StageOutput out;
  SourceStage* source = stage_->asSource();
  if (source == nullptr) {
    out.status = Status::pluginBug(info_.name + ": runSource() needs a source stage");
    return out;
  }
  for (bool more = true; more && out.status.isOk();) {
    Batch batch(batch_size_);
    auto read = source->read(batch, *context_);
    if (!read.ok()) {
      out.status = read.error();
      collect(batch, out);
      break;
    }
    more = *read;
    keepFirstError(out.status, source->decode(batch, *context_));
    for (Record& record : batch) ensureValue(record);
    collect(batch, out);
  }
  return out;
}

Status StageHarness::runArtifacts() {
  ArtifactStage* stage = stage_->asArtifacts();
  if (stage == nullptr) return Status::pluginBug(info_.name + ": runArtifacts() needs an artifact stage");
  return stage->run(*context_);
}

}  // namespace ajuste::testing
