#include "ingest_common/decompress.hpp"

namespace ajuste::ingest {
namespace {

constexpr std::string_view kGzipMagic = "\x1F\x8B";
constexpr std::string_view kZstdMagic = "\x28\xB5\x2F\xFD";

constexpr std::string_view kSuffixes[] = {".gz", ".zst", ".zstd"};

}  // namespace

std::string_view toString(Compression compression) {
  switch (compression) {
    case Compression::kGzip: return "gzip";
    case Compression::kZstd: return "zstd";
    case Compression::kNone: break;
  }
  return "none";
}

Compression compressionFromMagic(std::string_view first_bytes) {
  if (first_bytes.starts_with(kGzipMagic)) return Compression::kGzip;
  if (first_bytes.starts_with(kZstdMagic)) return Compression::kZstd;
  return Compression::kNone;
}

Compression compressionFromName(std::string_view file_name) {
  if (file_name.ends_with(".gz")) return Compression::kGzip;
  if (file_name.ends_with(".zst") || file_name.ends_with(".zstd")) return Compression::kZstd;
  return Compression::kNone;
}

std::string_view withoutCompressionSuffix(std::string_view file_name) {
  for (const std::string_view suffix : kSuffixes) {
    if (file_name.ends_with(suffix)) return file_name.substr(0, file_name.size() - suffix.size());
  }
  return file_name;
}

}  // namespace ajuste::ingest
