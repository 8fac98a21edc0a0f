#include "hashing/sha256.hpp"

#include "hashing/background_sha256.hpp"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

namespace ajuste::hashing {
namespace {

// FIPS 180-4 / NIST CAVP examples.
TEST(Sha256, MatchesTheStandardTestVectors) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256Hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, GivesTheSameDigestWhateverTheChunking) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += static_cast<char>('a' + i % 26);
  const std::string expected = sha256Hex(text);
  for (const std::size_t chunk : {1u, 3u, 55u, 56u, 63u, 64u, 65u, 127u}) {
    Sha256 hash;
    for (std::size_t at = 0; at < text.size(); at += chunk) hash.update(std::string_view(text).substr(at, chunk));
    EXPECT_EQ(hash.hexDigest(), expected) << "chunk " << chunk;
  }
}

// More than kMaxChunks chunks' worth, in pieces of every size around the chunk size, so the
// hand-over waits for room and splits pieces across chunks.
TEST(BackgroundSha256, GivesTheDigestOfEverythingItWasGivenInOrder) {
  std::string text;
  for (std::size_t i = 0; text.size() < (BackgroundSha256::kMaxChunks + 3) * BackgroundSha256::kChunkBytes; ++i) {
    text += static_cast<char>('a' + (i * 7 + i / 26) % 26);
  }
  const std::string expected = sha256Hex(text);
  for (const std::size_t piece : {std::size_t{1000}, BackgroundSha256::kChunkBytes - 1, BackgroundSha256::kChunkBytes + 17}) {
    BackgroundSha256 hash;
    for (std::size_t at = 0; at < text.size(); at += piece) hash.update(std::string_view(text).substr(at, piece));
    EXPECT_EQ(hash.hexDigest(), expected) << "pieces of " << piece;
  }
  BackgroundSha256 empty;
  EXPECT_EQ(empty.hexDigest(), sha256Hex(""));
  { BackgroundSha256 abandoned; abandoned.update("x"); }  // destroyed without a digest: joins, no hang
}

// A writer that gathers its own chunks moves them in (take); copied pieces given in between
// keep their place in the order.
TEST(BackgroundSha256, TakesWholeChunksInOrderWithCopiedPieces) {
  std::string text;
  for (std::size_t i = 0; text.size() < (BackgroundSha256::kMaxChunks + 5) * BackgroundSha256::kChunkBytes; ++i) {
    text += static_cast<char>('a' + (i * 11 + i / 26) % 26);
  }
  BackgroundSha256 hash;
  std::size_t at = 0;
  for (std::size_t round = 0; at < text.size(); ++round) {
    if (round % 3 == 2) {  // a copied piece between two moved chunks
      const std::size_t piece = std::min<std::size_t>(777, text.size() - at);
      hash.update(std::string_view(text).substr(at, piece));
      at += piece;
      continue;
    }
    std::string chunk = hash.spareChunk();
    ASSERT_TRUE(chunk.empty());
    ASSERT_GE(chunk.capacity(), BackgroundSha256::kChunkBytes);
    chunk.append(std::string_view(text).substr(at, BackgroundSha256::kChunkBytes));
    at += chunk.size();
    hash.take(std::move(chunk));
  }
  hash.take(std::string());  // nothing to hash: changes nothing
  EXPECT_EQ(hash.hexDigest(), sha256Hex(text));
}

// The buffer of a chunk taken and hashed comes back, emptied, as the next spare: the final
// pass allocates a handful of chunks for a gigabyte, not one per chunk.
TEST(BackgroundSha256, GivesTheBufferOfAHashedChunkBackAsASpare) {
  BackgroundSha256 hash;
  std::string chunk = hash.spareChunk();
  chunk.assign(BackgroundSha256::kChunkBytes, 'x');
  const char* const buffer = chunk.data();
  hash.take(std::move(chunk));
  EXPECT_EQ(hash.hexDigest(), sha256Hex(std::string(BackgroundSha256::kChunkBytes, 'x')));  // waits for the hashing
  const std::string spare = hash.spareChunk();
  EXPECT_TRUE(spare.empty());
  EXPECT_EQ(spare.data(), buffer);
}

}  // namespace
}  // namespace ajuste::hashing
