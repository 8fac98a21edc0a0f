#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "ajuste/batch.hpp"
#include "ajuste/context.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"
#include "ingest_common/decompress.hpp"
#include "ingest_common/input_files.hpp"
#include "ingest_common/input_sequence.hpp"
#include "ingest_common/mapping.hpp"
#include "line_decoder.hpp"
#include "line_reader.hpp"

namespace ajuste::ingest_jsonl {

struct JsonlSettings {
  LineFormat format;
  // Not a user option: the read buffer. Tests shrink it so lines cross refills.
  std::size_t buffer_bytes = LineReader::kDefaultBufferBytes;
};

// ingest/jsonl: one record per non-blank line of JSON Lines inputs, optionally mapped into chat
// examples.
//
// `read` (serial) streams the inputs one after another (decompressing gzip and zstd) and cuts
// them into lines (LineReader), never holding more than one line of at most `max_line_bytes`;
// `decode` (parallel, no state shared between batches) checks UTF-8, parses the JSON, keeps only
// objects (LineDecoder) and applies the mapping.
// Provenance: source names the file as ingest_common's expandInputs does; line is 1-based and
// counts every line of the file; index is 0-based within the file and counts the lines that
// became a record or a reject (skipped blank lines do not), as ingest/json's index counts the
// elements of each file; byte_offset is where the line's text starts in the decompressed file
// (after a UTF-8 BOM on line 1).
class JsonlSource final : public SourceStage {
 public:
  [[nodiscard]] static const StageInfo& info();

  // `inputs` as expandInputs gives them (the factory also checks that each one opens).
  JsonlSource(JsonlSettings settings, std::vector<ingest::InputFile> inputs, std::optional<ingest::Mapping> mapping);

  [[nodiscard]] Result<bool> read(Batch& batch, Context& ctx) override;
  [[nodiscard]] Status decode(Batch& batch, Context& ctx) override;

 private:
  ingest::InputSequence<LineReader> inputs_;
  const std::optional<ingest::Mapping> mapping_;
  std::uint64_t blank_lines_counted_ = 0;  // of the file being read, already passed to Context::count

  // Used by decode only (one instance per worker, so never by two threads at once).
  LineDecoder decoder_;
};

}  // namespace ajuste::ingest_jsonl
