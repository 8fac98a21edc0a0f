#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace ajuste::e2e {

// Waits up to `limit` for `condition` (a file reaching a size, a process state), checking every
// 20 ms: bounded polling, never a fixed sleep standing in for synchronisation.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(60)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the built ajuste with `args` in `cwd`, with extra environment variables, and captures
// stdout, stderr and the exit code.
Outcome runAjuste(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                  const std::map<std::string, std::string>& env = {});

// The built ajuste running in the background (stdout and stderr into files), for tests that
// interrupt or kill it at a chosen moment.
class RunningAjuste {
 public:
  RunningAjuste(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                const std::map<std::string, std::string>& env, const std::filesystem::path& output_prefix);
  ~RunningAjuste();
  RunningAjuste(const RunningAjuste&) = delete;
  RunningAjuste& operator=(const RunningAjuste&) = delete;

  void signal(int signal_number);
  // Waits for the process to end and returns its exit code (128 + signal when killed).
  int wait();
  [[nodiscard]] bool running();
  [[nodiscard]] std::string out() const;
  [[nodiscard]] std::string err() const;

 private:
  int pid_ = -1;
  int exit_code_ = -1;
  std::filesystem::path out_;
  std::filesystem::path err_;
};

std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, const std::string& text);

// A fresh folder under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace ajuste::e2e
