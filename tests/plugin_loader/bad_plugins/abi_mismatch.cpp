// Exports the ABI stamp of an SDK that does not exist (ABI 0), as an old plugin would.
#include <cstdint>

#include "ajuste/plugin.hpp"

namespace abi_mismatch {
ajuste::AbiStamp stamp() { return {.sdk_abi = 0, .toolchain = ajuste::kAbiStamp.toolchain}; }
}  // namespace abi_mismatch

extern "C" __attribute__((visibility("default"))) const void* ajuste_abi_v1;
__attribute__((section("boostdll"))) const void* ajuste_abi_v1 =
    reinterpret_cast<const void*>(reinterpret_cast<std::intptr_t>(&abi_mismatch::stamp));
