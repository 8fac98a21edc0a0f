#include "support.hpp"

#include <algorithm>

namespace ajuste::emulator::testing {

using nlohmann::json;

Options testOptions() {
  Options options;
  options.port = 0;
  options.time_scale = 0;
  options.seed = 7;
  options.start_time = 1750000000;
  options.threads = 4;
  return options;
}

std::string Response::header(const std::string& name) const {
  const auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

Api::Api(Emulator& emulator, std::string prefix, std::string api_version)
    : prefix_(std::move(prefix)),
      api_version_(std::move(api_version)),
      client_(std::make_unique<httplib::Client>(emulator.baseUrl())),
      emulator_(&emulator) {
  if (prefix_ == "/v1") {
    headers_.emplace("Authorization", "Bearer test-key");
  } else {
    headers_.emplace("api-key", "test-key");
  }
  client_->set_read_timeout(10, 0);
}

std::string Api::url(const std::string& path) const {
  std::string out = prefix_ + path;
  if (prefix_ == "/openai" && !api_version_.empty())
    out += (out.find('?') == std::string::npos ? "?" : "&") + std::string("api-version=") + api_version_;
  return out;
}

Response Api::wrap(const httplib::Result& result) const {
  Response out;
  if (!result) return out;
  out.status = result->status;
  out.text = result->body;
  out.headers = result->headers;
  out.body = json::parse(result->body, nullptr, false);
  return out;
}

Response Api::get(const std::string& path) { return wrap(client_->Get(url(path), headers_)); }

Response Api::post(const std::string& path, const json& body) {
  return wrap(client_->Post(url(path), headers_, body.dump(), "application/json"));
}

Response Api::postEmpty(const std::string& path) { return wrap(client_->Post(url(path), headers_, "", "application/json")); }

Response Api::del(const std::string& path) { return wrap(client_->Delete(url(path), headers_)); }

Response Api::uploadFile(const std::string& filename, const std::string& content, const std::string& purpose) {
  const httplib::MultipartFormDataItems items = {{"purpose", purpose, "", ""},
                                                 {"file", content, filename, "application/octet-stream"}};
  return wrap(client_->Post(url("/files"), headers_, items));
}

Response Api::addPart(const std::string& upload_id, const std::string& data) {
  const httplib::MultipartFormDataItems items = {{"data", data, "blob", "application/octet-stream"}};
  return wrap(client_->Post(url("/uploads/" + upload_id + "/parts"), headers_, items));
}

std::string Api::processedFile(const std::string& content, const std::string& filename) {
  const Response created = uploadFile(filename, content);
  if (created.status != 200 && created.status != 201) return "upload failed: " + created.text;
  advance(*emulator_, 300);
  return created.body["id"];
}

std::string reviewsJsonl(std::size_t count, std::size_t offset) {
  static const char* kReviews[] = {"Absolutely love this blender! Worth every penny.", "Terrible kettle. Returned it the same week.",
                                   "It's okay. Not bad, not great.", "Really good backpack overall, only gripe: the zipper.",
                                   "Disappointed with this lamp. The base stopped working after 3 weeks."};
  static const char* kRatings[] = {"5 stars", "1 star", "3 stars", "4 stars", "2 stars"};
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t k = (i + offset) % 5;
    json line = {{"messages",
                  {{{"role", "system"}, {"content", "You are a product review classifier. Answer with the star rating only."}},
                   {{"role", "user"}, {"content", std::string(kReviews[k]) + " (#" + std::to_string(i + offset) + ")"}},
                   {{"role", "assistant"}, {"content", std::string("Rating: ") + kRatings[k]}}}}};
    out += line.dump() + "\n";
  }
  return out;
}

std::string preferenceJsonl(std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    json line = {{"input", {{"messages", {{{"role", "user"}, {"content", "Rate review #" + std::to_string(i) + ": great!"}}}}}},
                 {"preferred_output", {{{"role", "assistant"}, {"content", "Rating: 5 stars"}}}},
                 {"non_preferred_output", {{{"role", "assistant"}, {"content", "I think it is good."}}}}};
    out += line.dump() + "\n";
  }
  return out;
}

void advance(Emulator& emulator, double seconds) { emulator.world().advance(seconds); }

json runJobToEnd(Emulator& emulator, Api& api, const std::string& job_id) {
  for (int i = 0; i < 100; ++i) {
    const Response job = api.get("/fine_tuning/jobs/" + job_id);
    const std::string status = job.body.value("status", "");
    if (status == "succeeded" || status == "failed" || status == "cancelled") return job.body;
    advance(emulator, 120);
  }
  return api.get("/fine_tuning/jobs/" + job_id).body;
}

}  // namespace ajuste::emulator::testing
