#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "ajuste/batch.hpp"
#include "ajuste/context.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"
#include "ingest_common/input_files.hpp"
#include "ingest_common/input_sequence.hpp"
#include "ingest_common/mapping.hpp"
#include "json_file.hpp"

namespace ajuste::ingest_file {

struct JsonSettings {
  JsonArrayFormat format;
  std::size_t buffer_bytes = ingest::TextInput::kDefaultBufferBytes;  // tests shrink it
};

// ingest/json: one record per element of a JSON array document ([{...}, {...}]), optionally
// mapped into chat examples.
//
// `read` (serial) streams the inputs one after another and cuts each array into element texts
// (JsonArrayReader), so memory is bounded by max_record_bytes, not by the document; `decode`
// (parallel, stateless) checks UTF-8, parses each element, keeps objects and applies the mapping.
// Provenance: the file, the line of the element's first byte, its 0-based index in the array,
// its byte offset (decompressed).
class JsonSource final : public SourceStage {
 public:
  [[nodiscard]] static const StageInfo& info();

  JsonSource(JsonSettings settings, std::vector<ingest::InputFile> inputs, std::optional<ingest::Mapping> mapping);

  [[nodiscard]] Result<bool> read(Batch& batch, Context& ctx) override;
  [[nodiscard]] Status decode(Batch& batch, Context& ctx) override;

 private:
  ingest::InputSequence<JsonFile> inputs_;
  const std::optional<ingest::Mapping> mapping_;
};

}  // namespace ajuste::ingest_file
