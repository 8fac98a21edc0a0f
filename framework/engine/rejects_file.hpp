#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "ajuste/record.hpp"
#include "ajuste/status.hpp"

namespace ajuste {

// rejects.jsonl: one line per record that left the chain, with the stage, the reason and
// where the record came from, so nothing read is ever lost. Written by one thread, in
// input order, so the file is identical whatever the thread count.
class RejectsFile {
 public:
  explicit RejectsFile(std::filesystem::path path);
  ~RejectsFile();
  RejectsFile(const RejectsFile&) = delete;
  RejectsFile& operator=(const RejectsFile&) = delete;

  Status open();
  Status write(const std::string& stage_id, const std::string& uses, const Reject& reject);
  Status close();

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::uint64_t count() const { return count_; }
  // {"validate": {"unknown_role": 3, ...}, ...}
  [[nodiscard]] nlohmann::json byStageAndKind() const;
  [[nodiscard]] std::map<std::string, std::uint64_t> byKind() const;

 private:
  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::uint64_t count_ = 0;
  std::map<std::string, std::map<std::string, std::uint64_t>> counts_;
};

}  // namespace ajuste
