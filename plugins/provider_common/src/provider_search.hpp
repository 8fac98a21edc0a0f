#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ajuste/status.hpp"
#include "api_client.hpp"

namespace ajuste::provider {

// Looking on the provider for what an earlier run, or a create whose response was lost, already
// made. This is the second half of "never billed twice": the ledger remembers what this run
// folder made; the search finds what it made but could not record.

// The newest `fine-tune` file with this name and size that is not in `error` (or being deleted).
// The name carries the content hash (see LocalFile), so name + size identify the bytes.
Result<std::optional<nlohmann::json>> findUploadedFile(ApiClient& api, const std::string& name, std::uint64_t bytes);

// How a job is recognised as ours: metadata {"ajuste_key": key} where the API has metadata,
// else a tag at the end of the suffix (Azure's dated API has no metadata).
struct JobTag {
  std::string key;         // the ajuste_key (hex)
  std::string suffix_tag;  // "aj" + 12 hex digits of the key: used when metadata is unavailable
  bool use_metadata = true;
};

// Jobs carrying the tag, newest first, whatever their status. Looks through at most a few
// pages of the job list (the newest few hundred jobs).
Result<std::vector<nlohmann::json>> findTaggedJobs(ApiClient& api, const JobTag& tag);

// Whether `job` carries the tag (checked on our side too: a server may ignore the filter).
bool carriesTag(const nlohmann::json& job, const JobTag& tag);

}  // namespace ajuste::provider
