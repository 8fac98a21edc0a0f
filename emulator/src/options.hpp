#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "faults.hpp"

namespace ajuste::emulator {

// Everything `ajuste-emulator` takes on its command line (main.cpp maps flags to fields).
struct Options {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: pick a free port; Emulator::port() tells which
  std::optional<std::filesystem::path> state_dir;  // none: everything in memory
  double time_scale = 1000;  // simulated seconds per real second; 0 freezes the clock
  double start_time = 0;     // simulated Unix time at start; 0: the wall clock
  std::uint64_t seed = 0;
  std::string api_key;  // empty: any non-empty key is accepted
  std::vector<FaultSpec> faults;
  std::uint64_t max_file_bytes = 512ULL << 20U;  // Files API limit per file
  std::uint64_t max_part_bytes = 64ULL << 20U;   // Uploads API limit per part
  bool log_requests = false;                     // one line per request on stderr
  std::size_t threads = 16;                      // concurrent connections served
};

}  // namespace ajuste::emulator
