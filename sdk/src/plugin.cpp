#include "ajuste/plugin.hpp"

#include <string>

namespace ajuste {

std::string_view toString(StageKind kind) {
  switch (kind) {
    case StageKind::kSource: return "source";
    case StageKind::kRecords: return "records";
    case StageKind::kSink: return "sink";
    case StageKind::kArtifacts: return "artifacts";
  }
  return "unknown";
}

std::string toString(const AbiStamp& stamp) {
  const auto field = [&](int shift) { return std::to_string((stamp.toolchain >> shift) & 0xffu); };
  return std::to_string(stamp.sdk_abi) + " (libstdc++ " + field(24) + ", C++11 ABI " + field(16) +
         ", nlohmann_json " + field(8) + "." + field(0) + ")";
}

}  // namespace ajuste
