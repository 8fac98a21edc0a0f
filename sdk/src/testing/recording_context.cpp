#include "ajuste/testing/recording_context.hpp"

#include <atomic>
#include <cstdlib>
#include <string>
#include <system_error>
#include <unistd.h>

namespace ajuste::testing {
namespace {

std::filesystem::path makeTempRunDir() {
  static std::atomic<unsigned> sequence{0};
  const auto base = std::filesystem::temp_directory_path();
  for (;;) {
    auto dir = base / ("ajuste-test-" + std::to_string(::getpid()) + "-" + std::to_string(sequence++));
    std::error_code ec;
    if (std::filesystem::create_directory(dir, ec)) return dir;
    if (ec) throw std::filesystem::filesystem_error("cannot create a test run folder", dir, ec);
  }
}

class NoHttpClient final : public HttpClient {
 public:
  Result<HttpResponse> send(const HttpRequest& request) override {
    return Status::internal("this test sent " + request.method + " " + request.url +
                            " but gave its RecordingContext no HTTP client: call setHttp()");
  }
};

}  // namespace

HttpClient& RecordingContext::http() {
  static NoHttpClient none;
  return http_ != nullptr ? *http_ : none;
}

Status RecordingContext::wait(std::chrono::milliseconds duration) {
  const std::lock_guard lock(mutex_);
  if (cancelled_) return Status::cancelled();
  waited_ += duration;
  return Status::ok();
}

RecordingContext::RecordingContext(std::string stage_name)
    : stage_name_(std::move(stage_name)), run_dir_(makeTempRunDir()), base_dir_(std::filesystem::current_path()) {}

RecordingContext::~RecordingContext() {
  std::error_code ignored;
  std::filesystem::remove_all(run_dir_, ignored);
}

void RecordingContext::log(LogLevel level, std::string_view message) {
  const std::lock_guard lock(mutex_);
  logs_.push_back({level, std::string(message)});
}

void RecordingContext::count(std::string_view counter, std::int64_t delta) {
  const std::lock_guard lock(mutex_);
  const auto it = counters_.find(counter);
  if (it == counters_.end()) {
    counters_.emplace(std::string(counter), delta);
  } else {
    it->second += delta;
  }
}

void RecordingContext::report(std::string_view key, nlohmann::json value) {
  const std::lock_guard lock(mutex_);
  reports_[std::string(key)] = std::move(value);
}

void RecordingContext::progress(std::uint64_t done, std::uint64_t /*total*/) {
  const std::lock_guard lock(mutex_);
  progress_done_ = done;
}

std::optional<nlohmann::json> RecordingContext::artifact(std::string_view name) const {
  const std::lock_guard lock(mutex_);
  const auto it = artifacts_.find(name);
  if (it == artifacts_.end()) return std::nullopt;
  return it->second;
}

Status RecordingContext::publish(std::string_view name, nlohmann::json value) {
  const std::lock_guard lock(mutex_);
  artifacts_[std::string(name)] = std::move(value);
  return Status::ok();
}

void RecordingContext::declareOutput(std::string_view name, const std::filesystem::path& path,
                                     std::uint64_t records) {
  const std::lock_guard lock(mutex_);
  outputs_.push_back({std::string(name), path, records});
}

Result<std::string> RecordingContext::secret(std::string_view name) {
  const std::lock_guard lock(mutex_);
  const auto it = secrets_.find(name);
  if (it == secrets_.end()) {
    return Status::configError("", "secret '" + std::string(name) + "' is not set in this test context");
  }
  return it->second;
}

std::filesystem::path RecordingContext::resolvePath(std::string_view path) const {
  const std::filesystem::path p{path};
  return p.is_absolute() ? p : base_dir_ / p;
}

std::optional<nlohmann::json> RecordingContext::loadState() const {
  const std::lock_guard lock(mutex_);
  return state_;
}

Status RecordingContext::saveState(const nlohmann::json& state) {
  const std::lock_guard lock(mutex_);
  state_ = state;
  return Status::ok();
}

std::vector<RecordingContext::LogLine> RecordingContext::logs() const {
  const std::lock_guard lock(mutex_);
  return logs_;
}

std::int64_t RecordingContext::counter(std::string_view name) const {
  const std::lock_guard lock(mutex_);
  const auto it = counters_.find(name);
  return it == counters_.end() ? 0 : it->second;
}

nlohmann::json RecordingContext::reports() const {
  const std::lock_guard lock(mutex_);
  return reports_;
}

}  // namespace ajuste::testing
