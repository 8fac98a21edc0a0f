#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ajuste::emulator {

enum class DataFormat { kUnknown, kChat, kPreference, kCompletion };

std::string_view formatName(DataFormat format);

// What the service concludes about an uploaded fine-tuning file. The real service's checks
// are not published as code; these follow ../shared/specs/data-checks.md §3 and OpenAI's
// message style ("Invalid file format. Line 12, message 2, key role: ...").
struct FileCheck {
  bool ok = false;
  std::string code;        // invalid_file_format | invalid_n_examples | invalid_encoding; empty when ok
  std::string message;     // the whole sentence a client shows
  std::size_t line = 0;    // 1-based line of the first problem; 0 when no line is to blame
  DataFormat format = DataFormat::kUnknown;
  std::size_t examples = 0;
  std::uint64_t tokens = 0;  // estimate: Σ over examples of ceil(bytes of the line / 4)
};

inline constexpr std::size_t kMinExamples = 10;

// Stops at the first problem, like the service. A UTF-8 byte-order mark and CRLF line ends are
// accepted; blank lines are skipped but still counted for line numbers.
FileCheck checkFineTuneFile(std::string_view content, std::size_t min_examples = kMinExamples);

// The token estimate used everywhere in the emulator (files, trained_tokens, chat usage): one
// token per four bytes of UTF-8, at least one. An approximation, not a tokenizer.
std::uint64_t estimateTokens(std::string_view text);

}  // namespace ajuste::emulator
