#include "jsonl_writer.hpp"

#include <cerrno>
#include <cstring>

#include "json_writer/compact_json.hpp"

namespace ajuste::write_jsonl {

const StageInfo& JsonlWriter::info() {
  static const StageInfo info{
      .name = "write/jsonl",
      .kind = StageKind::kSink,
      .summary = "Writes every record that reaches it to one JSON Lines file, in input order, one JSON object per "
                 "line: a record that came as text (ingest/jsonl) as it was written, with what stages changed in "
                 "it; any other as compact JSON. Without a path it writes nothing and only counts the records "
                 "(what `ajuste check` does). Publishes the artifact `output_file` with the path and record count.",
      .options_schema = R"json({
        "type": "object", "additionalProperties": false,
        "properties": {
          "path": {"type": "string", "minLength": 1,
                   "description": "Output file; relative paths start from the pipeline file's folder. Omit it to only count."},
          "name": {"type": "string", "default": "output", "pattern": "^[a-z][a-z0-9_]*$",
                   "description": "Name of the output in summary.json"}
        }})json",
      .consumes = {},
      .produces = {"output_file"},
      .parallel = false,
      .prepares = true,
      .reads_text = true,
      .make = &JsonlWriter::make,
  };
  return info;
}

Result<std::unique_ptr<Stage>> JsonlWriter::make(const nlohmann::json& with, Context& ctx) {
  std::optional<std::filesystem::path> path;
  if (with.contains("path")) path = ctx.resolvePath(with["path"].get<std::string>());
  if (path && std::filesystem::is_directory(*path)) {
    return Status::configError("/path", "'" + path->string() + "' is a directory; name a file such as prepared.jsonl");
  }
  return std::unique_ptr<Stage>(std::make_unique<JsonlWriter>(std::move(path), with.value("name", "output")));
}

JsonlWriter::JsonlWriter(std::optional<std::filesystem::path> path, std::string output_name)
    : path_(std::move(path)), output_name_(std::move(output_name)) {}

JsonlWriter::~JsonlWriter() {
  if (file_ == nullptr) return;
  std::fclose(file_);
  std::remove(partial_.c_str());
}

Status JsonlWriter::consume(Batch& batch, Context& /*ctx*/) {
  if (!path_) {
    records_ += batch.size();
    return Status::ok();
  }
  if (file_ == nullptr) {
    std::error_code ec;
    if (path_->has_parent_path()) std::filesystem::create_directories(path_->parent_path(), ec);
    partial_ = path_->string() + ".partial";
    file_ = std::fopen(partial_.c_str(), "wb");
    if (file_ == nullptr) return Status::ioError("cannot create " + partial_.string() + ": " + std::strerror(errno));
  }
  for (Record& record : batch) {
    if (record.prepared.empty() && !prepareRecord(record, batch)) continue;  // a caller that did not prepare
    const std::string& line = record.prepared;
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) {
      return Status::ioError("cannot write " + partial_.string() + ": " + std::strerror(errno));
    }
    bytes_ += line.size();
    ++records_;
  }
  return Status::ok();
}

bool JsonlWriter::prepareRecord(Record& record, Batch& batch) {
  record.prepared.clear();
  if (const auto error = json_writer::appendRecordLine(record, record.prepared)) {
    batch.reject(record, "cannot be written as JSON: " + *error, "invalid_utf8");
    return false;
  }
  return true;
}

Status JsonlWriter::prepare(Batch& batch, Context& /*ctx*/) const {
  if (!path_) return Status::ok();  // counting only: nothing to serialize
  for (Record& record : batch) prepareRecord(record, batch);
  return Status::ok();
}

Status JsonlWriter::finish(Context& ctx) {
  if (path_) {
    if (file_ == nullptr) {  // no record arrived: still leave an (empty) file, as promised
      file_ = std::fopen((path_->string() + ".partial").c_str(), "wb");
      partial_ = path_->string() + ".partial";
      if (file_ == nullptr) return Status::ioError("cannot create " + partial_.string() + ": " + std::strerror(errno));
    }
    const bool failed = std::fflush(file_) != 0 || std::ferror(file_) != 0;
    std::fclose(file_);
    file_ = nullptr;
    if (failed || std::rename(partial_.c_str(), path_->c_str()) != 0) {
      return Status::ioError("cannot finish " + path_->string() + ": " + std::strerror(errno));
    }
    ctx.declareOutput(output_name_, *path_, records_);
  }
  nlohmann::json artifact = {{"records", records_}};
  if (path_) {
    artifact["path"] = path_->string();
    artifact["bytes"] = bytes_;
  }
  return ctx.publish("output_file", std::move(artifact));
}

}  // namespace ajuste::write_jsonl
