#include "world.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "api_error.hpp"
#include "base_models.hpp"
#include "chat_model.hpp"
#include "pagination.hpp"
#include "render.hpp"

namespace ajuste::emulator {
namespace {

using nlohmann::json;

// Simulated seconds a file takes to be processed: a short fixed delay plus size.
double processingSeconds(std::size_t bytes) {
  return std::min(120.0, 8.0 + static_cast<double>(bytes) / 200000.0);
}

bool endsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const std::vector<std::string_view>& filePurposes() {
  static const std::vector<std::string_view> kPurposes = {"assistants", "batch", "fine-tune", "vision", "user_data", "evals"};
  return kPurposes;
}

std::string listOf(const std::vector<std::string_view>& items) {
  std::string out;
  for (const auto item : items) out += (out.empty() ? "'" : ", '") + std::string(item) + "'";
  return "[" + out + "]";
}

}  // namespace

World::World(WorldOptions options)
    : options_(std::move(options)),
      clock_(options_.time_scale, options_.origin > 0 ? options_.origin : wallClockSeconds()),
      ids_(options_.seed) {}

double World::now() {
  const std::lock_guard lock(mutex_);
  return clock_.now();
}

void World::advance(double seconds) {
  const std::lock_guard lock(mutex_);
  clock_.advance(seconds);
  settle(clock_.now());
  save();
}

void World::reset() {
  const std::lock_guard lock(mutex_);
  files_.clear();
  uploads_.clear();
  jobs_.clear();
  counters_.clear();
  chat_requests_.clear();
  ids_.reset();
  sequence_ = 0;
  save();
}

void World::bump(const std::string& counter, std::int64_t by) { counters_[counter] += by; }

void World::count(const std::string& counter, std::int64_t by) {
  const std::lock_guard lock(mutex_);
  bump(counter, by);
}

json World::counters() {
  const std::lock_guard lock(mutex_);
  settle(clock_.now());
  json out = json::object();
  for (const char* name : {"requests", "faults_injected", "files_created", "files_deleted", "uploads_created",
                           "upload_parts_created", "uploads_completed", "uploads_cancelled", "jobs_created",
                           "jobs_cancelled", "jobs_succeeded", "jobs_failed", "result_files_created", "chat_completions",
                           "chat_tokens", "errors"}) {
    out[name] = 0;
  }
  for (const auto& [name, value] : counters_) out[name] = value;
  // What exists now, beside what was ever created.
  out["files"] = files_.size();
  out["jobs"] = jobs_.size();
  out["uploads"] = uploads_.size();
  return out;
}

json World::chatRequests() {
  const std::lock_guard lock(mutex_);
  std::int64_t served = 0;
  for (const auto& entry : chat_requests_) served += entry.second;
  return {{"distinct", chat_requests_.size()}, {"served", served}, {"requests", chat_requests_}};
}

json World::clockInfo() {
  const std::lock_guard lock(mutex_);
  return {{"simulated_now", clock_.now()}, {"time_scale", clock_.scale()}, {"seed", ids_.seed()}};
}

void World::settle(double now) {
  for (auto& [id, job] : jobs_) {
    if (job.settled) continue;
    const JobStatus status = jobStatusAt(job, now);
    if (!isFinal(status)) continue;
    job.settled = true;
    if (status == JobStatus::kSucceeded) {
      bump("jobs_succeeded");
      bump("result_files_created");
      FileRecord file;
      file.id = job.result_file_id;
      // Named as simulated: the CSV itself stays clean for CSV readers.
      file.filename = job.dialect == Dialect::kAzure ? "simulated_results.csv" : "simulated_step_metrics.csv";
      file.purpose = "fine-tune-results";
      file.created_at = job.timeline.finished_at;
      file.processed_at = job.timeline.finished_at;
      file.content = std::make_shared<const std::string>(resultsCsv(job.dialect, static_cast<std::uint64_t>(job.seed),
                                                                    job.timeline.total_steps, job.timeline.total_steps,
                                                                    !job.validation_file.empty()));
      file.sequence = ++sequence_;
      files_[file.id] = std::move(file);
    } else if (status == JobStatus::kFailed) {
      bump("jobs_failed");
    }
  }
}

const FileRecord& World::fileOrThrow(const std::string& id, const std::string& param) const {
  const auto found = files_.find(id);
  if (found == files_.end()) throw notFound("File", id, param);
  return found->second;
}

UploadRecord& World::uploadOrThrow(const std::string& id) {
  const auto found = uploads_.find(id);
  if (found == uploads_.end()) throw notFound("Upload", id, "upload_id");
  return found->second;
}

FileRecord& World::storeFile(const std::string& filename, const std::string& purpose, std::string content, double now) {
  FileRecord file;
  file.id = ids_.next("file-", 22);
  file.filename = filename;
  file.purpose = purpose;
  file.created_at = now;
  file.processed_at = now + processingSeconds(content.size());
  if (purpose == "fine-tune") file.check = checkFineTuneFile(content);
  file.content = std::make_shared<const std::string>(std::move(content));
  file.sequence = ++sequence_;
  bump("files_created");
  const std::string id = file.id;
  return files_[id] = std::move(file);
}

json World::createFile(Dialect dialect, const std::string& filename, const std::string& purpose, std::string content) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  if (std::find(filePurposes().begin(), filePurposes().end(), purpose) == filePurposes().end())
    throw badRequest("'" + purpose + "' is not one of " + listOf(filePurposes()) + " - 'purpose'", "purpose");
  if (purpose == "fine-tune" && !endsWith(filename, ".jsonl"))
    throw badRequest("Invalid file format for Fine-Tuning API. Must be .jsonl", "file");
  if (content.size() > options_.max_file_bytes)
    throw ApiError(413, "File is too large: " + std::to_string(content.size()) + " bytes; the Files API accepts up to " +
                            std::to_string(options_.max_file_bytes) + " bytes per file (use the Uploads API above that)",
                   "file", "file_too_large");
  const FileRecord& file = storeFile(filename, purpose, std::move(content), now);
  json out = renderFile(file, dialect, now);
  save();
  return out;
}

json World::listFiles(Dialect dialect, const Query& query) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  const std::string purpose = queryValue(query, "purpose");
  const std::string order = queryValue(query, "order").empty() ? "desc" : queryValue(query, "order");
  if (order != "asc" && order != "desc") throw badRequest("Invalid 'order': expected 'asc' or 'desc'", "order");
  const std::size_t limit = limitParam(query, 10000, 10000);
  std::vector<const FileRecord*> matching;
  for (const auto& [id, file] : files_) {
    if (purpose.empty() || file.purpose == purpose) matching.push_back(&file);
  }
  std::sort(matching.begin(), matching.end(), [&](const FileRecord* a, const FileRecord* b) {
    return order == "asc" ? a->sequence < b->sequence : a->sequence > b->sequence;
  });
  std::vector<std::string> ids;
  for (const auto* file : matching) ids.push_back(file->id);
  const Page page = paginate(ids, queryValue(query, "after"), limit);
  json data = json::array();
  for (std::size_t i = page.begin; i < page.end; ++i) data.push_back(renderFile(*matching[i], dialect, now));
  return {{"object", "list"},
          {"data", data},
          {"first_id", data.empty() ? json(nullptr) : data.front()["id"]},
          {"last_id", data.empty() ? json(nullptr) : data.back()["id"]},
          {"has_more", page.has_more}};
}

json World::getFile(Dialect dialect, const std::string& id) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  return renderFile(fileOrThrow(id), dialect, now);
}

json World::deleteFile(Dialect /*dialect*/, const std::string& id) {
  const std::lock_guard lock(mutex_);
  settle(clock_.now());
  fileOrThrow(id);
  files_.erase(id);
  bump("files_deleted");
  save();
  return {{"id", id}, {"object", "file"}, {"deleted", true}};
}

std::string World::fileContent(const std::string& id) {
  const std::lock_guard lock(mutex_);
  settle(clock_.now());
  return *fileOrThrow(id).content;
}

json World::createUpload(Dialect dialect, const json& body) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  for (const char* key : {"filename", "purpose", "mime_type"}) {
    if (!body.contains(key) || !body[key].is_string())
      throw badRequest("Missing required parameter: '" + std::string(key) + "'.", key, "missing_required_parameter");
  }
  if (!body.contains("bytes") || !body["bytes"].is_number_integer() || body["bytes"].get<std::int64_t>() < 0)
    throw badRequest("Missing or invalid parameter: 'bytes' must be a non-negative integer.", "bytes");
  const std::string purpose = body["purpose"].get<std::string>();
  const std::vector<std::string_view> purposes = {"assistants", "batch", "fine-tune", "vision"};
  if (std::find(purposes.begin(), purposes.end(), purpose) == purposes.end())
    throw badRequest("'" + purpose + "' is not one of " + listOf(purposes) + " - 'purpose'", "purpose");
  const auto bytes = body["bytes"].get<std::uint64_t>();
  const std::uint64_t limit = (isAzure(dialect) ? 9ULL : 8ULL) << 30U;
  if (bytes > limit)
    throw badRequest("Upload is too large: " + std::to_string(bytes) + " bytes; an Upload holds at most " +
                         std::to_string(limit) + " bytes",
                     "bytes");
  UploadRecord upload;
  upload.id = ids_.next("upload_", 24);
  upload.filename = body["filename"].get<std::string>();
  upload.purpose = purpose;
  upload.mime_type = body["mime_type"].get<std::string>();
  upload.bytes = bytes;
  upload.created_at = now;
  upload.expires_at = now + (isAzure(dialect) ? 7200 : 3600);
  if (purpose == "fine-tune" && !endsWith(upload.filename, ".jsonl"))
    throw badRequest("Invalid file format for Fine-Tuning API. Must be .jsonl", "filename");
  bump("uploads_created");
  const std::string id = upload.id;
  const UploadRecord& stored = uploads_[id] = std::move(upload);
  save();
  return renderUpload(stored, nullptr, dialect, now);
}

json World::addUploadPart(Dialect dialect, const std::string& upload_id, std::string data) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  UploadRecord& upload = uploadOrThrow(upload_id);
  const std::string status = renderUpload(upload, nullptr, dialect, now)["status"];
  if (status != "pending")
    throw badRequest("Upload " + upload_id + " is " + status + " and no longer accepts parts.", "upload_id");
  if (data.size() > options_.max_part_bytes)
    throw badRequest("Part is too large: " + std::to_string(data.size()) + " bytes; each part may hold at most " +
                         std::to_string(options_.max_part_bytes) + " bytes",
                     "data");
  PartRecord part;
  part.id = ids_.next("part_", 24);
  part.created_at = now;
  part.data = std::make_shared<const std::string>(std::move(data));
  upload.parts.push_back(part);
  bump("upload_parts_created");
  save();
  return renderPart(part, upload_id, dialect);
}

json World::completeUpload(Dialect dialect, const std::string& upload_id, const json& body) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  UploadRecord& upload = uploadOrThrow(upload_id);
  const std::string status = renderUpload(upload, nullptr, dialect, now)["status"];
  if (status != "pending") throw badRequest("Upload " + upload_id + " is " + status + " and cannot be completed.", "upload_id");
  if (!body.contains("part_ids") || !body["part_ids"].is_array())
    throw badRequest("Missing required parameter: 'part_ids'.", "part_ids", "missing_required_parameter");
  std::string content;
  std::vector<std::string> seen;
  for (const auto& part_id : body["part_ids"]) {
    if (!part_id.is_string()) throw badRequest("Invalid 'part_ids': every item must be a string.", "part_ids");
    const std::string id = part_id.get<std::string>();
    const auto part = std::find_if(upload.parts.begin(), upload.parts.end(), [&](const PartRecord& p) { return p.id == id; });
    if (part == upload.parts.end()) throw badRequest("Part " + id + " does not belong to upload " + upload_id + ".", "part_ids");
    if (std::find(seen.begin(), seen.end(), id) != seen.end())
      throw badRequest("Part " + id + " is listed twice in 'part_ids'.", "part_ids");
    seen.push_back(id);
    content += *part->data;
  }
  if (content.size() != upload.bytes)
    throw badRequest("The number of bytes uploaded (" + std::to_string(content.size()) +
                         ") does not match the number of bytes declared when the upload was created (" +
                         std::to_string(upload.bytes) + ").",
                     "part_ids");
  const FileRecord& file = storeFile(upload.filename, upload.purpose, std::move(content), now);
  upload.status = "completed";
  upload.file_id = file.id;
  upload.parts.clear();  // the bytes now live in the file
  bump("uploads_completed");
  save();
  return renderUpload(upload, &file, dialect, now);
}

json World::cancelUpload(Dialect dialect, const std::string& upload_id) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  UploadRecord& upload = uploadOrThrow(upload_id);
  const std::string status = renderUpload(upload, nullptr, dialect, now)["status"];
  if (status != "pending") throw badRequest("Upload " + upload_id + " is " + status + " and cannot be cancelled.", "upload_id");
  upload.status = "cancelled";
  upload.parts.clear();
  bump("uploads_cancelled");
  save();
  return renderUpload(upload, nullptr, dialect, now);
}

std::optional<std::string> World::resolveModel(const std::string& name) const {
  if (const auto base = findBaseModel(name)) return std::string(base->id);
  return std::nullopt;
}

bool World::isFineTunedModel(const std::string& name, double now) const {
  for (const auto& [id, job] : jobs_) {
    if (job.fine_tuned_model.empty() || jobStatusAt(job, now) == JobStatus::kCancelled) continue;
    if (name.rfind(job.fine_tuned_model, 0) != 0) continue;
    const bool whole = name == job.fine_tuned_model;
    // Intermediate checkpoints are usable once they exist, like OpenAI's.
    if (whole && jobStatusAt(job, now) == JobStatus::kSucceeded) return true;
    for (const auto& checkpoint : jobCheckpointsAt(job, now)) {
      if (name == job.fine_tuned_model + ":ckpt-step-" + std::to_string(checkpoint.step)) return true;
    }
  }
  return false;
}

json World::listModels(Dialect /*dialect*/) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  json data = json::array();
  for (const auto& model : baseModels()) {
    data.push_back(renderModel(std::string(model.id), model.created, "system"));
    if (model.alias != model.id) data.push_back(renderModel(std::string(model.alias), model.created, "system"));
  }
  std::vector<const JobRecord*> done;
  for (const auto& [id, job] : jobs_) {
    if (jobStatusAt(job, now) == JobStatus::kSucceeded) done.push_back(&job);
  }
  std::sort(done.begin(), done.end(), [](const JobRecord* a, const JobRecord* b) { return a->sequence < b->sequence; });
  for (const auto* job : done) data.push_back(renderModel(job->fine_tuned_model, job->timeline.finished_at, kOrganizationId));
  return {{"object", "list"}, {"data", data}};
}

json World::getModel(Dialect /*dialect*/, const std::string& id) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  if (const auto base = findBaseModel(id)) return renderModel(id, base->created, "system");
  for (const auto& [job_id, job] : jobs_) {
    if (job.fine_tuned_model == id && jobStatusAt(job, now) == JobStatus::kSucceeded)
      return renderModel(id, job.timeline.finished_at, kOrganizationId);
  }
  throw ApiError(404, "The model '" + id + "' does not exist", "model", "model_not_found");
}

json World::chatCompletion(Dialect dialect, const json& body, const std::string& deployment) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  if (!body.is_object()) throw badRequest("The request body must be a JSON object.");
  std::string model = body.contains("model") && body["model"].is_string() ? body["model"].get<std::string>() : deployment;
  if (model.empty()) throw badRequest("Missing required parameter: 'model'.", "model", "missing_required_parameter");
  if (!body.contains("messages") || !body["messages"].is_array() || body["messages"].empty())
    throw badRequest("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  for (std::size_t i = 0; i < body["messages"].size(); ++i) {
    const json& message = body["messages"][i];
    if (!message.is_object() || !message.contains("role") || !message["role"].is_string())
      throw badRequest("Invalid value for 'messages[" + std::to_string(i) + "]': each message needs a 'role'.",
                       "messages[" + std::to_string(i) + "].role");
  }
  if (body.value("stream", false))
    throw badRequest("Streaming is not supported by ajuste-emulator; send stream=false.", "stream", "unsupported_value");
  const bool fine_tuned = isFineTunedModel(model, now);
  const auto base = resolveModel(model);
  if (!fine_tuned && !base) {
    if (dialect == Dialect::kAzure)
      throw ApiError(404, "The API deployment for this resource does not exist.", "", "DeploymentNotFound");
    throw ApiError(404, "The model `" + model + "` does not exist or you do not have access to it.", "model",
                   "model_not_found");
  }
  std::optional<std::uint64_t> max_tokens;
  for (const char* key : {"max_completion_tokens", "max_tokens"}) {
    if (body.contains(key) && body[key].is_number_integer() && body[key].get<std::int64_t>() > 0)
      max_tokens = body[key].get<std::uint64_t>();
  }
  const std::int64_t n = body.contains("n") && body["n"].is_number_integer() ? body["n"].get<std::int64_t>() : 1;
  if (n < 1 || n > 8) throw badRequest("Invalid 'n': expected an integer between 1 and 8.", "n");
  const std::string model_name = fine_tuned ? model : *base;
  json choices = json::array();
  std::uint64_t prompt_tokens = 0;
  std::uint64_t completion_tokens = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const ChatAnswer answer =
        answerChat(body["messages"], i == 0 ? model_name : model_name + "#" + std::to_string(i), fine_tuned, max_tokens);
    prompt_tokens = answer.prompt_tokens;
    completion_tokens += answer.completion_tokens;
    choices.push_back({{"index", i},
                       {"message", {{"role", "assistant"}, {"content", answer.content}, {"refusal", nullptr}, {"annotations", json::array()}}},
                       {"logprobs", nullptr},
                       {"finish_reason", answer.finish_reason}});
  }
  bump("chat_completions");
  ++chat_requests_[base62(hashText(deployment + "\n" + body.dump()), 16)];
  bump("chat_tokens", static_cast<std::int64_t>(prompt_tokens + completion_tokens));
  json out = {{"id", ids_.next("chatcmpl-", 29)},
              {"object", "chat.completion"},
              {"created", unixSeconds(now)},
              {"model", model_name},
              {"choices", choices},
              {"usage",
               {{"prompt_tokens", prompt_tokens},
                {"completion_tokens", completion_tokens},
                {"total_tokens", prompt_tokens + completion_tokens},
                {"prompt_tokens_details", {{"cached_tokens", 0}, {"audio_tokens", 0}}},
                {"completion_tokens_details",
                 {{"reasoning_tokens", 0}, {"audio_tokens", 0}, {"accepted_prediction_tokens", 0}, {"rejected_prediction_tokens", 0}}}}},
              {"service_tier", "default"},
              {"system_fingerprint", "fp_ajuste_emulator"}};
  return out;
}

}  // namespace ajuste::emulator
