#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialect.hpp"
#include "faults.hpp"
#include "ids.hpp"
#include "records.hpp"
#include "sim_clock.hpp"

namespace ajuste::emulator {

// Query parameters, as httplib gives them (same type as httplib::Params).
using Query = std::multimap<std::string, std::string>;

struct WorldOptions {
  std::uint64_t seed = 0;
  double time_scale = 1000;
  double origin = 0;  // simulated Unix time at start; 0: the wall clock
  std::uint64_t max_file_bytes = 512ULL << 20U;
  std::uint64_t max_part_bytes = 64ULL << 20U;
  std::optional<std::filesystem::path> state_dir;
};

// The simulated service: files, uploads, jobs, models and counters, on simulated time.
// Every method takes the one mutex, so each request sees and leaves a consistent state.
// Methods return rendered JSON for the given dialect and throw ApiError for API errors.
class World {
 public:
  explicit World(WorldOptions options);
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  double now();
  void advance(double seconds);
  // Back to an empty service: objects, counters and id sequences (so ids repeat).
  void reset();
  void count(const std::string& counter, std::int64_t by = 1);
  nlohmann::json counters();
  // How many times each distinct chat completion request was answered, keyed by a fingerprint
  // of the deployment and the request body (keys sorted), so a client that must never ask the
  // same question twice (a resumed evaluation) can be checked request by request.
  nlohmann::json chatRequests();
  // A JSON view of the time model, for /_emulator/health.
  nlohmann::json clockInfo();

  nlohmann::json createFile(Dialect dialect, const std::string& filename, const std::string& purpose,
                            std::string content);
  nlohmann::json listFiles(Dialect dialect, const Query& query);
  nlohmann::json getFile(Dialect dialect, const std::string& id);
  nlohmann::json deleteFile(Dialect dialect, const std::string& id);
  std::string fileContent(const std::string& id);

  nlohmann::json createUpload(Dialect dialect, const nlohmann::json& body);
  nlohmann::json addUploadPart(Dialect dialect, const std::string& upload_id, std::string data);
  nlohmann::json completeUpload(Dialect dialect, const std::string& upload_id, const nlohmann::json& body);
  nlohmann::json cancelUpload(Dialect dialect, const std::string& upload_id);

  // `fault`: a job_fails fault that fired for this request.
  nlohmann::json createJob(Dialect dialect, const nlohmann::json& body, const std::optional<FaultSpec>& fault);
  nlohmann::json listJobs(Dialect dialect, const Query& query);
  nlohmann::json getJob(Dialect dialect, const std::string& id);
  nlohmann::json cancelJob(Dialect dialect, const std::string& id);
  void deleteJob(const std::string& id);
  nlohmann::json listEvents(Dialect dialect, const std::string& id, const Query& query);
  nlohmann::json listCheckpoints(Dialect dialect, const std::string& id, const Query& query);

  nlohmann::json listModels(Dialect dialect);
  nlohmann::json getModel(Dialect dialect, const std::string& id);
  nlohmann::json chatCompletion(Dialect dialect, const nlohmann::json& body, const std::string& deployment);

  // Persistence (--state-dir): the whole state as JSON, file contents stored beside it.
  nlohmann::json snapshot();
  void restore(const nlohmann::json& state);

 private:
  // Unlocked helpers; the caller holds mutex_.
  void settle(double now);
  void save();
  const FileRecord& fileOrThrow(const std::string& id, const std::string& param = "id") const;
  JobRecord& jobOrThrow(const std::string& id);
  UploadRecord& uploadOrThrow(const std::string& id);
  FileRecord& storeFile(const std::string& filename, const std::string& purpose, std::string content, double now);
  std::optional<std::string> resolveModel(const std::string& name) const;
  bool isFineTunedModel(const std::string& name, double now) const;
  void bump(const std::string& counter, std::int64_t by = 1);

  std::mutex mutex_;
  WorldOptions options_;
  SimClock clock_;
  IdMaker ids_;
  std::uint64_t sequence_ = 0;
  std::map<std::string, FileRecord, std::less<>> files_;
  std::map<std::string, UploadRecord, std::less<>> uploads_;
  std::map<std::string, JobRecord, std::less<>> jobs_;
  std::map<std::string, std::int64_t, std::less<>> counters_;
  std::map<std::string, std::int64_t, std::less<>> chat_requests_;
};

}  // namespace ajuste::emulator
