#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "ajuste/status.hpp"
#include "api_client.hpp"
#include "file_status.hpp"
#include "ledger.hpp"
#include "local_file.hpp"

namespace ajuste::provider {

struct UploadSettings {
  std::uint64_t multipart_threshold_bytes = 100ULL << 20U;  // above: the Uploads API in parts
  std::uint64_t part_size_bytes = 64ULL << 20U;
  PollSettings processing;
  int max_create_attempts = 3;  // per run, when creates come back with an unknown outcome
};

struct UploadedFile {
  std::string file_id;
  std::string how;  // "uploaded", "adopted from the run state", "adopted from the provider"
  std::string via;  // "files" or "uploads" when uploaded now, "" when adopted
};

// Gets a local file onto the provider exactly once, then waits until it is processed.
//
// In order: (1) the ledger (this run folder's memory) names a file id for these bytes and the
// provider still has it: adopt it; (2) the provider lists a `fine-tune` file with the same
// content-derived name and size: adopt it; (3) upload: a "pending" entry is written to the
// ledger before the create is sent; small files go through POST /files (multipart, streamed),
// larger ones through the Uploads API (see upload_parts.hpp). When a create's answer is lost
// (kUnknownOutcome), the provider is searched again before another attempt, at most
// `max_create_attempts` times per run.
class FileUploader {
 public:
  FileUploader(ApiClient& api, Ledger& ledger, UploadSettings settings);

  // `label` names the file in messages ("training file").
  Result<UploadedFile> upload(const LocalFile& file, const std::string& label);

 private:
  // The ledger's file id if the provider still has that file in a usable state.
  Result<std::string> recordedFile(const nlohmann::json& entry, const LocalFile& file);
  Result<std::string> createWithFilesApi(const LocalFile& file);
  Status record(const std::string& key, nlohmann::json& entry, const std::string& file_id);

  ApiClient& api_;
  Ledger& ledger_;
  UploadSettings settings_;
};

}  // namespace ajuste::provider
