#include "engine/progress.hpp"

#include <cstdio>
#include <unistd.h>

#include "common/logger.hpp"

namespace ajuste {
namespace {

std::string megabytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

}  // namespace

ProgressReporter::ProgressReporter(ProgressMode mode, std::chrono::milliseconds line_interval)
    : mode_(mode), interval_(line_interval) {
  if (mode_ == ProgressMode::kAuto) mode_ = ::isatty(STDERR_FILENO) != 0 ? ProgressMode::kLive : ProgressMode::kLines;
}

ProgressReporter::~ProgressReporter() { stop(); }

void ProgressReporter::start(std::string label) {
  if (mode_ == ProgressMode::kOff || thread_.joinable()) return;
  label_ = std::move(label);
  started_ = std::chrono::steady_clock::now();
  stopping_ = false;
  if (mode_ == ProgressMode::kLive) Logger::instance().setLiveLineActive(true);
  thread_ = std::thread([this] { loop(); });
}

void ProgressReporter::stop() {
  if (!thread_.joinable()) return;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (mode_ == ProgressMode::kLive) Logger::instance().setLiveLineActive(false);
}

std::string ProgressReporter::render(double seconds) const {
  const std::uint64_t done = bytes_done.load();
  const std::uint64_t total = bytes_total.load();
  std::string line = "[" + label_ + "] ";
  if (total > 0) {
    char percent[16];
    std::snprintf(percent, sizeof percent, "%3.0f%% ", 100.0 * static_cast<double>(done) / static_cast<double>(total));
    line += percent + megabytes(done) + " / " + megabytes(total);
  } else {
    line += megabytes(done);
  }
  if (seconds > 0.05) {
    char rate[32];
    std::snprintf(rate, sizeof rate, " · %.1f MB/s", static_cast<double>(done) / 1e6 / seconds);
    line += rate;
  }
  line += " · " + std::to_string(records_read.load()) + " read, " + std::to_string(records_written.load()) +
          " written, " + std::to_string(records_rejected.load()) + " rejected";
  return line;
}

void ProgressReporter::loop() {
  const auto tick = mode_ == ProgressMode::kLive ? std::chrono::milliseconds(200) : interval_;
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, tick, [&] { return stopping_; })) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (mode_ == ProgressMode::kLive) {
      Logger::instance().writeLiveLine(render(seconds));
    } else {
      Logger::instance().log(LogLevel::kInfo, "", render(seconds));
    }
  }
}

}  // namespace ajuste
