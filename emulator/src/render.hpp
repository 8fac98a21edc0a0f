#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "dialect.hpp"
#include "ids.hpp"
#include "job_timeline.hpp"
#include "records.hpp"

namespace ajuste::emulator {

// JSON shapes of the OpenAPI description (OpenAIFile, Upload, UploadPart, FineTuningJob,
// FineTuningJobEvent, FineTuningJobCheckpoint, Model), rendered for one dialect at one
// simulated time. Azure's differences are listed in docs/emulator.md.

inline constexpr const char* kOrganizationId = "org-ajuste-emulator";

std::string fileStatusAt(const FileRecord& file, Dialect dialect, double now);
std::string jobStatusName(JobStatus status, Dialect dialect);

nlohmann::json renderFile(const FileRecord& file, Dialect dialect, double now);
nlohmann::json renderUpload(const UploadRecord& upload, const FileRecord* file, Dialect dialect, double now);
nlohmann::json renderPart(const PartRecord& part, const std::string& upload_id, Dialect dialect);
nlohmann::json renderJob(const JobRecord& job, Dialect dialect, double now);
nlohmann::json renderEvent(const JobRecord& job, const JobEvent& event, Dialect dialect, const IdMaker& ids);
nlohmann::json renderCheckpoint(const JobRecord& job, const JobCheckpoint& checkpoint, const IdMaker& ids);
nlohmann::json renderModel(const std::string& id, double created, const std::string& owned_by);

// A whole number of seconds, as the API's Unix timestamps are.
std::int64_t unixSeconds(double time);

}  // namespace ajuste::emulator
