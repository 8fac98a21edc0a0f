#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ajuste {

// The BPE encodings this library reproduces byte for byte (tiktoken's encode_ordinary).
enum class EncodingName { kO200kBase, kCl100kBase };

namespace tokenizer_detail {
struct EncodingData;
}

// One tiktoken encoding: its rank table and its pre-tokenizer.
//
// Threads: immutable once built; share the one instance from get() between any number of threads.
// Lifetime: instances returned by get() live until the process exits.
//
// Input is UTF-8 bytes. Valid UTF-8 gives exactly tiktoken's ids. For ill-formed UTF-8 each
// maximal ill-formed subpart (the rule of Python's decode(errors="replace") and WHATWG's
// TextDecoder) is classified as one U+FFFD when splitting into pieces, but the piece keeps the
// original bytes, so decode(encode(x)) == x for any bytes. Never throws for bad input.
class Encoding {
 public:
  // Loads the embedded rank data on first use (about 20 ms for o200k_base); later calls are free.
  static const Encoding& get(EncodingName name);
  // "o200k_base" / "cl100k_base"; nullopt for anything else.
  static std::optional<EncodingName> parseName(std::string_view name);
  static std::string_view toString(EncodingName name);

  Encoding(const Encoding&) = delete;
  Encoding& operator=(const Encoding&) = delete;
  ~Encoding();

  // Appends the token ids of `utf8` to `out`, like tiktoken's encode_ordinary: special-token
  // text such as "<|endoftext|>" is ordinary text here.
  void encodeOrdinary(std::string_view utf8, std::vector<std::uint32_t>& out) const;
  std::vector<std::uint32_t> encodeOrdinary(std::string_view utf8) const;
  // Same count as encodeOrdinary(utf8).size(), without building the id vector.
  std::size_t countOrdinary(std::string_view utf8) const;
  // Concatenated bytes of the tokens; throws std::out_of_range for an id that is not a rank.
  std::string decode(std::span<const std::uint32_t> ids) const;

  std::string_view name() const;
  EncodingName id() const { return name_; }
  // Number of ordinary tokens (ranks 0 .. n-1); special tokens are not included.
  std::size_t rankCount() const;

 private:
  Encoding(EncodingName name, std::unique_ptr<const tokenizer_detail::EncodingData> data);

  EncodingName name_;
  std::unique_ptr<const tokenizer_detail::EncodingData> data_;
};

// The encoding OpenAI uses for a model name, following tiktoken's model.py: gpt-4o*, gpt-4.1*,
// gpt-4.5*, gpt-5*, o1/o3/o4* and chatgpt-4o* → o200k_base; gpt-4 (non-o), gpt-3.5-turbo*,
// text-embedding-ada-002/-3-*, davinci-002, babbage-002 → cl100k_base; fine-tuned names
// ("ft:gpt-4o-mini-2024-07-18:org::id") use their base model. nullopt when unknown.
std::optional<EncodingName> encodingForModel(std::string_view model);

}  // namespace ajuste
