#pragma once

#include <cstdio>
#include <fstream>
#include <mutex>
#include <string_view>

#include "ajuste/context.hpp"

namespace ajuste {

// The runner's one log sink: stderr for people (level-filtered) and, once a run folder
// exists, run.log in it (everything). Every line passes through the Redactor first.
class Logger {
 public:
  static Logger& instance();

  void setMinimumLevel(LogLevel level);
  // Starts copying every line to `path` (appending); an empty path stops it.
  void openFile(const std::string& path);
  void closeFile();
  void log(LogLevel level, std::string_view scope, std::string_view message);
  // Progress lines share stderr with the log: a log line first clears a live progress line.
  void setLiveLineActive(bool active);
  void writeLiveLine(std::string_view line);

 private:
  std::mutex mutex_;
  LogLevel minimum_ = LogLevel::kInfo;
  std::ofstream file_;
  bool live_line_ = false;
};

std::string_view toString(LogLevel level);

}  // namespace ajuste
