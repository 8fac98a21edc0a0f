#include "engine/rejects_file.hpp"

#include <cerrno>
#include <cstring>

#include "common/redactor.hpp"

namespace ajuste {

RejectsFile::RejectsFile(std::filesystem::path path) : path_(std::move(path)) {}

RejectsFile::~RejectsFile() {
  if (file_ != nullptr) std::fclose(file_);
}

Status RejectsFile::open() {
  file_ = std::fopen(path_.c_str(), "wb");
  if (file_ == nullptr) return Status::ioError("cannot create " + path_.string() + ": " + std::strerror(errno));
  return Status::ok();
}

Status RejectsFile::write(const std::string& stage_id, const std::string& uses, const Reject& reject) {
  const std::string kind = reject.kind.empty() ? uses : reject.kind;
  ++counts_[stage_id][kind];
  ++count_;
  nlohmann::json line = {{"stage", stage_id},       {"uses", uses},
                         {"kind", kind},            {"reason", reject.reason},
                         {"source", reject.origin.source}, {"line", reject.origin.line},
                         {"index", reject.origin.index}};
  if (!reject.value.is_null()) {
    line["record"] = reject.value;
  } else {
    line["raw"] = reject.raw;
  }
  // Invalid UTF-8 in a raw line must not make the rejects file itself invalid.
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text = Redactor::instance().redact(text);
  text += '\n';
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
    return Status::ioError("cannot write " + path_.string() + ": " + std::strerror(errno));
  }
  return Status::ok();
}

Status RejectsFile::close() {
  if (file_ == nullptr) return Status::ok();
  const bool failed = std::fflush(file_) != 0 || std::ferror(file_) != 0;
  std::fclose(file_);
  file_ = nullptr;
  if (failed) return Status::ioError("cannot finish writing " + path_.string() + ": " + std::strerror(errno));
  return Status::ok();
}

nlohmann::json RejectsFile::byStageAndKind() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [stage, kinds] : counts_) {
    for (const auto& [kind, n] : kinds) out[stage][kind] = n;
  }
  return out;
}

std::map<std::string, std::uint64_t> RejectsFile::byKind() const {
  std::map<std::string, std::uint64_t> out;
  for (const auto& [stage, kinds] : counts_) {
    for (const auto& [kind, n] : kinds) out[kind] += n;
  }
  return out;
}

}  // namespace ajuste
