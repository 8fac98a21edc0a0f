#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace ajuste {

enum class ProgressMode { kAuto, kLive, kLines, kOff };

// Reports how far the record chain is. On a terminal: one live line redrawn a few times a
// second. Elsewhere (CI logs): a plain line every `line_interval`, so logs stay readable.
class ProgressReporter {
 public:
  ProgressReporter(ProgressMode mode, std::chrono::milliseconds line_interval);
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  void start(std::string label);
  void stop();

  // Updated by the engine and the source; read by the reporting thread.
  std::atomic<std::uint64_t> bytes_done{0};
  std::atomic<std::uint64_t> bytes_total{0};
  std::atomic<std::uint64_t> records_read{0};
  std::atomic<std::uint64_t> records_written{0};
  std::atomic<std::uint64_t> records_rejected{0};

 private:
  void loop();
  [[nodiscard]] std::string render(double seconds) const;

  ProgressMode mode_;
  std::chrono::milliseconds interval_;
  std::string label_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace ajuste
