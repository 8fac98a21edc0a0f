#include "key_memo.hpp"

#include <charconv>
#include <string>
#include <string_view>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ajuste::clean_dedupe {
namespace {

constexpr const char* kTopic = "content_key";
constexpr std::size_t kFields = 4;  // text hash, settings, hash low, hash high
constexpr std::size_t kDigits = 16;

void appendHex(std::uint64_t value, std::string& out) {
  char digits[kDigits];
  for (std::size_t i = 0; i < kDigits; ++i) digits[kDigits - 1 - i] = "0123456789abcdef"[(value >> (4 * i)) & 0xF];
  out.append(digits, kDigits);
}

std::uint64_t hexAt(std::string_view text, std::size_t field) {
  std::uint64_t value = 0;
  const char* begin = text.data() + field * kDigits;
  std::from_chars(begin, begin + kDigits, value, 16);
  return value;
}

}  // namespace

void rememberContentHash(Record& record, std::uint64_t settings, ContentHash hash) {
  if (!isTextOnly(record)) return;
  std::string memo;
  memo.reserve(kFields * kDigits);
  appendHex(XXH3_64bits(record.text.data(), record.text.size()), memo);
  appendHex(settings, memo);
  appendHex(hash.low, memo);
  appendHex(hash.high, memo);
  if (!record.meta.is_object()) record.meta = nlohmann::json::object();
  record.meta[kTopic] = std::move(memo);
}

std::optional<ContentHash> recallContentHash(const Record& record, std::uint64_t settings) {
  if (!isTextOnly(record) || !record.meta.is_object()) return std::nullopt;
  const auto found = record.meta.find(kTopic);
  if (found == record.meta.end() || !found->is_string()) return std::nullopt;
  const std::string& memo = found->get_ref<const std::string&>();
  if (memo.size() != kFields * kDigits || hexAt(memo, 1) != settings) return std::nullopt;
  if (hexAt(memo, 0) != XXH3_64bits(record.text.data(), record.text.size())) return std::nullopt;
  return ContentHash{hexAt(memo, 2), hexAt(memo, 3)};
}

}  // namespace ajuste::clean_dedupe
