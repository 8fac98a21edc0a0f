// --state-dir: the World's objects as JSON in state.json, file and part bytes beside it.
// Written after every change (tmp + rename), read once at start.
#include <fstream>
#include <sstream>

#include "world.hpp"

namespace ajuste::emulator {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeAtomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

// Bytes are immutable once stored, so each blob is written once.
void storeBlob(const fs::path& dir, const std::string& id, const std::string& bytes) {
  const fs::path path = dir / id;
  if (fs::exists(path)) return;
  fs::create_directories(dir);
  writeAtomically(path, bytes);
}

json timelineJson(const Timeline& t) {
  return {{"created_at", t.created_at}, {"validated_at", t.validated_at}, {"started_at", t.started_at},
          {"trained_at", t.trained_at}, {"finished_at", t.finished_at}, {"steps_per_epoch", t.steps_per_epoch},
          {"total_steps", t.total_steps}, {"step_seconds", t.step_seconds}};
}

Timeline timelineFrom(const json& j) {
  Timeline t;
  t.created_at = j.at("created_at");
  t.validated_at = j.at("validated_at");
  t.started_at = j.at("started_at");
  t.trained_at = j.at("trained_at");
  t.finished_at = j.at("finished_at");
  t.steps_per_epoch = j.at("steps_per_epoch");
  t.total_steps = j.at("total_steps");
  t.step_seconds = j.at("step_seconds");
  return t;
}

}  // namespace

json World::snapshot() {
  json files = json::array();
  for (const auto& [id, file] : files_) {
    files.push_back({{"id", id}, {"filename", file.filename}, {"purpose", file.purpose}, {"created_at", file.created_at},
                     {"processed_at", file.processed_at}, {"sequence", file.sequence}});
  }
  json uploads = json::array();
  for (const auto& [id, upload] : uploads_) {
    json parts = json::array();
    for (const auto& part : upload.parts) parts.push_back({{"id", part.id}, {"created_at", part.created_at}});
    uploads.push_back({{"id", id}, {"filename", upload.filename}, {"purpose", upload.purpose},
                       {"mime_type", upload.mime_type}, {"bytes", upload.bytes}, {"created_at", upload.created_at},
                       {"expires_at", upload.expires_at}, {"status", upload.status}, {"parts", parts},
                       {"file_id", upload.file_id}});
  }
  json jobs = json::array();
  for (const auto& [id, job] : jobs_) {
    json failure = nullptr;
    if (job.failure) {
      failure = {{"at", job.failure->at}, {"code", job.failure->code}, {"message", job.failure->message},
                 {"param", job.failure->param},
                 {"at_step", job.failure->at_step ? json(*job.failure->at_step) : json(nullptr)}};
    }
    const Hyperparameters& h = job.hyperparameters;
    jobs.push_back({{"id", id}, {"dialect", static_cast<int>(job.dialect)}, {"model", job.model},
                    {"training_file", job.training_file}, {"validation_file", job.validation_file}, {"suffix", job.suffix},
                    {"seed", job.seed}, {"metadata", job.metadata}, {"integrations", job.integrations},
                    {"method_type", job.method_type}, {"requested", job.requested},
                    {"hyperparameters", {{"n_epochs", h.n_epochs}, {"batch_size", h.batch_size},
                                         {"learning_rate_multiplier", h.learning_rate_multiplier},
                                         {"beta", h.beta ? json(*h.beta) : json(nullptr)}}},
                    {"timeline", timelineJson(job.timeline)}, {"examples", job.examples},
                    {"tokens_per_epoch", job.tokens_per_epoch}, {"failure", failure},
                    {"cancelled_at", job.cancelled_at ? json(*job.cancelled_at) : json(nullptr)},
                    {"fine_tuned_model", job.fine_tuned_model}, {"result_file_id", job.result_file_id},
                    {"settled", job.settled}, {"sequence", job.sequence}});
  }
  return {{"version", 1}, {"simulated_now", clock_.now()}, {"sequence", sequence_}, {"ids", ids_.sequences()},
          {"counters", counters_}, {"chat_requests", chat_requests_}, {"files", files}, {"uploads", uploads}, {"jobs", jobs}};
}

void World::save() {
  if (!options_.state_dir) return;
  const fs::path& dir = *options_.state_dir;
  for (const auto& [id, file] : files_) storeBlob(dir / "files", id, *file.content);
  for (const auto& [id, upload] : uploads_) {
    for (const auto& part : upload.parts) storeBlob(dir / "parts", part.id, *part.data);
  }
  writeAtomically(dir / "state.json", snapshot().dump());
}

void World::restore(const json& state) {
  const std::lock_guard lock(mutex_);
  if (state.value("version", 0) != 1) throw std::runtime_error("state.json: unknown version");
  const fs::path dir = options_.state_dir.value_or(fs::path("."));
  // Simulated time never runs backwards across a restart.
  const double saved_now = state.at("simulated_now");
  if (clock_.now() < saved_now) clock_.advance(saved_now - clock_.now());
  sequence_ = state.at("sequence");
  ids_.restore(state.at("ids").get<std::map<std::string, std::uint64_t, std::less<>>>());
  counters_ = state.at("counters").get<std::map<std::string, std::int64_t, std::less<>>>();
  chat_requests_ = state.value("chat_requests", json::object()).get<std::map<std::string, std::int64_t, std::less<>>>();
  for (const auto& j : state.at("files")) {
    FileRecord file;
    file.id = j.at("id");
    file.filename = j.at("filename");
    file.purpose = j.at("purpose");
    file.created_at = j.at("created_at");
    file.processed_at = j.at("processed_at");
    file.sequence = j.at("sequence");
    const std::string content = readAll(dir / "files" / file.id);
    if (file.purpose == "fine-tune") file.check = checkFineTuneFile(content);
    file.content = std::make_shared<const std::string>(content);
    files_[file.id] = std::move(file);
  }
  for (const auto& j : state.at("uploads")) {
    UploadRecord upload;
    upload.id = j.at("id");
    upload.filename = j.at("filename");
    upload.purpose = j.at("purpose");
    upload.mime_type = j.at("mime_type");
    upload.bytes = j.at("bytes");
    upload.created_at = j.at("created_at");
    upload.expires_at = j.at("expires_at");
    upload.status = j.at("status");
    upload.file_id = j.at("file_id");
    for (const auto& p : j.at("parts")) {
      PartRecord part;
      part.id = p.at("id");
      part.created_at = p.at("created_at");
      part.data = std::make_shared<const std::string>(readAll(dir / "parts" / part.id));
      upload.parts.push_back(std::move(part));
    }
    uploads_[upload.id] = std::move(upload);
  }
  for (const auto& j : state.at("jobs")) {
    JobRecord job;
    job.id = j.at("id");
    job.dialect = static_cast<Dialect>(j.at("dialect").get<int>());
    job.model = j.at("model");
    job.training_file = j.at("training_file");
    job.validation_file = j.at("validation_file");
    job.suffix = j.at("suffix");
    job.seed = j.at("seed");
    job.metadata = j.at("metadata");
    job.integrations = j.at("integrations");
    job.method_type = j.at("method_type");
    job.requested = j.at("requested");
    const json& h = j.at("hyperparameters");
    job.hyperparameters.n_epochs = h.at("n_epochs");
    job.hyperparameters.batch_size = h.at("batch_size");
    job.hyperparameters.learning_rate_multiplier = h.at("learning_rate_multiplier");
    if (!h.at("beta").is_null()) job.hyperparameters.beta = h.at("beta").get<double>();
    job.timeline = timelineFrom(j.at("timeline"));
    job.examples = j.at("examples");
    job.tokens_per_epoch = j.at("tokens_per_epoch");
    if (!j.at("failure").is_null()) {
      const json& f = j.at("failure");
      JobFailure failure{f.at("at"), f.at("code"), f.at("message"), f.at("param"), std::nullopt};
      if (!f.at("at_step").is_null()) failure.at_step = f.at("at_step").get<std::int64_t>();
      job.failure = failure;
    }
    if (!j.at("cancelled_at").is_null()) job.cancelled_at = j.at("cancelled_at").get<double>();
    job.fine_tuned_model = j.at("fine_tuned_model");
    job.result_file_id = j.at("result_file_id");
    job.settled = j.at("settled");
    job.sequence = j.at("sequence");
    jobs_[job.id] = std::move(job);
  }
}

}  // namespace ajuste::emulator
