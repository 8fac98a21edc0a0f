#pragma once

namespace ajuste::emulator {

// Which face of the service a request came through; it decides status codes, state names and
// error shapes (docs/emulator.md, "Azure differences").
enum class Dialect {
  kOpenAi,   // /v1/...
  kAzure,    // /openai/...?api-version=...  (dated Azure OpenAI API)
  kAzureV1,  // /openai/v1/...  (Azure's OpenAI-compatible v1 API)
};

inline bool isAzure(Dialect dialect) { return dialect != Dialect::kOpenAi; }

}  // namespace ajuste::emulator
