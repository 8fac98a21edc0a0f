#include "byte_pair.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <stdexcept>

namespace ajuste::tokenizer_detail {

namespace {

constexpr std::uint32_t kNoRank = RankTable::kNoRank;

void appendByteRanks(const RankTable& ranks, std::string_view bytes, std::vector<std::uint32_t>& out) {
  const std::uint32_t r = ranks.find(bytes);
  // Only reachable with a rank file missing a single byte, which the constructor rejects.
  if (r == kNoRank) throw std::logic_error("tokenizer: BPE produced a part that is not a token");
  out.push_back(r);
}

}  // namespace

void bytePairEncodeSmall(const RankTable& ranks, std::string_view piece, std::vector<std::uint32_t>& out) {
  const std::size_t n = piece.size();
  if (n == 1) {
    appendByteRanks(ranks, piece, out);
    return;
  }
  // Part k starts at parts[k].start; parts[k].rank is the rank of part k joined with part k+1.
  // The two sentinel parts at the end keep the index arithmetic free of bounds checks, as in
  // tiktoken. Stack storage for the usual short pieces (tests also feed longer ones here).
  struct Part {
    std::uint32_t start;
    std::uint32_t rank;
  };
  std::array<Part, kLargePieceSize + 1> local;
  std::vector<Part> spill;
  Part* parts = local.data();
  if (n + 1 > local.size()) {
    spill.resize(n + 1);
    parts = spill.data();
  }
  std::size_t count = 0;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    parts[count++] = {static_cast<std::uint32_t>(i), ranks.find(piece.data() + i, 2)};
  }
  parts[count++] = {static_cast<std::uint32_t>(n - 1), kNoRank};
  parts[count++] = {static_cast<std::uint32_t>(n), kNoRank};

  auto pairRank = [&](std::size_t k) {
    if (k + 3 >= count) return kNoRank;
    return ranks.find(piece.data() + parts[k].start, parts[k + 3].start - parts[k].start);
  };
  for (;;) {
    std::uint32_t best = kNoRank;
    std::size_t at = 0;
    for (std::size_t k = 0; k + 1 < count; ++k) {
      if (parts[k].rank < best) {  // strict: the leftmost of equal ranks wins
        best = parts[k].rank;
        at = k;
      }
    }
    if (best == kNoRank) break;
    if (at > 0) parts[at - 1].rank = pairRank(at - 1);
    parts[at].rank = pairRank(at);
    std::copy(parts + at + 2, parts + count, parts + at + 1);
    --count;
  }
  for (std::size_t k = 0; k + 1 < count; ++k) {
    appendByteRanks(ranks, piece.substr(parts[k].start, parts[k + 1].start - parts[k].start), out);
  }
}

void bytePairEncodeLarge(const RankTable& ranks, std::string_view piece, std::vector<std::uint32_t>& out) {
  const std::size_t n = piece.size();
  if (n == 1) {
    appendByteRanks(ranks, piece, out);
    return;
  }
  // Parts form a doubly linked list over byte positions; a part is named by its start. The
  // heap holds candidate merges packed as rank << 32 | start, so the smallest key is the lowest
  // rank, leftmost on ties. An entry is stale when its part is gone or its pair rank changed
  // since (a merge always lengthens a pair, so its rank changes too).
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  if (n >= (std::size_t{1} << 32)) throw std::length_error("tokenizer: piece of 4 GiB or more");
  std::vector<std::size_t> next(n);
  std::vector<std::size_t> prev(n);
  std::vector<std::uint32_t> rank(n, kNoRank);
  std::vector<std::uint8_t> alive(n, 1);
  for (std::size_t i = 0; i < n; ++i) {
    next[i] = i + 1 < n ? i + 1 : kNone;
    prev[i] = i > 0 ? i - 1 : kNone;
  }
  auto endOf = [&](std::size_t start) { return next[start] == kNone ? n : next[start]; };
  auto pairRank = [&](std::size_t start) {
    const std::size_t second = next[start];
    if (second == kNone) return kNoRank;
    return ranks.find(piece.data() + start, endOf(second) - start);
  };
  std::vector<std::uint64_t> heap;
  heap.reserve(n);
  auto push = [&](std::uint32_t r, std::size_t start) {
    heap.push_back(static_cast<std::uint64_t>(r) << 32 | start);
    std::push_heap(heap.begin(), heap.end(), std::greater<>{});
  };
  for (std::size_t i = 0; i + 1 < n; ++i) {
    rank[i] = ranks.find(piece.data() + i, 2);
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
  for (std::size_t s = 0; s != kNone; s = next[s]) appendByteRanks(ranks, piece.substr(s, endOf(s) - s), out);
}

void bytePairEncode(const RankTable& ranks, std::string_view piece, std::vector<std::uint32_t>& out) {
  if (piece.size() <= kLargePieceSize - 1) {
    bytePairEncodeSmall(ranks, piece, out);
  } else {
    bytePairEncodeLarge(ranks, piece, out);
  }
}

}  // namespace ajuste::tokenizer_detail
