#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ajuste/context.hpp"
#include "ajuste/status.hpp"

namespace ajuste::provider {

// A training or validation file on disk, identified by its content.
struct LocalFile {
  std::filesystem::path path;
  std::string sha256;  // of the bytes: the ledger's key, and part of the job's ajuste_key
  std::uint64_t bytes = 0;
  std::string upload_name;  // "<stem>-<first 12 hex of sha256>.jsonl": the name it gets on the provider
};

// Hashes the file and names it. The name carries the content hash, so a file found on the
// provider with that name and size holds these very bytes and can be adopted.
Result<LocalFile> describeLocalFile(const std::filesystem::path& path);

// "train-3f2a9c01b7d4.jsonl" for ("/x/train.jsonl", "3f2a9c01b7d4...").
std::string uploadName(const std::filesystem::path& path, std::string_view sha256);

// The file a file artifact names: a path string, or an object with a "path" (split/random
// publishes {path, records, bytes, sha256}; its sha256 is used when its bytes match the file,
// so a large file is hashed once). Relative paths start from the pipeline's folder. Nothing
// when the artifact is absent, null, or names an empty file (a validation split may be empty).
Result<std::optional<LocalFile>> fileArtifact(Context& ctx, std::string_view name);

}  // namespace ajuste::provider
