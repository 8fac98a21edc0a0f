#pragma once

#include "pretokenizer.hpp"
#include "rank_table.hpp"

namespace ajuste::tokenizer_detail {

// Everything an Encoding needs: its ranks and the matcher of its split pattern.
struct EncodingData {
  RankTable ranks;
  PieceEndFn pieceEnd;
};

}  // namespace ajuste::tokenizer_detail
