#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "rank_cache.hpp"
#include "rank_table.hpp"

namespace ajuste::tokenizer_detail {

// Pieces from this length on use the O(n log n) heap merge instead of the quadratic scan.
// Both give identical output; 100 is where tiktoken switches too.
inline constexpr std::size_t kLargePieceSize = 100;

// tiktoken's byte_pair_encode: repeatedly merge the adjacent pair whose concatenated BYTES have
// the lowest rank (leftmost on ties) until no pair is a token, then append each part's rank.
// `piece` must be non-empty; any bytes are fine (every single byte has a rank).
void bytePairEncode(const RankTable& ranks, std::string_view piece, std::vector<std::uint32_t>& out);

// The same, with this thread's cache of `ranks` already at hand (see rank_cache.hpp).
void bytePairEncode(RankCache& ranks, std::string_view piece, std::vector<std::uint32_t>& out);

// The two strategies, exposed so tests can check they agree on any input.
void bytePairEncodeSmall(const RankTable& ranks, std::string_view piece, std::vector<std::uint32_t>& out);
void bytePairEncodeLarge(const RankTable& ranks, std::string_view piece, std::vector<std::uint32_t>& out);

}  // namespace ajuste::tokenizer_detail
