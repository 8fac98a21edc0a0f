#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ajuste/record.hpp"

namespace ajuste::record_text {

// simdjson (Debian: libsimdjson-dev), behind a header that does not need it: checks a JSON text,
// or builds from it the nlohmann::json value nlohmann::json::parse builds from the same text
// (objects keep the last of duplicate keys; integers are number_unsigned when non-negative and
// number_integer when negative), about four times faster.
//
// Texts of up to 1 MiB only: the parser keeps buffers sized for the largest text it has seen
// (several times its size), so memory stays bounded per thread. Threads: one parser serves one
// thread at a time.
class FastParser {
 public:
  static constexpr std::size_t kMaxBytes = std::size_t{1} << 20;
  // Arrays and objects nested deeper are refused (later stages recurse once per level).
  static constexpr std::size_t kMaxDepth = 512;

  FastParser();
  ~FastParser();
  FastParser(const FastParser&) = delete;
  FastParser& operator=(const FastParser&) = delete;

  // The value of `text`, or nullopt when nlohmann must read it: simdjson refused it (not JSON,
  // not UTF-8, too deep), it is longer than kMaxBytes, or its reading may differ (a negative
  // zero integer). `text` is parsed in place when its capacity leaves simdjson's padding.
  [[nodiscard]] std::optional<nlohmann::json> parse(const std::string& text);
  // Whether `text` is a JSON object simdjson accepts (so nlohmann::json::parse reads it too) of
  // at most kMaxBytes.
  [[nodiscard]] bool isObject(const std::string& text);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// `ensureValue` with this thread's FastParser: the value of a record held as text only.
void buildValue(Record& record);

}  // namespace ajuste::record_text
