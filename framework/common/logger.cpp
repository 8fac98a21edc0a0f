#include "common/logger.hpp"

#include <chrono>
#include <ctime>
#include <iostream>
#include <string>

#include "common/redactor.hpp"

namespace ajuste {

std::string_view toString(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

Logger& Logger::instance() {
  static Logger logger;
  return logger;
}

void Logger::setMinimumLevel(LogLevel level) {
  const std::lock_guard lock(mutex_);
  minimum_ = level;
}

void Logger::openFile(const std::string& path) {
  const std::lock_guard lock(mutex_);
  if (file_.is_open()) file_.close();
  if (!path.empty()) file_.open(path, std::ios::app);
}

void Logger::closeFile() {
  const std::lock_guard lock(mutex_);
  if (file_.is_open()) file_.close();
}

void Logger::log(LogLevel level, std::string_view scope, std::string_view message) {
  std::string line;
  if (!scope.empty()) {
    line += "[";
    line += scope;
    line += "] ";
  }
  if (level == LogLevel::kWarn || level == LogLevel::kError) {
    line += toString(level);
    line += ": ";
  }
  line += message;
  line = Redactor::instance().redact(line);

  const std::lock_guard lock(mutex_);
  if (file_.is_open()) {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
    file_ << stamp << ' ' << toString(level) << ' ' << line << '\n';
    file_.flush();
  }
  if (level < minimum_) return;
  if (live_line_) std::cerr << "\r\033[K";
  std::cerr << line << '\n';
}

void Logger::setLiveLineActive(bool active) {
  const std::lock_guard lock(mutex_);
  if (live_line_ && !active) std::cerr << "\r\033[K" << std::flush;
  live_line_ = active;
}

void Logger::writeLiveLine(std::string_view line) {
  const std::lock_guard lock(mutex_);
  std::cerr << "\r\033[K" << line << std::flush;
}

}  // namespace ajuste
