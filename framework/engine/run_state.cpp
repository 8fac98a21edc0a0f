#include "engine/run_state.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <unistd.h>

#include "common/redactor.hpp"

namespace ajuste {

Status writeFileAtomically(const std::filesystem::path& path, std::string_view text) {
  const std::string safe = Redactor::instance().redact(text);
  const std::filesystem::path temporary = path.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::ioError("cannot write " + temporary.string() + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < safe.size()) {
    const ssize_t n = ::write(fd, safe.data() + written, safe.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      return Status::ioError("cannot write " + temporary.string() + ": " + std::strerror(saved));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return Status::ioError("cannot flush " + temporary.string() + ": " + std::strerror(errno));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return Status::ioError("cannot replace " + path.string() + ": " + std::strerror(errno));
  }
  return Status::ok();
}

RunState::RunState(std::filesystem::path file)
    : file_(std::move(file)), document_({{"artifacts", nlohmann::json::object()}, {"stages", nlohmann::json::object()}}) {}

Status RunState::load(bool resume) {
  std::ifstream in(file_);
  if (!in) return Status::ok();  // a first run
  nlohmann::json previous = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (previous.is_discarded() || !previous.is_object()) {
    return Status::ioError(file_.string() + " is not valid JSON, so the ids of what earlier runs uploaded or "
                           "started cannot be read; repair it, or move it away to start afresh (a new job may be paid "
                           "for then)");
  }
  const std::lock_guard lock(mutex_);
  if (const auto it = previous.find("stages"); it != previous.end() && it->is_object()) document_["stages"] = *it;
  if (resume) {
    if (const auto it = previous.find("artifacts"); it != previous.end() && it->is_object()) {
      document_["artifacts"] = *it;
    }
  }
  loaded_previous_ = true;
  return flushLocked();
}

std::optional<nlohmann::json> RunState::artifact(std::string_view name) const {
  const std::lock_guard lock(mutex_);
  const auto& artifacts = document_["artifacts"];
  const auto it = artifacts.find(std::string(name));
  if (it == artifacts.end()) return std::nullopt;
  return (*it)["value"];
}

Status RunState::publish(std::string_view stage_id, std::string_view name, nlohmann::json value) {
  const std::lock_guard lock(mutex_);
  document_["artifacts"][std::string(name)] = {{"value", std::move(value)}, {"stage", stage_id}};
  return flushLocked();
}

std::optional<nlohmann::json> RunState::stageState(std::string_view stage_id) const {
  const std::lock_guard lock(mutex_);
  const auto& stages = document_["stages"];
  const auto it = stages.find(std::string(stage_id));
  if (it == stages.end()) return std::nullopt;
  return *it;
}

Status RunState::saveStageState(std::string_view stage_id, const nlohmann::json& state) {
  const std::lock_guard lock(mutex_);
  document_["stages"][std::string(stage_id)] = state;
  return flushLocked();
}

nlohmann::json RunState::artifacts() const {
  const std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, entry] : document_["artifacts"].items()) out[name] = entry["value"];
  return out;
}

Status RunState::flushLocked() { return writeFileAtomically(file_, document_.dump(2) + "\n"); }

}  // namespace ajuste
