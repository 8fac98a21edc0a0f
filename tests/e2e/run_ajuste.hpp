#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace ajuste::e2e {

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the built ajuste with `args` in `cwd`, with extra environment variables, and captures
// stdout, stderr and the exit code.
Outcome runAjuste(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                  const std::map<std::string, std::string>& env = {});

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
