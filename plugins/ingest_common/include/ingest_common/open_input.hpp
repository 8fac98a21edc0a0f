#pragma once

#include <memory>

#include "ajuste/status.hpp"
#include "ingest_common/byte_stream.hpp"
#include "ingest_common/decompress.hpp"
#include "ingest_common/input_files.hpp"

namespace ajuste::ingest {

struct OpenedInput {
  std::unique_ptr<ByteStream> stream;  // the decompressed bytes
  Compression compression = Compression::kNone;
};

// Opens `file` and decompresses it when its first bytes are gzip or zstd. A name that promises
// compression (.gz, .zst) on a file without the magic bytes is a data error saying what the
// file starts with: reading it as text would only produce confusing rejects.
[[nodiscard]] Result<OpenedInput> openInput(const InputFile& file);

// The same over any stream (tests and fuzzers); `name` is used in messages.
[[nodiscard]] Result<OpenedInput> openStream(std::unique_ptr<ByteStream> raw, const std::string& name);

}  // namespace ajuste::ingest
