#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <ajuste/stage.hpp>

namespace ajuste::write_jsonl {

// Writes every record that reaches it as one compact JSON object per line, in input order,
// to a temporary file renamed into place at the end (a failed run never leaves a half file
// under the final name). Without a path it only counts: `ajuste check` uses it that way.
class JsonlWriter final : public SinkStage {
 public:
  static const StageInfo& info();
  static Result<std::unique_ptr<Stage>> make(const nlohmann::json& with, Context& ctx);

  JsonlWriter(std::optional<std::filesystem::path> path, std::string output_name);
  ~JsonlWriter() override;

  // Serializes the records on the runner's workers; `consume` only writes the lines.
  Status prepare(Batch& batch, Context& ctx) const override;
  Status consume(Batch& batch, Context& ctx) override;
  Status finish(Context& ctx) override;

 private:
  // Record::prepared: the record as one compact JSON line with its '\n'; false (and the
  // record rejected) when a string in it is not valid UTF-8.
  static bool prepareRecord(Record& record, Batch& batch);

  std::optional<std::filesystem::path> path_;
  std::filesystem::path partial_;
  std::string output_name_;
  std::FILE* file_ = nullptr;
  std::uint64_t records_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace ajuste::write_jsonl
