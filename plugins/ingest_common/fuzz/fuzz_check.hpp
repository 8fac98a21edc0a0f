#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

// For fuzz targets: a broken invariant prints what broke and the input (escaped), then aborts,
// which both libFuzzer and the standalone driver report as a failure.
#define AJUSTE_FUZZ_CHECK(condition, input)                                                  \
  do {                                                                                       \
    if (!(condition)) ::ajuste::fuzz::fail(#condition, __FILE__, __LINE__, (input));         \
  } while (false)

namespace ajuste::fuzz {

[[noreturn]] inline void fail(const char* what, const char* file, int line, std::string_view input) {
  std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s\ninput (%zu bytes): \"", file, line, what, input.size());
  for (const char c : input) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F && byte != '"' && byte != '\\') {
      std::fputc(byte, stderr);
    } else {
      std::fprintf(stderr, "\\x%02X", byte);
    }
  }
  std::fprintf(stderr, "\"\n");
  std::abort();
}

}  // namespace ajuste::fuzz
