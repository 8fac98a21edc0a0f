#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialect.hpp"
#include "jsonl_check.hpp"
#include "training_plan.hpp"

namespace ajuste::emulator {

// The emulator's objects as it stores them. What a client sees is rendered from these at the
// current simulated time (render.hpp), so a status is never stored and never stale.

struct FileRecord {
  std::string id;
  std::string filename;
  std::string purpose;
  double created_at = 0;
  double processed_at = 0;  // status turns from uploaded to processed/error here
  std::shared_ptr<const std::string> content;
  std::optional<FileCheck> check;  // fine-tune files only
  std::uint64_t sequence = 0;      // creation order, for lists
};

struct PartRecord {
  std::string id;
  double created_at = 0;
  std::shared_ptr<const std::string> data;
};

struct UploadRecord {
  std::string id;
  std::string filename;
  std::string purpose;
  std::string mime_type;
  std::uint64_t bytes = 0;
  double created_at = 0;
  double expires_at = 0;
  std::string status = "pending";  // pending | completed | cancelled (expired is derived from time)
  std::vector<PartRecord> parts;
  std::string file_id;  // set on completion
};

struct JobFailure {
  double at = 0;
  std::string code;
  std::string message;
  std::string param;  // empty renders as null
  std::optional<std::int64_t> at_step;
};

enum class JobStatus { kValidatingFiles, kQueued, kRunning, kSucceeded, kFailed, kCancelled };

struct JobRecord {
  std::string id;
  Dialect dialect = Dialect::kOpenAi;  // the face it was created through: decides its CSV columns
  std::string model;                   // resolved base model snapshot
  std::string training_file;
  std::string validation_file;  // empty when none
  std::string suffix;
  std::int64_t seed = 0;
  nlohmann::json metadata;       // null or an object of strings
  nlohmann::json integrations;   // null or the request's list
  std::string method_type = "supervised";
  nlohmann::json requested;      // hyperparameters as asked (may hold "auto")
  Hyperparameters hyperparameters;
  Timeline timeline;
  std::size_t examples = 0;
  std::uint64_t tokens_per_epoch = 0;
  std::optional<JobFailure> failure;   // decided at creation (bad file, injected fault)
  std::optional<double> cancelled_at;
  std::string fine_tuned_model;        // the name it will get; shown once succeeded
  std::string result_file_id;          // the id it will get; the file exists once the job ends
  bool settled = false;                // end-of-job side effects (result file, counters) done
  std::uint64_t sequence = 0;
};

JobStatus jobStatusAt(const JobRecord& job, double now);
// When the job stopped progressing: cancel time, failure time or success time.
double jobEndsAt(const JobRecord& job);
bool isFinal(JobStatus status);

}  // namespace ajuste::emulator
