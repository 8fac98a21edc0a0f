#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace ajuste::provider::testing {

// A temporary folder with training data, removed at the end of the test.
class TempFiles {
 public:
  TempFiles() {
    static int sequence = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("ajuste-provider-test-" + std::to_string(::getpid()) + "-" + std::to_string(sequence++));
    std::filesystem::create_directories(dir_);
  }
  ~TempFiles() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TempFiles(const TempFiles&) = delete;
  TempFiles& operator=(const TempFiles&) = delete;

  std::filesystem::path write(const std::string& name, const std::string& content) const {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

inline std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace ajuste::provider::testing
