#pragma once

#include <string_view>

#include "ajuste/tokenizer/encoding.hpp"

namespace ajuste::tokenizer_detail {

// The official .tiktoken text of an encoding, linked into the library (see
// embedded_ranks.cpp.in); its SHA-256 was checked when the build unpacked it.
std::string_view embeddedRankText(EncodingName name) noexcept;

}  // namespace ajuste::tokenizer_detail
