#include "job_results.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "metrics_csv.hpp"

namespace ajuste::provider {
namespace {

constexpr int kMaxCheckpointPages = 10;

std::string text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<nlohmann::json> listCheckpoints(ApiClient& api, const std::string& job_id) {
  nlohmann::json out = nlohmann::json::array();
  std::string after;
  for (int page = 0; page < kMaxCheckpointPages; ++page) {
    ApiCall call;
    call.path = "/fine_tuning/jobs/" + job_id + "/checkpoints";
    call.query = "limit=100" + (after.empty() ? std::string() : "&after=" + urlEncode(after));
    const std::string what = "listing the checkpoints of job " + job_id;
    auto sent = api.send(call, what);
    if (!sent.ok()) return sent.error();
    if (sent->status == 404) {
      api.context().warn("the provider lists no checkpoints for job " + job_id + " (HTTP 404); reporting none");
      return out;
    }
    if (!sent->success()) return api.failure(*sent, what);
    const auto listed = nlohmann::json::parse(sent->body, nullptr, false);
    if (!listed.is_object() || !listed.contains("data") || !listed["data"].is_array()) break;
    for (const auto& checkpoint : listed["data"]) {
      out.push_back({{"step", checkpoint.value("step_number", nlohmann::json(nullptr))},
                     {"model", checkpoint.value("fine_tuned_model_checkpoint", nlohmann::json(nullptr))}});
    }
    if (!listed.value("has_more", false) || listed["data"].empty()) break;
    after = text(listed["data"].back(), "id");
    if (after.empty()) break;
  }
  std::stable_sort(out.begin(), out.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a["step"].is_number() && b["step"].is_number() && a["step"].get<double>() < b["step"].get<double>();
  });
  return out;
}

}  // namespace

Result<JobResults> collectResults(ApiClient& api, const nlohmann::json& job,
                                  const std::filesystem::path& metrics_path) {
  JobResults results;
  results.metrics = emptyMetrics();
  const std::string job_id = text(job, "id");
  const auto files = job.find("result_files");
  std::string result_file;
  if (files != job.end() && files->is_array() && !files->empty()) {
    const auto& first = files->front();
    result_file = first.is_string() ? first.get<std::string>() : first.is_object() ? text(first, "id") : std::string();
  }
  if (result_file.empty()) {
    api.context().warn("job " + job_id + " lists no result file: no metrics to download");
  } else {
    std::error_code ignored;
    if (metrics_path.has_parent_path()) std::filesystem::create_directories(metrics_path.parent_path(), ignored);
    ApiCall call;
    call.path = "/files/" + result_file + "/content";
    call.download_to = metrics_path;
    auto downloaded = api.call(call, "downloading the result file " + result_file + " of job " + job_id);
    if (!downloaded.ok()) return downloaded.error();
    std::ifstream in(metrics_path, std::ios::binary);
    if (!in) return Status::ioError("cannot read the downloaded metrics file '" + metrics_path.string() + "'");
    std::ostringstream csv;
    csv << in.rdbuf();
    results.metrics = metricsFromCsv(csv.str());
    results.metrics_file = metrics_path;
  }
  auto checkpoints = listCheckpoints(api, job_id);
  if (!checkpoints.ok()) return checkpoints.error();
  results.checkpoints = std::move(checkpoints).value();
  return results;
}

}  // namespace ajuste::provider
