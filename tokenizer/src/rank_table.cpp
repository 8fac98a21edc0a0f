#include "rank_table.hpp"

#include <array>
#include <atomic>
#include <charconv>
#include <stdexcept>

namespace ajuste::tokenizer_detail {

namespace {

constexpr std::array<std::int8_t, 256> makeBase64Table() {
  std::array<std::int8_t, 256> t{};
  t.fill(-1);
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  return t;
}
constexpr std::array<std::int8_t, 256> kBase64 = makeBase64Table();

// Appends the decoded bytes of standard padded base64; false if `in` is not such base64.
bool decodeBase64(std::string_view in, std::string& out) {
  if (in.empty() || in.size() % 4 != 0) return false;
  for (std::size_t i = 0; i < in.size(); i += 4) {
    std::uint32_t v = 0;
    int pad = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char ch = in[i + k];
      if (ch == '=' && i + 4 == in.size() && k >= 2) {
        ++pad;
        v <<= 6;
        continue;
      }
      const std::int8_t d = kBase64[static_cast<unsigned char>(ch)];
      if (d < 0 || pad > 0) return false;
      v = (v << 6) | static_cast<std::uint32_t>(d);
    }
    out.push_back(static_cast<char>((v >> 16) & 0xFF));
    if (pad < 2) out.push_back(static_cast<char>((v >> 8) & 0xFF));
    if (pad < 1) out.push_back(static_cast<char>(v & 0xFF));
  }
  return true;
}

[[noreturn]] void malformed(std::size_t lineNo, std::string_view why) {
  throw std::runtime_error("tokenizer rank data, line " + std::to_string(lineNo) + ": " + std::string(why));
}

}  // namespace

RankTable::RankTable(std::string_view text) {
  static std::atomic<std::uint64_t> tables{0};
  id_ = ++tables;
  bytes_.reserve(text.size() / 2);
  offsets_.reserve(text.size() / 16);
  offsets_.push_back(0);
  std::size_t lineNo = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++lineNo;
    if (line.empty()) continue;
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) malformed(lineNo, "expected \"<base64> <rank>\"");
    std::uint32_t rank = 0;
    const std::string_view number = line.substr(space + 1);
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), rank);
    if (ec != std::errc{} || end != number.data() + number.size()) malformed(lineNo, "bad rank number");
    // Dense ranks in file order let token bytes live in one array indexed by rank.
    if (rank != offsets_.size() - 1) malformed(lineNo, "ranks must be 0, 1, 2, ... in order");
    if (!decodeBase64(line.substr(0, space), bytes_)) malformed(lineNo, "bad base64");
    offsets_.push_back(static_cast<std::uint32_t>(bytes_.size()));
  }
  if (size() < 256) malformed(lineNo, "fewer than 256 tokens");
  for (std::uint32_t r = 0; r < size(); ++r) {
    const std::size_t tokenSize = offsets_[r + 1] - offsets_[r];
    if (tokenSize == 0) throw std::runtime_error("tokenizer rank data: empty token at rank " + std::to_string(r));
    if (tokenSize > maxTokenSize_) maxTokenSize_ = tokenSize;
  }

  std::size_t capacity = 1024;
  while (capacity < size() * 2) capacity *= 2;  // load factor <= 0.5 keeps probes short
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  // Insert in home-slot order (a counting sort on the top index bits): the writes then sweep the
  // 8 MB table once instead of missing cache and TLB on every token, which halves load time.
  constexpr unsigned kBucketBits = 12;
  unsigned indexBits = 0;
  while ((std::size_t{1} << indexBits) < capacity) ++indexBits;
  const unsigned shift = indexBits > kBucketBits ? indexBits - kBucketBits : 0;
  std::vector<std::uint32_t> bucketStart((std::size_t{1} << kBucketBits) + 1, 0);
  std::vector<std::uint32_t> home(size());
  for (std::uint32_t r = 0; r < size(); ++r) {
    const std::string_view key = bytesOf(r);
    home[r] = static_cast<std::uint32_t>(hash(key.data(), key.size()) & mask_);
    ++bucketStart[(home[r] >> shift) + 1];
  }
  for (std::size_t b = 1; b < bucketStart.size(); ++b) bucketStart[b] += bucketStart[b - 1];
  std::vector<std::uint32_t> order(size());
  for (std::uint32_t r = 0; r < size(); ++r) order[bucketStart[home[r] >> shift]++] = r;
  for (const std::uint32_t r : order) insert(r, home[r]);
}

void RankTable::insert(std::uint32_t rank, std::size_t homeSlot) {
  const std::string_view key = bytesOf(rank);
  const std::uint64_t head = loadHead(key.data(), key.size());
  for (std::size_t i = homeSlot;; i = (i + 1) & mask_) {
    Slot& slot = slots_[i];
    if (slot.size == 0) {
      slot = Slot{head, rank, static_cast<std::uint32_t>(key.size())};
      return;
    }
    if (slot.size == key.size() && bytesOf(slot.rank) == key) {
      throw std::runtime_error("tokenizer rank data: duplicate token at rank " + std::to_string(rank));
    }
  }
}

}  // namespace ajuste::tokenizer_detail
