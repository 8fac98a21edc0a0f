#include "engine/stage_context.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <thread>

#include "common/logger.hpp"
#include "common/redactor.hpp"
#include "config/interpolate.hpp"

namespace ajuste {

StageContext::StageContext(RunServices& run, const ResolvedStage& stage)
    : run_(run),
      stage_(stage),
      http_(HttpClientSettings{}, [this](LogLevel level, std::string_view message) { log(level, message); },
            run.interrupted) {}

Status StageContext::wait(std::chrono::milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  for (auto now = std::chrono::steady_clock::now(); now < until; now = std::chrono::steady_clock::now()) {
    if (cancelled()) return Status::cancelled();
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(50)));
  }
  return cancelled() ? Status::cancelled() : Status::ok();
}

void StageContext::log(LogLevel level, std::string_view message) {
  Logger::instance().log(level, stage_.spec->id, message);
}

void StageContext::count(std::string_view counter, std::int64_t delta) {
  const std::lock_guard lock(mutex_);
  const auto it = counters_.find(counter);
  if (it == counters_.end()) {
    counters_.emplace(std::string(counter), delta);
  } else {
    it->second += delta;
  }
}

void StageContext::report(std::string_view key, nlohmann::json value) {
  const std::lock_guard lock(mutex_);
  reports_[std::string(key)] = std::move(value);
}

void StageContext::progress(std::uint64_t done, std::uint64_t total) {
  if (run_.progress == nullptr) return;
  run_.progress->bytes_done = done;
  run_.progress->bytes_total = total;
}

std::optional<nlohmann::json> StageContext::artifact(std::string_view name) const {
  const auto& consumes = stage_.entry->info->consumes;
  const bool declared = std::any_of(consumes.begin(), consumes.end(), [&](const std::string& consumed) {
    return consumed == name || (consumed.size() == name.size() + 1 && consumed.back() == '?' && consumed.starts_with(name));
  });
  if (!declared) {
    Logger::instance().log(LogLevel::kWarn, stage_.spec->id,
                           "asked for artifact '" + std::string(name) +
                               "' without declaring it in `consumes`; the plugin must declare what it reads");
    return std::nullopt;
  }
  return run_.state->artifact(name);
}

Status StageContext::publish(std::string_view name, nlohmann::json value) {
  const auto& produces = stage_.entry->info->produces;
  if (std::find(produces.begin(), produces.end(), name) == produces.end()) {
    return Status::pluginBug(stage_.label() + " published artifact '" + std::string(name) +
                             "' without declaring it in `produces`");
  }
  return run_.state->publish(stage_.spec->id, name, std::move(value));
}

void StageContext::declareOutput(std::string_view name, const std::filesystem::path& path, std::uint64_t records) {
  const std::lock_guard lock(run_.outputs_mutex);
  run_.outputs.push_back(OutputFile{stage_.spec->id, std::string(name), path, records});
}

Result<std::string> StageContext::secret(std::string_view name) {
  // NAME, or else NAME_FILE naming a file that holds it (the Docker/Kubernetes secrets habit).
  auto value = lookupEnvironment(std::string(name));
  if (!value || value->empty()) {
    if (const auto file = lookupEnvironment(std::string(name) + "_FILE"); file && !file->empty()) {
      std::ifstream in(*file, std::ios::binary);
      if (!in) {
        return Status::configError("", "cannot read the secret file " + *file + " named by " + std::string(name) +
                                           "_FILE");
      }
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      value = std::move(text);
    }
  }
  if (!value || value->empty()) {
    return Status::configError("", "environment variable " + std::string(name) + " is not set; export it (or " +
                                       std::string(name) + "_FILE naming a file that holds it) before running " +
                                       "(secrets are never logged)");
  }
  Redactor::instance().add(*value);
  return *value;
}

bool StageContext::cancelled() const { return run_.interrupted != nullptr && run_.interrupted->load(); }

std::filesystem::path StageContext::resolvePath(std::string_view path) const {
  const std::filesystem::path p{path};
  if (p.is_absolute()) return p;
  return (run_.base_dir / p).lexically_normal();
}

std::optional<nlohmann::json> StageContext::loadState() const { return run_.state->stageState(stage_.spec->id); }

Status StageContext::saveState(const nlohmann::json& state) {
  return run_.state->saveStageState(stage_.spec->id, state);
}

nlohmann::json StageContext::counters() const {
  const std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : counters_) out[name] = value;
  return out;
}

nlohmann::json StageContext::reports() const {
  const std::lock_guard lock(mutex_);
  return reports_;
}

}  // namespace ajuste
