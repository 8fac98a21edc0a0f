#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "ajuste/status.hpp"
#include "api_client.hpp"
#include "ledger.hpp"
#include "local_file.hpp"

namespace ajuste::provider {

// Sends a large file through the Uploads API: POST /uploads, the parts in order
// (POST /uploads/{id}/parts, multipart field `data`, each a byte range streamed from disk), then
// POST /uploads/{id}/complete with the part ids in order.
//
// Resumable: the upload id and every completed part id are written to the ledger entry under
// "pending" as they come back, so a crash or an interrupt resumes at the next part. An Upload
// the provider no longer accepts (expired after an hour, cancelled, unknown) is started again,
// at most twice. Parts are safe to repeat (a part not named at completion is ignored), so the
// HTTP client retries them; completion is not: a lost answer returns kUnknownOutcome, and a
// refused completion looks for the file before starting again.
//
// `entry` is the file's ledger entry (saved under `key`); on success it returns the new file id.
Result<std::string> uploadInParts(ApiClient& api, Ledger& ledger, const std::string& key, nlohmann::json& entry,
                                  const LocalFile& file, std::uint64_t part_size);

}  // namespace ajuste::provider
