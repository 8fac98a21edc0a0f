#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/stage.hpp"

namespace ajuste {

// Bumped whenever a type that crosses the plugin boundary changes layout or virtual methods.
// 2: Record::meta, kBudgetExceeded; 3: Context::http/wait, kUnknownOutcome;
// 4: Record::prepared, StageInfo::prepares, RecordStage/SinkStage::prepare;
// 5: Record::text, StageInfo::reads_text/keeps_text.
inline constexpr std::uint32_t kSdkAbiVersion = 5;

// `std::string`, `std::vector` and `nlohmann::json` cross the boundary, so the plugin and the
// runner must agree on the standard library and the JSON library, not only on our headers.
constexpr std::uint32_t toolchainFingerprint() {
#if defined(_GLIBCXX_RELEASE)
  constexpr std::uint32_t stdlib = _GLIBCXX_RELEASE;
#else
  constexpr std::uint32_t stdlib = 0;
#endif
#if defined(_GLIBCXX_USE_CXX11_ABI)
  constexpr std::uint32_t cxx11_abi = _GLIBCXX_USE_CXX11_ABI;
#else
  constexpr std::uint32_t cxx11_abi = 0;
#endif
  return (stdlib << 24) | (cxx11_abi << 16) | (std::uint32_t{NLOHMANN_JSON_VERSION_MAJOR} << 8) |
         std::uint32_t{NLOHMANN_JSON_VERSION_MINOR};
}

// Read by the runner before anything else in a plugin: plain data, no library types.
struct AbiStamp {
  std::uint32_t sdk_abi;
  std::uint32_t toolchain;
  bool operator==(const AbiStamp&) const = default;
};

inline constexpr AbiStamp kAbiStamp{kSdkAbiVersion, toolchainFingerprint()};

// "SDK ABI 1 (libstdc++ 12, C++11 ABI 1, nlohmann_json 3.11)"
std::string toString(const AbiStamp& stamp);

struct PluginDescriptor {
  std::string name;     // "builtin-ingest"
  std::string version;  // semantic version of the plugin itself
  std::vector<StageInfo> stages;
};

}  // namespace ajuste
