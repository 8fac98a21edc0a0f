#include "run_ajuste.hpp"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
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
