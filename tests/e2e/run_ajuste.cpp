#include "run_ajuste.hpp"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ajuste::e2e {
namespace {

std::string shellQuote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

TempDir::TempDir() {
  static std::atomic<int> sequence{0};
  path_ = std::filesystem::temp_directory_path() /
          ("ajuste-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(sequence++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Outcome runAjuste(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                  const std::map<std::string, std::string>& env) {
  const TempDir capture;
  std::string command = "cd " + shellQuote(cwd.string()) + " && env";
  for (const auto& [name, value] : env) command += " " + shellQuote(name + "=" + value);
  command += " " + shellQuote(AJUSTE_BIN);
  for (const auto& arg : args) command += " " + shellQuote(arg);
  command += " >" + shellQuote((capture.path() / "out").string()) + " 2>" + shellQuote((capture.path() / "err").string()) +
             " </dev/null";
  const int status = std::system(command.c_str());
  Outcome outcome;
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  outcome.out = readFile(capture.path() / "out");
  outcome.err = readFile(capture.path() / "err");
  return outcome;
}

}  // namespace ajuste::e2e

namespace ajuste::e2e {

RunningAjuste::RunningAjuste(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                             const std::map<std::string, std::string>& env, const std::filesystem::path& output_prefix)
    : out_(output_prefix.string() + ".out"), err_(output_prefix.string() + ".err") {
  std::vector<std::string> words{AJUSTE_BIN};
  words.insert(words.end(), args.begin(), args.end());
  pid_ = ::fork();
  if (pid_ == 0) {
    // The child: only async-signal-safe calls until exec (the parent may have threads).
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    const int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = ::open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || in < 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> argv;
    for (auto& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
}

RunningAjuste::~RunningAjuste() {
  if (running()) {
    signal(SIGKILL);
    wait();
  }
}

void RunningAjuste::signal(int signal_number) {
  if (pid_ > 0) ::kill(pid_, signal_number);
}

int RunningAjuste::wait() {
  if (pid_ <= 0) return exit_code_;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return exit_code_;
}

bool RunningAjuste::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  const int done = ::waitpid(pid_, &status, WNOHANG);
  if (done == 0) return true;
  pid_ = -1;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return false;
}

std::string RunningAjuste::out() const { return readFile(out_); }
std::string RunningAjuste::err() const { return readFile(err_); }

}  // namespace ajuste::e2e
