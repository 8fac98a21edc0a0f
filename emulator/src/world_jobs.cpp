// The fine-tuning job half of World: creation with the service's checks, listing, cancel,
// events and checkpoints.
#include <algorithm>
#include <cstdio>

#include "api_error.hpp"
#include "base_models.hpp"
#include "job_timeline.hpp"
#include "pagination.hpp"
#include "render.hpp"
#include "world.hpp"

namespace ajuste::emulator {
namespace {

using nlohmann::json;

std::string hex32(std::uint64_t a, std::uint64_t b) {
  char buffer[33];
  std::snprintf(buffer, sizeof buffer, "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return buffer;
}

void checkHyperparameter(const json& hp, const char* key, bool integer, double min, double max, bool min_exclusive) {
  if (!hp.contains(key)) return;
  const json& value = hp[key];
  if (value.is_string() && value == "auto") return;
  const bool type_ok = integer ? value.is_number_integer() : value.is_number();
  const bool range_ok = type_ok && (min_exclusive ? value.get<double>() > min : value.get<double>() >= min) &&
                        value.get<double>() <= max;
  if (!range_ok) {
    const std::string range = integer ? "an integer between " + std::to_string(static_cast<long long>(min)) + " and " +
                                            std::to_string(static_cast<long long>(max))
                                      : "a number greater than " + std::to_string(min) + " and at most " + std::to_string(max);
    throw badRequest("Invalid value for '" + std::string(key) + "': expected 'auto' or " + range + ", got " + value.dump() + ".",
                     "hyperparameters." + std::string(key), "invalid_value");
  }
}

void checkMetadata(const json& metadata) {
  if (metadata.is_null()) return;
  if (!metadata.is_object()) throw badRequest("Invalid type for 'metadata': expected an object.", "metadata");
  if (metadata.size() > 16) throw badRequest("Invalid 'metadata': at most 16 keys are allowed.", "metadata");
  for (const auto& [key, value] : metadata.items()) {
    if (key.size() > 64) throw badRequest("Invalid 'metadata': keys are at most 64 characters.", "metadata");
    if (!value.is_string() || value.get_ref<const std::string&>().size() > 512)
      throw badRequest("Invalid 'metadata': values must be strings of at most 512 characters.", "metadata." + key);
  }
}

// The format a method/model pair trains on, and whether the file has it.
std::optional<std::string> formatMismatch(const FileCheck& check, const std::string& method, const BaseModel& model) {
  const DataFormat needed = method == "dpo" ? DataFormat::kPreference
                            : model.legacy  ? DataFormat::kCompletion
                                            : DataFormat::kChat;
  if (check.format == needed) return std::nullopt;
  return "Invalid file format. " + std::string(method == "dpo" ? "DPO" : "Supervised") + " fine-tuning of " +
         std::string(model.id) + " needs " + std::string(formatName(needed)) + " examples, but the file holds " +
         std::string(formatName(check.format)) + " examples.";
}

}  // namespace

JobRecord& World::jobOrThrow(const std::string& id) {
  const auto found = jobs_.find(id);
  if (found == jobs_.end())
    throw ApiError(404, "No such fine-tuning job: " + id, "fine_tuning_job_id", "fine_tune_not_found");
  return found->second;
}

json World::createJob(Dialect dialect, const json& body, const std::optional<FaultSpec>& fault) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  if (!body.is_object()) throw badRequest("The request body must be a JSON object.");
  if (!body.contains("model") || !body["model"].is_string())
    throw badRequest("Missing required parameter: 'model'.", "model", "missing_required_parameter");
  if (!body.contains("training_file") || !body["training_file"].is_string())
    throw badRequest("Missing required parameter: 'training_file'.", "training_file", "missing_required_parameter");
  const std::string model_name = body["model"].get<std::string>();
  const auto base = findBaseModel(model_name);
  if (!base)
    throw badRequest("Model " + model_name + " is not available for fine-tuning or does not exist.", "model",
                     "model_not_available");

  // The method and its hyperparameters (the deprecated top-level `hyperparameters` too).
  std::string method_type = "supervised";
  json hyperparameters = body.value("hyperparameters", json::object());
  if (body.contains("method") && !body["method"].is_null()) {
    const json& method = body["method"];
    if (!method.is_object() || !method.contains("type") || !method["type"].is_string())
      throw badRequest("Invalid 'method': expected an object with a 'type'.", "method");
    method_type = method["type"].get<std::string>();
    if (method_type == "reinforcement")
      throw badRequest("Reinforcement fine-tuning is not simulated by ajuste-emulator.", "method.type", "unsupported_value");
    if (method_type != "supervised" && method_type != "dpo")
      throw badRequest("Invalid value for 'method.type': expected 'supervised' or 'dpo', got '" + method_type + "'.",
                       "method.type", "invalid_value");
    if (method.contains(method_type) && method[method_type].is_object())
      hyperparameters = method[method_type].value("hyperparameters", json::object());
  }
  if (!hyperparameters.is_object()) throw badRequest("Invalid 'hyperparameters': expected an object.", "hyperparameters");
  checkHyperparameter(hyperparameters, "n_epochs", true, 1, 50, false);
  checkHyperparameter(hyperparameters, "batch_size", true, 1, 256, false);
  checkHyperparameter(hyperparameters, "learning_rate_multiplier", false, 0, 1e6, true);
  if (method_type == "dpo") checkHyperparameter(hyperparameters, "beta", false, 0, 2, true);
  if (method_type == "dpo" && !base->dpo)
    throw badRequest("Model " + std::string(base->id) + " does not support DPO fine-tuning.", "method.type",
                     "unsupported_value");

  std::string suffix;
  if (body.contains("suffix") && !body["suffix"].is_null()) {
    if (!body["suffix"].is_string()) throw badRequest("Invalid type for 'suffix': expected a string.", "suffix");
    suffix = body["suffix"].get<std::string>();
    const std::size_t max = dialect == Dialect::kAzure ? 40 : 64;
    if (suffix.size() > max)
      throw badRequest("Invalid 'suffix': string too long. Expected a string with maximum length " + std::to_string(max) +
                           ", but got a string with length " + std::to_string(suffix.size()) + " instead.",
                       "suffix", "string_above_max_length");
  }
  std::int64_t seed = 0;
  if (body.contains("seed") && !body["seed"].is_null()) {
    if (!body["seed"].is_number_integer() || body["seed"].get<std::int64_t>() < 0 ||
        body["seed"].get<std::int64_t>() > 2147483647)
      throw badRequest("Invalid 'seed': expected an integer between 0 and 2147483647.", "seed", "invalid_value");
    seed = body["seed"].get<std::int64_t>();
  } else {
    seed = static_cast<std::int64_t>(hashText("job-seed#" + std::to_string(counters_["jobs_created"] + 1), ids_.seed()) %
                                     2147483648ULL);
  }
  const json metadata = body.value("metadata", json());
  checkMetadata(metadata);

  auto checkFile = [&](const std::string& id, const char* param) -> const FileRecord& {
    const auto found = files_.find(id);
    if (found == files_.end())
      throw badRequest("Invalid file id '" + id + "': no such file.", param, "invalid_file_id");
    const FileRecord& file = found->second;
    if (file.purpose != "fine-tune")
      throw badRequest("File " + id + " has purpose '" + file.purpose + "'; fine-tuning needs purpose 'fine-tune'.", param,
                       "invalid_file_purpose");
    if (now < file.processed_at)
      throw badRequest("File " + id + " is still being processed and is not ready for fine-tuning; wait until its status is 'processed'.",
                       param, "file_not_ready");
    return file;
  };
  const FileRecord& training = checkFile(body["training_file"].get<std::string>(), "training_file");
  const FileRecord* validation = nullptr;
  if (body.contains("validation_file") && body["validation_file"].is_string())
    validation = &checkFile(body["validation_file"].get<std::string>(), "validation_file");

  JobRecord job;
  job.id = ids_.next("ftjob-", 24);
  job.dialect = dialect;
  job.model = std::string(base->id);
  job.training_file = training.id;
  job.validation_file = validation != nullptr ? validation->id : "";
  job.suffix = suffix;
  job.seed = seed;
  job.metadata = metadata;
  job.integrations = body.value("integrations", json());
  job.method_type = method_type;
  job.requested = hyperparameters;
  job.examples = training.check->examples;
  job.tokens_per_epoch = training.check->tokens;
  job.hyperparameters = resolveHyperparameters(hyperparameters, std::max<std::size_t>(job.examples, 1), method_type == "dpo");
  job.timeline = planTimeline(now, job.hyperparameters, job.examples);
  job.sequence = ++sequence_;
  const std::uint64_t name_hash = hashText(job.id, ids_.seed());
  job.fine_tuned_model = dialect == Dialect::kAzure
                             ? job.model + ".ft-" + hex32(name_hash, mix64(name_hash)) + "-ajuste-emulator" +
                                   (suffix.empty() ? "" : "-" + suffix)
                             : "ft:" + job.model + ":ajuste-emulator:" + suffix + ":" + base62(name_hash, 8);
  job.result_file_id = ids_.derived("file-", job.id, "results", 22);

  // Failures the service would find while validating, then injected ones.
  auto failValidation = [&](std::string code, std::string message, std::string param) {
    if (!job.failure) job.failure = JobFailure{job.timeline.validated_at, std::move(code), std::move(message), std::move(param), {}};
  };
  if (!training.check->ok) {
    failValidation("invalid_training_file", "The job failed due to an invalid training file. " + training.check->message,
                   "training_file");
  } else if (const auto mismatch = formatMismatch(*training.check, method_type, *base)) {
    failValidation("invalid_training_file", "The job failed due to an invalid training file. " + *mismatch, "training_file");
  }
  if (validation != nullptr && !validation->check->ok) {
    failValidation("invalid_validation_file",
                   "The job failed due to an invalid validation file. " + validation->check->message, "validation_file");
  }
  if (fault && !job.failure) {
    const json error = fault->error.is_object() ? fault->error : json::object();
    JobFailure failure;
    failure.code = error.value("code", "server_error");
    failure.message = error.value("message", "The job failed due to an internal error (simulated fault).");
    failure.param = error.contains("param") && error["param"].is_string() ? error["param"].get<std::string>() : "";
    if (fault->at_step) {
      failure.at_step = std::min(*fault->at_step, job.timeline.total_steps);
      failure.at = job.timeline.stepTime(*failure.at_step);
    } else {
      failure.at = job.timeline.validated_at;
    }
    job.failure = failure;
  }

  bump("jobs_created");
  const std::string id = job.id;
  const JobRecord& stored = jobs_[id] = std::move(job);
  json out = renderJob(stored, dialect, now);
  save();
  return out;
}

json World::listJobs(Dialect dialect, const Query& query) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  const std::size_t limit = limitParam(query, 20, 100);
  std::vector<const JobRecord*> matching;
  for (const auto& [id, job] : jobs_) {
    bool keep = true;
    for (const auto& [key, value] : query) {
      if (key == "metadata") {
        // metadata=null lists the jobs that have none.
        if (value == "null") keep = keep && (job.metadata.is_null() || job.metadata.empty());
      } else if (key.rfind("metadata[", 0) == 0 && key.back() == ']') {
        const std::string name = key.substr(9, key.size() - 10);
        keep = keep && job.metadata.is_object() && job.metadata.contains(name) && job.metadata[name] == value;
      }
    }
    if (keep) matching.push_back(&job);
  }
  std::sort(matching.begin(), matching.end(), [](const JobRecord* a, const JobRecord* b) { return a->sequence > b->sequence; });
  std::vector<std::string> ids;
  for (const auto* job : matching) ids.push_back(job->id);
  const Page page = paginate(ids, queryValue(query, "after"), limit);
  json data = json::array();
  for (std::size_t i = page.begin; i < page.end; ++i) data.push_back(renderJob(*matching[i], dialect, now));
  return {{"object", "list"}, {"data", data}, {"has_more", page.has_more}};
}

json World::getJob(Dialect dialect, const std::string& id) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  return renderJob(jobOrThrow(id), dialect, now);
}

json World::cancelJob(Dialect dialect, const std::string& id) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  JobRecord& job = jobOrThrow(id);
  const JobStatus status = jobStatusAt(job, now);
  if (isFinal(status))
    throw badRequest("Job " + id + " has already finished (status " + jobStatusName(status, dialect) +
                         ") and cannot be cancelled.",
                     "fine_tuning_job_id");
  job.cancelled_at = now;
  job.settled = true;
  bump("jobs_cancelled");
  json out = renderJob(job, dialect, now);
  save();
  return out;
}

void World::deleteJob(const std::string& id) {
  const std::lock_guard lock(mutex_);
  settle(clock_.now());
  jobOrThrow(id);
  jobs_.erase(id);
  bump("jobs_deleted");
  save();
}

json World::listEvents(Dialect dialect, const std::string& id, const Query& query) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  const JobRecord& job = jobOrThrow(id);
  const std::size_t limit = limitParam(query, 20, 1000);
  std::vector<JobEvent> events = jobEventsAt(job, now);
  std::reverse(events.begin(), events.end());  // newest first
  std::vector<json> rendered;
  std::vector<std::string> ids;
  for (const auto& event : events) {
    rendered.push_back(renderEvent(job, event, dialect, ids_));
    ids.push_back(rendered.back()["id"]);
  }
  const Page page = paginate(ids, queryValue(query, "after"), limit);
  json data = json::array();
  for (std::size_t i = page.begin; i < page.end; ++i) data.push_back(rendered[i]);
  return {{"object", "list"}, {"data", data}, {"has_more", page.has_more}};
}

json World::listCheckpoints(Dialect /*dialect*/, const std::string& id, const Query& query) {
  const std::lock_guard lock(mutex_);
  const double now = clock_.now();
  settle(now);
  const JobRecord& job = jobOrThrow(id);
  const std::size_t limit = limitParam(query, 10, 100);
  std::vector<JobCheckpoint> checkpoints = jobCheckpointsAt(job, now);
  std::reverse(checkpoints.begin(), checkpoints.end());
  std::vector<json> rendered;
  std::vector<std::string> ids;
  for (const auto& checkpoint : checkpoints) {
    rendered.push_back(renderCheckpoint(job, checkpoint, ids_));
    ids.push_back(rendered.back()["id"]);
  }
  const Page page = paginate(ids, queryValue(query, "after"), limit);
  json data = json::array();
  for (std::size_t i = page.begin; i < page.end; ++i) data.push_back(rendered[i]);
  return {{"object", "list"},
          {"data", data},
          {"first_id", data.empty() ? json(nullptr) : data.front()["id"]},
          {"last_id", data.empty() ? json(nullptr) : data.back()["id"]},
          {"has_more", page.has_more}};
}

}  // namespace ajuste::emulator
