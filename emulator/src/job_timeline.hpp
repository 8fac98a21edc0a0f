#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "records.hpp"

namespace ajuste::emulator {

struct JobEvent {
  std::size_t index = 0;  // position in the job's full timeline; the event id derives from it
  double created_at = 0;
  std::string level = "info";  // info | warn | error
  std::string message;
  std::string type = "message";  // message | metrics
  nlohmann::json data = nlohmann::json::object();
};

// The events a job has emitted by `now`, oldest first. Pure: the same job and time give the
// same list, however often or rarely a client polls.
std::vector<JobEvent> jobEventsAt(const JobRecord& job, double now);

struct JobCheckpoint {
  std::int64_t step = 0;
  double created_at = 0;
};

// Checkpoints that exist at `now`, oldest first.
std::vector<JobCheckpoint> jobCheckpointsAt(const JobRecord& job, double now);

// The last step whose metrics exist at `now`.
std::int64_t lastStepAt(const JobRecord& job, double now);

}  // namespace ajuste::emulator
