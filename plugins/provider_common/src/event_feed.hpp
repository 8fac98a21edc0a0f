#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ajuste/status.hpp"
#include "api_client.hpp"

namespace ajuste::provider {

// The events of one job that have not been seen yet. The API lists events newest first and
// pages towards older ones (`after` = the last id of the previous page), so the new events
// are those before the last seen id: read pages until it shows up (or the list ends).
class EventFeed {
 public:
  EventFeed(ApiClient& api, std::string job_id, std::string last_seen);

  // The new events, oldest first; remembers the newest as seen.
  Result<std::vector<nlohmann::json>> fetchNew();
  [[nodiscard]] const std::string& lastSeen() const { return last_seen_; }

 private:
  ApiClient& api_;
  std::string job_id_;
  std::string last_seen_;
};

}  // namespace ajuste::provider
