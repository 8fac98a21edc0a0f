#include "event_feed.hpp"

#include <algorithm>
#include <utility>

namespace ajuste::provider {
namespace {

constexpr int kMaxPages = 50;

std::string text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

EventFeed::EventFeed(ApiClient& api, std::string job_id, std::string last_seen)
    : api_(api), job_id_(std::move(job_id)), last_seen_(std::move(last_seen)) {}

Result<std::vector<nlohmann::json>> EventFeed::fetchNew() {
  std::vector<nlohmann::json> fresh;  // newest first while collecting
  std::string after;
  bool reached_seen = false;
  for (int page = 0; page < kMaxPages && !reached_seen; ++page) {
    ApiCall call;
    call.path = "/fine_tuning/jobs/" + job_id_ + "/events";
    call.query = "limit=100" + (after.empty() ? std::string() : "&after=" + urlEncode(after));
    auto listed = api_.call(call, "reading the events of job " + job_id_);
    if (!listed.ok()) return listed.error();
    const auto data = listed->find("data");
    if (data == listed->end() || !data->is_array() || data->empty()) break;
    for (const auto& event : *data) {
      if (!last_seen_.empty() && text(event, "id") == last_seen_) {
        reached_seen = true;
        break;
      }
      fresh.push_back(event);
    }
    const auto more = listed->find("has_more");
    if (more == listed->end() || !more->is_boolean() || !more->get<bool>()) break;
    after = text(data->back(), "id");
    if (after.empty()) break;
  }
  if (!fresh.empty()) last_seen_ = text(fresh.front(), "id");
  std::reverse(fresh.begin(), fresh.end());
  return fresh;
}

}  // namespace ajuste::provider
