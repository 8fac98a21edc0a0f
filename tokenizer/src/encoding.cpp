#include "ajuste/tokenizer/encoding.hpp"

#include <stdexcept>

#include "byte_pair.hpp"
#include "embedded_ranks.hpp"
#include "encoding_data.hpp"
#include "piece_cache.hpp"
#include "rank_cache.hpp"

namespace ajuste {

namespace {

using tokenizer_detail::EncodingData;
using tokenizer_detail::RankTable;

// Pieces longer than any token skip hashing: a million-space piece would otherwise be hashed.
std::uint64_t pieceHash(const EncodingData& data, std::string_view piece) {
  return piece.size() <= data.ranks.maxTokenSize() ? RankTable::hash(piece.data(), piece.size()) : 0;
}

// A piece that is not a whole token: from this thread's cache, else by BPE (then cached).
void encodeSplitPiece(const EncodingData& data, tokenizer_detail::RankCache& ranks, std::string_view piece,
                      std::uint64_t hash, std::vector<std::uint32_t>& out) {
  if (piece.size() > tokenizer_detail::PieceCache::kMaxPieceSize) {
    tokenizer_detail::bytePairEncode(ranks, piece, out);
    return;
  }
  tokenizer_detail::PieceCache& cache = tokenizer_detail::threadPieceCache();
  if (cache.lookup(&data, hash, piece, out)) return;
  const std::size_t before = out.size();
  tokenizer_detail::bytePairEncode(ranks, piece, out);
  cache.store(&data, hash, piece, out.data() + before, out.size() - before);
}

// Most pieces are whole tokens, so one lookup (usually in this thread's rank cache) settles
// them; the rest go through BPE.
void encodePieces(const EncodingData& data, std::string_view text, std::vector<std::uint32_t>& out) {
  tokenizer_detail::RankCache& cache = tokenizer_detail::threadRankCache(data.ranks);
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t end = data.pieceEnd(text, pos);
    const std::string_view piece = text.substr(pos, end - pos);
    if (const std::uint32_t r = cache.find(piece.data(), piece.size()); r != RankTable::kNoRank) {
      out.push_back(r);
    } else {
      encodeSplitPiece(data, cache, piece, pieceHash(data, piece), out);
    }
    pos = end;
  }
}

std::unique_ptr<const EncodingData> loadData(EncodingName name) {
  tokenizer_detail::PieceEndFn pieceEnd = name == EncodingName::kO200kBase ? &tokenizer_detail::o200kPieceEnd
                                                                          : &tokenizer_detail::cl100kPieceEnd;
  return std::make_unique<const EncodingData>(
      EncodingData{RankTable(tokenizer_detail::embeddedRankText(name)), pieceEnd});
}

}  // namespace

namespace tokenizer_detail {
PieceCache& threadPieceCache() {
  thread_local std::unique_ptr<PieceCache> cache;
  if (!cache) cache = std::make_unique<PieceCache>();
  return *cache;
}
}  // namespace tokenizer_detail

Encoding::Encoding(EncodingName name, std::unique_ptr<const tokenizer_detail::EncodingData> data)
    : name_(name), data_(std::move(data)) {}

Encoding::~Encoding() = default;

const Encoding& Encoding::get(EncodingName name) {
  // Function-local statics: built on first use, thread-safe initialisation, no static-init order.
  switch (name) {
    case EncodingName::kO200kBase: {
      static const Encoding o200k(name, loadData(name));
      return o200k;
    }
    case EncodingName::kCl100kBase: {
      static const Encoding cl100k(name, loadData(name));
      return cl100k;
    }
  }
  throw std::invalid_argument("tokenizer: unknown EncodingName");
}

std::optional<EncodingName> Encoding::parseName(std::string_view name) {
  if (name == "o200k_base") return EncodingName::kO200kBase;
  if (name == "cl100k_base") return EncodingName::kCl100kBase;
  return std::nullopt;
}

std::string_view Encoding::toString(EncodingName name) {
  switch (name) {
    case EncodingName::kO200kBase:
      return "o200k_base";
    case EncodingName::kCl100kBase:
      return "cl100k_base";
  }
  return "unknown";
}

std::string_view Encoding::name() const { return toString(name_); }

std::size_t Encoding::rankCount() const { return data_->ranks.size(); }

void Encoding::encodeOrdinary(std::string_view utf8, std::vector<std::uint32_t>& out) const {
  encodePieces(*data_, utf8, out);
}

std::vector<std::uint32_t> Encoding::encodeOrdinary(std::string_view utf8) const {
  std::vector<std::uint32_t> out;
  out.reserve(utf8.size() / 3);
  encodePieces(*data_, utf8, out);
  return out;
}

std::size_t Encoding::countOrdinary(std::string_view utf8) const {
  // Whole-token pieces are only counted; the scratch vector collects BPE output, reused per thread.
  thread_local std::vector<std::uint32_t> scratch;
  const EncodingData& data = *data_;
  tokenizer_detail::RankCache& cache = tokenizer_detail::threadRankCache(data.ranks);
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < utf8.size();) {
    const std::size_t end = data.pieceEnd(utf8, pos);
    const std::string_view piece = utf8.substr(pos, end - pos);
    if (cache.find(piece.data(), piece.size()) != RankTable::kNoRank) {
      ++count;
    } else {
      scratch.clear();
      encodeSplitPiece(data, cache, piece, pieceHash(data, piece), scratch);
      count += scratch.size();
    }
    pos = end;
  }
  return count;
}

std::string Encoding::decode(std::span<const std::uint32_t> ids) const {
  std::string out;
  for (const std::uint32_t id : ids) {
    if (id >= data_->ranks.size()) {
      throw std::out_of_range("tokenizer: id " + std::to_string(id) + " is not an ordinary token of " +
                              std::string(name()) + " (0.." + std::to_string(data_->ranks.size() - 1) + ")");
    }
    out += data_->ranks.bytesOf(id);
  }
  return out;
}

}  // namespace ajuste
