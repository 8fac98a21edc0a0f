#include "provider_search.hpp"

namespace ajuste::provider {
namespace {

constexpr int kMaxPages = 10;
constexpr const char* kPageSize = "100";

std::string text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Walks a cursor-paginated list (data, has_more; `after` = the last id seen) and hands every
// item to `visit`, which returns false to stop.
template <class Visit>
Status walkList(ApiClient& api, const std::string& path, const std::string& query, const char* what, Visit visit) {
  std::string after;
  for (int page = 0; page < kMaxPages; ++page) {
    ApiCall call;
    call.path = path;
    call.query = query + (after.empty() ? "" : std::string(query.empty() ? "" : "&") + "after=" + urlEncode(after));
    auto listed = api.call(call, what);
    if (!listed.ok()) return listed.error();
    const auto data = listed->find("data");
    if (data == listed->end() || !data->is_array() || data->empty()) return Status::ok();
    for (const auto& item : *data) {
      if (!visit(item)) return Status::ok();
    }
    const auto more = listed->find("has_more");
    if (more == listed->end() || !more->is_boolean() || !more->get<bool>()) return Status::ok();
    after = text(data->back(), "id");
    if (after.empty()) return Status::ok();
  }
  return Status::ok();
}

}  // namespace

Result<std::optional<nlohmann::json>> findUploadedFile(ApiClient& api, const std::string& name, std::uint64_t bytes) {
  std::optional<nlohmann::json> found;
  // Azure's dated API documents only `purpose` for this list; the others take a page size.
  const std::string query = api.endpoint().azureDated() ? "purpose=fine-tune" : "purpose=fine-tune&limit=10000";
  Status walked = walkList(api, "/files", query, "looking for an earlier upload", [&](const nlohmann::json& file) {
    const std::string status = text(file, "status");
    const bool usable = status != "error" && status != "deleting" && status != "deleted";
    const bool same = text(file, "filename") == name && file.value("bytes", std::uint64_t{0}) == bytes;
    if (same && usable) found = file;
    return !found;
  });
  if (!walked.isOk()) return walked;
  return found;
}

bool carriesTag(const nlohmann::json& job, const JobTag& tag) {
  if (tag.use_metadata) {
    const auto metadata = job.find("metadata");
    return metadata != job.end() && metadata->is_object() && text(*metadata, "ajuste_key") == tag.key;
  }
  std::string suffix = text(job, "suffix");
  if (suffix.empty()) suffix = text(job, "user_provided_suffix");
  return !tag.suffix_tag.empty() && suffix.ends_with(tag.suffix_tag);
}

Result<std::vector<nlohmann::json>> findTaggedJobs(ApiClient& api, const JobTag& tag) {
  std::vector<nlohmann::json> found;
  std::string query = std::string("limit=") + kPageSize;
  if (tag.use_metadata) query += "&" + urlEncode("metadata[ajuste_key]") + "=" + urlEncode(tag.key);
  Status walked = walkList(api, "/fine_tuning/jobs", query, "looking for an earlier fine-tuning job",
                           [&](const nlohmann::json& job) {
                             if (carriesTag(job, tag)) found.push_back(job);
                             return true;
                           });
  if (!walked.isOk()) return walked;
  return found;
}

}  // namespace ajuste::provider
