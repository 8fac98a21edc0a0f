#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ajuste/status.hpp"
#include "api_client.hpp"
#include "job_request.hpp"
#include "ledger.hpp"

namespace ajuste::provider {

struct StartedJob {
  std::string job_id;
  std::string status;  // as the provider last showed it
  std::string how;     // "created", "adopted from the run state", "adopted from the provider"
  std::string key;     // the ajuste_key
};

// Starts a fine-tuning job at most once for the same data and settings.
//
// In order: (1) the ledger names a job for this ajuste_key: adopt it unless it failed or was
// cancelled (or, with new_job, unless it has ended); (2) a create of an earlier run never got
// its answer ("pending" in the ledger): adopt the tagged job that appeared since; (3) unless
// new_job, adopt the newest tagged job on the provider that did not fail; (4) create: the
// "pending" entry (with the ids of the tagged jobs that already exist) is saved before
// POST /fine_tuning/jobs, and the job id right after. A lost answer (kUnknownOutcome) leads to
// another search, and only if no new tagged job shows up, to another create (bounded).
class JobStarter {
 public:
  JobStarter(ApiClient& api, Ledger& ledger, int max_create_attempts = 3);

  Result<StartedJob> start(const JobOptions& options, const JobInputs& inputs);

 private:
  // The newest tagged job whose id is not in `known`, if any.
  static const nlohmann::json* newestUnknown(const std::vector<nlohmann::json>& jobs, const nlohmann::json& known);
  Status record(const std::string& ledger_key, nlohmann::json& entry, const StartedJob& job);

  ApiClient& api_;
  Ledger& ledger_;
  int max_create_attempts_;
};

}  // namespace ajuste::provider
