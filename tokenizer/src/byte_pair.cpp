#include "byte_pair.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <stdexcept>

#include "rank_cache.hpp"

namespace ajuste::tokenizer_detail {

namespace {

constexpr std::uint32_t kNoRank = RankTable::kNoRank;

void appendByteRanks(RankCache& cache, std::string_view bytes, std::vector<std::uint32_t>& out) {
  const std::uint32_t r = cache.find(bytes.data(), bytes.size());
  // Only reachable with a rank file missing a single byte, which the constructor rejects.
  if (r == kNoRank) throw std::logic_error("tokenizer: BPE produced a part that is not a token");
  out.push_back(r);
}

// Scratch of up to this many bytes stays allocated between pieces (about 2 MB).
constexpr std::size_t kKeptScratchSize = std::size_t{1} << 16;

struct LargeScratch {
  std::vector<std::size_t> next;
  std::vector<std::size_t> prev;
  std::vector<std::uint32_t> rank;
  std::vector<std::uint8_t> alive;
  std::vector<std::uint64_t> heap;
};

}  // namespace

RankCache& threadRankCache(const RankTable& ranks) {
  thread_local std::vector<std::unique_ptr<RankCache>> caches;
  for (const auto& cache : caches) {
    if (cache->serves(ranks)) return *cache;
  }
  // A table freed and rebuilt elsewhere leaves a stale cache: drop it rather than grow forever.
  std::erase_if(caches, [&](const auto& cache) { return &cache->table() == &ranks; });
  caches.push_back(std::make_unique<RankCache>(ranks));
  return *caches.back();
}

namespace {

void encodeSmall(RankCache& cache, std::string_view piece, std::vector<std::uint32_t>& out) {
  const std::size_t n = piece.size();
  if (n == 1) {
    appendByteRanks(cache, piece, out);
    return;
  }
  // Part k starts at start[k]; pair[k] is the rank of part k joined with part k+1. The two
  // sentinel parts at the end keep the index arithmetic free of bounds checks, as in tiktoken.
  // Separate arrays keep the scan for the lowest rank a dense, vectorisable pass. Stack storage
  // for the usual short pieces (tests also feed longer ones here).
  std::array<std::uint32_t, kLargePieceSize + 1> local_start;
  std::array<std::uint32_t, kLargePieceSize + 1> local_pair;
  std::vector<std::uint32_t> spill;
  std::uint32_t* start = local_start.data();
  std::uint32_t* pair = local_pair.data();
  if (n + 1 > local_start.size()) {
    spill.resize(2 * (n + 1));
    start = spill.data();
    pair = spill.data() + n + 1;
  }
  std::size_t count = 0;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    start[count] = static_cast<std::uint32_t>(i);
    pair[count++] = cache.find(piece.data() + i, 2);
  }
  start[count] = static_cast<std::uint32_t>(n - 1);
  pair[count++] = kNoRank;
  start[count] = static_cast<std::uint32_t>(n);
  pair[count++] = kNoRank;

  auto pairRank = [&](std::size_t k) {
    if (k + 3 >= count) return kNoRank;
    return cache.find(piece.data() + start[k], start[k + 3] - start[k]);
  };
  for (;;) {
    std::uint32_t best = kNoRank;
    for (std::size_t k = 0; k + 1 < count; ++k) best = std::min(best, pair[k]);
    if (best == kNoRank) break;
    std::size_t at = 0;
    while (pair[at] != best) ++at;  // the leftmost of equal ranks wins
    if (at > 0) pair[at - 1] = pairRank(at - 1);
    pair[at] = pairRank(at);
    std::copy(start + at + 2, start + count, start + at + 1);
    std::copy(pair + at + 2, pair + count, pair + at + 1);
    --count;
  }
  for (std::size_t k = 0; k + 1 < count; ++k) {
    appendByteRanks(cache, piece.substr(start[k], start[k + 1] - start[k]), out);
  }
}

void encodeLarge(RankCache& cache, std::string_view piece, std::vector<std::uint32_t>& out) {
  const std::size_t n = piece.size();
  if (n == 1) {
    appendByteRanks(cache, piece, out);
    return;
  }
  // Parts form a doubly linked list over byte positions; a part is named by its start. The
  // heap holds candidate merges packed as rank << 32 | start, so the smallest key is the lowest
  // rank, leftmost on ties. An entry is stale when its part is gone or its pair rank changed
  // since (a merge always lengthens a pair, so its rank changes too).
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  if (n >= (std::size_t{1} << 32)) throw std::length_error("tokenizer: piece of 4 GiB or more");
  // Reused per thread: pieces of 100 bytes and more are common in CJK text.
  thread_local LargeScratch scratch;
  std::vector<std::size_t>& next = scratch.next;
  std::vector<std::size_t>& prev = scratch.prev;
  std::vector<std::uint32_t>& rank = scratch.rank;
  std::vector<std::uint8_t>& alive = scratch.alive;
  std::vector<std::uint64_t>& heap = scratch.heap;
  next.resize(n);
  prev.resize(n);
  rank.assign(n, kNoRank);
  alive.assign(n, 1);
  heap.clear();
  for (std::size_t i = 0; i < n; ++i) {
    next[i] = i + 1 < n ? i + 1 : kNone;
    prev[i] = i > 0 ? i - 1 : kNone;
  }
  auto endOf = [&](std::size_t start) { return next[start] == kNone ? n : next[start]; };
  auto pairRank = [&](std::size_t start) {
    const std::size_t second = next[start];
    if (second == kNone) return kNoRank;
    return cache.find(piece.data() + start, endOf(second) - start);
  };
  auto push = [&](std::uint32_t r, std::size_t start) {
    heap.push_back(static_cast<std::uint64_t>(r) << 32 | start);
    std::push_heap(heap.begin(), heap.end(), std::greater<>{});
  };
  for (std::size_t i = 0; i + 1 < n; ++i) {
    rank[i] = cache.find(piece.data() + i, 2);
    if (rank[i] != kNoRank) heap.push_back(static_cast<std::uint64_t>(rank[i]) << 32 | i);
  }
  std::make_heap(heap.begin(), heap.end(), std::greater<>{});
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
    const std::uint64_t top = heap.back();
    heap.pop_back();
    const auto r = static_cast<std::uint32_t>(top >> 32);
    const auto start = static_cast<std::size_t>(top & 0xFFFFFFFFu);
    if (!alive[start] || rank[start] != r) continue;
    const std::size_t gone = next[start];
    alive[gone] = 0;
    next[start] = next[gone];
    if (next[gone] != kNone) prev[next[gone]] = start;
    rank[start] = pairRank(start);
    if (rank[start] != kNoRank) push(rank[start], start);
    if (const std::size_t before = prev[start]; before != kNone) {
      rank[before] = pairRank(before);
      if (rank[before] != kNoRank) push(rank[before], before);
    }
  }
  for (std::size_t s = 0; s != kNone; s = next[s]) appendByteRanks(cache, piece.substr(s, endOf(s) - s), out);
  if (n > kKeptScratchSize) scratch = LargeScratch{};  // a huge piece does not pin its memory
}

}  // namespace

void bytePairEncodeSmall(const RankTable& ranks, std::string_view piece, std::vector<std::uint32_t>& out) {
  encodeSmall(threadRankCache(ranks), piece, out);
}

void bytePairEncodeLarge(const RankTable& ranks, std::string_view piece, std::vector<std::uint32_t>& out) {
  encodeLarge(threadRankCache(ranks), piece, out);
}

void bytePairEncode(RankCache& ranks, std::string_view piece, std::vector<std::uint32_t>& out) {
  if (piece.size() <= kLargePieceSize - 1) {
    encodeSmall(ranks, piece, out);
  } else {
    encodeLarge(ranks, piece, out);
  }
}

void bytePairEncode(const RankTable& ranks, std::string_view piece, std::vector<std::uint32_t>& out) {
  bytePairEncode(threadRankCache(ranks), piece, out);
}

}  // namespace ajuste::tokenizer_detail
