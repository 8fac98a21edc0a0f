#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ajuste/status.hpp"
#include "ingest_common/byte_stream.hpp"

namespace ajuste::ingest {

enum class Compression { kNone, kGzip, kZstd };

// "none", "gzip", "zstd"
[[nodiscard]] std::string_view toString(Compression compression);

// What the first bytes of an input say it is (gzip 1F 8B, zstd 28 B5 2F FD). Magic bytes decide,
// not names: a gzip file called .csv is still read, and a .gz file that is not gzip is an error.
[[nodiscard]] Compression compressionFromMagic(std::string_view first_bytes);
// What a file name promises (".gz", ".zst", ".zstd"), to check against the magic bytes.
[[nodiscard]] Compression compressionFromName(std::string_view file_name);
// `file_name` without a compression suffix: "reviews.csv.gz" -> "reviews.csv".
[[nodiscard]] std::string_view withoutCompressionSuffix(std::string_view file_name);

// Decompressing streams over `compressed`. Memory stays bounded: zlib's 32 KiB window, zstd's
// window (up to 128 MiB, zstd's default limit; a frame asking for more is refused), and one
// input buffer each. Concatenated gzip members and zstd frames are read as one stream. A
// truncated or corrupt stream is a data error naming `name` and the compressed byte position.
[[nodiscard]] std::unique_ptr<ByteStream> gunzipStream(std::unique_ptr<ByteStream> compressed, std::string name);
[[nodiscard]] std::unique_ptr<ByteStream> unzstdStream(std::unique_ptr<ByteStream> compressed, std::string name);

}  // namespace ajuste::ingest
