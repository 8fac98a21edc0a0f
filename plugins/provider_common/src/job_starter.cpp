#include "job_starter.hpp"

#include <algorithm>

#include "job_status.hpp"

namespace ajuste::provider {
namespace {

std::string text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

JobStarter::JobStarter(ApiClient& api, Ledger& ledger, int max_create_attempts)
    : api_(api), ledger_(ledger), max_create_attempts_(max_create_attempts) {}

const nlohmann::json* JobStarter::newestUnknown(const std::vector<nlohmann::json>& jobs, const nlohmann::json& known) {
  for (const auto& job : jobs) {  // newest first
    const std::string id = text(job, "id");
    if (std::find(known.begin(), known.end(), id) == known.end()) return &job;
  }
  return nullptr;
}

Status JobStarter::record(const std::string& ledger_key, nlohmann::json& entry, const StartedJob& job) {
  entry["job_id"] = job.job_id;
  entry.erase("pending");
  return ledger_.put(ledger_key, entry);
}

Result<StartedJob> JobStarter::start(const JobOptions& options, const JobInputs& inputs) {
  Context& ctx = api_.context();
  StartedJob job;
  job.key = ajusteKey(options, inputs);
  const JobTag tag = jobTag(api_.endpoint(), job.key);
  const std::string ledger_key = api_.endpoint().serviceKey() + " " + job.key;
  nlohmann::json entry = ledger_.find(ledger_key).value_or(nlohmann::json::object());

  // (1) What this run folder started before.
  if (const std::string recorded = text(entry, "job_id"); !recorded.empty()) {
    ApiCall call;
    call.path = "/fine_tuning/jobs/" + recorded;
    auto got = api_.send(call, "checking the recorded job " + recorded);
    if (!got.ok()) return got.error();
    if (got->status == 404) {
      ctx.info("the job " + recorded + " recorded in the run state no longer exists on the provider");
    } else if (!got->success()) {
      return api_.failure(*got, "checking the recorded job " + recorded);
    } else {
      const auto body = nlohmann::json::parse(got->body, nullptr, false);
      const std::string status = body.is_object() ? text(body, "status") : std::string();
      const bool running = !isFinalJobStatus(status);
      if (running || (!options.new_job && !isFailedJobStatus(status))) {
        if (options.new_job) {
          ctx.warn("new_job: the job " + recorded + " for the same data and settings is still " + status +
                   "; adopting it instead of starting a second one (new_job starts another once it has ended)");
        }
        job.job_id = recorded;
        job.status = status;
        job.how = "adopted from the run state";
        return job;
      }
      ctx.info("the job " + recorded + " recorded in the run state ended " + status +
               (options.new_job ? "; new_job: starting another" : "; starting a new one"));
    }
    entry.erase("job_id");
  }

  auto tagged = findTaggedJobs(api_, tag);
  if (!tagged.ok()) return tagged.error();

  // (2) A create whose answer an earlier run never got.
  if (entry.contains("pending") && entry["pending"].is_object()) {
    const nlohmann::json known = entry["pending"].value("known", nlohmann::json::array());
    if (const nlohmann::json* made = newestUnknown(*tagged, known)) {
      job = {text(*made, "id"), text(*made, "status"), "adopted from the provider", job.key};
      ctx.info("an earlier run's job request did reach the provider: adopting " + job.job_id);
      if (Status saved = record(ledger_key, entry, job); !saved.isOk()) return saved;
      return job;
    }
  }

  // (3) A job for the same data and settings made elsewhere (another run folder, a lost answer).
  if (!options.new_job) {
    for (const auto& found : *tagged) {
      const std::string status = text(found, "status");
      if (isFailedJobStatus(status)) continue;
      job = {text(found, "id"), status, "adopted from the provider", job.key};
      if (Status saved = record(ledger_key, entry, job); !saved.isOk()) return saved;
      return job;
    }
  }

  // (4) Create.
  auto body = jobRequestBody(options, inputs, api_.endpoint(), tag);
  if (!body.ok()) return body.error();
  nlohmann::json known = nlohmann::json::array();
  for (const auto& found : *tagged) known.push_back(text(found, "id"));
  for (int attempt = 1;; ++attempt) {
    entry["pending"] = {{"attempt", attempt}, {"known", known}};
    if (Status saved = ledger_.put(ledger_key, entry); !saved.isOk()) return saved;
    ApiCall call;
    call.method = "POST";
    call.path = "/fine_tuning/jobs";
    call.json = *body;
    call.idempotency = Idempotency::kNotIdempotent;
    auto created = api_.call(call, "creating the fine-tuning job");
    if (created.ok()) {
      job = {text(*created, "id"), text(*created, "status"), "created", job.key};
      if (job.job_id.empty())
        return Status::providerError("POST /fine_tuning/jobs answered without a job id: " + created->dump());
      if (Status saved = record(ledger_key, entry, job); !saved.isOk()) return saved;
      ctx.count("jobs_created");
      return job;
    }
    if (created.error().code() != StatusCode::kUnknownOutcome) return created.error();
    ctx.warn(created.error().message() + "; looking on the provider before trying again");
    auto again = findTaggedJobs(api_, tag);
    if (!again.ok()) return again.error();
    if (const nlohmann::json* made = newestUnknown(*again, known)) {
      job = {text(*made, "id"), text(*made, "status"), "adopted from the provider", job.key};
      ctx.info("the lost request did create the job: adopting " + job.job_id);
      if (Status saved = record(ledger_key, entry, job); !saved.isOk()) return saved;
      return job;
    }
    if (attempt >= max_create_attempts_) {
      return Status::unknownOutcome("creating the fine-tuning job: " + std::to_string(attempt) +
                                    " attempts lost their answer and no job with ajuste_key " + job.key +
                                    " appeared on the provider; resume later to look again");
    }
    ctx.info(
        "no new job with this ajuste_key is on the provider: the lost request did not create one; sending it again");
  }
}

}  // namespace ajuste::provider
