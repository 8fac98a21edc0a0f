#pragma once

#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "ajuste/batch.hpp"
#include "ajuste/record.hpp"

namespace ajuste::clean_text {

// Why a cleaning stage rejects an example: `kind` is the stable key summaries count by
// ("too_long", "pii_email"), `reason` what the user reads next to the record's provenance.
struct RecordProblem {
  std::string kind;
  std::string reason;
};

// What the three cleaning stages do per batch: `check(example)` -> std::optional<RecordProblem>
// looks at (and may edit) each live record's example in input order, and a record it finds a
// problem in is rejected with that reason and kind. A template so the check is inlined: it runs
// once per record.
template <class Check>
void rejectProblems(Batch& batch, Check&& check) {
  for (Record& record : batch) {
    if (std::optional<RecordProblem> problem = check(record.value)) {
      batch.reject(record, std::move(problem->reason), std::move(problem->kind));
    }
  }
}

}  // namespace ajuste::clean_text
