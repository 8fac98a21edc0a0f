#pragma once

#include <memory>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "emulator.hpp"

namespace ajuste::emulator::testing {

// Frozen clock (tests move it with advance), fixed seed, a free port.
Options testOptions();

struct Response {
  int status = -1;  // -1: no response (connection dropped or refused)
  nlohmann::json body;
  std::string text;
  httplib::Headers headers;

  [[nodiscard]] std::string header(const std::string& name) const;
};

// A client for one emulator, speaking one dialect: "/v1" with a Bearer key (the default),
// "/openai" with an api-key header and ?api-version, or "/openai/v1".
class Api {
 public:
  explicit Api(Emulator& emulator, std::string prefix = "/v1", std::string api_version = "2024-10-21");

  Response get(const std::string& path);
  Response post(const std::string& path, const nlohmann::json& body);
  Response postEmpty(const std::string& path);
  Response del(const std::string& path);
  Response uploadFile(const std::string& filename, const std::string& content, const std::string& purpose = "fine-tune");
  Response addPart(const std::string& upload_id, const std::string& data);

  // Uploads, waits (by advancing simulated time) until processed, returns the file id.
  std::string processedFile(const std::string& content, const std::string& filename = "train.jsonl");

  httplib::Headers& headers() { return headers_; }
  [[nodiscard]] std::string url(const std::string& path) const;

 private:
  Response wrap(const httplib::Result& result) const;

  std::string prefix_;
  std::string api_version_;
  httplib::Headers headers_;
  std::unique_ptr<httplib::Client> client_;
  Emulator* emulator_;
};

// `count` chat examples of review rating, one per line, each a valid training example.
std::string reviewsJsonl(std::size_t count, std::size_t offset = 0);
// `count` DPO preference examples.
std::string preferenceJsonl(std::size_t count);

void advance(Emulator& emulator, double seconds);
// Advances simulated time until the job reaches a final status; returns the job.
nlohmann::json runJobToEnd(Emulator& emulator, Api& api, const std::string& job_id);

}  // namespace ajuste::emulator::testing
