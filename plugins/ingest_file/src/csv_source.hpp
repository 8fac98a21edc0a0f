#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ajuste/batch.hpp"
#include "ajuste/context.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"
#include "csv_file.hpp"
#include "ingest_common/input_files.hpp"
#include "ingest_common/input_sequence.hpp"
#include "ingest_common/mapping.hpp"

namespace ajuste::ingest_file {

// ingest/csv: one record per data row of one or more CSV/TSV files (RFC 4180), optionally
// mapped into chat examples.
//
// `read` (serial) streams the inputs one after another, in the order expandInputs gives, and
// turns rows into records ({column: text}) or rejects; `decode` (parallel, stateless) applies
// the mapping. Provenance: the file as the user named it, the line where the row starts, the
// row's 0-based index among the file's data rows, and its byte offset (decompressed).
class CsvSource final : public SourceStage {
 public:
  [[nodiscard]] static const StageInfo& info();

  CsvSource(CsvSettings settings, std::vector<ingest::InputFile> inputs, std::optional<ingest::Mapping> mapping);

  [[nodiscard]] Result<bool> read(Batch& batch, Context& ctx) override;
  [[nodiscard]] Status decode(Batch& batch, Context& ctx) override;

 private:
  ingest::InputSequence<CsvFile> inputs_;
  const std::optional<ingest::Mapping> mapping_;
};

}  // namespace ajuste::ingest_file
