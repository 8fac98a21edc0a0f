#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ajuste/record.hpp"
#include "ajuste/status.hpp"
#include "ingest_common/mapping.hpp"

namespace ajuste::ingest {

// The first records of one input, read by a source's factory before the run.
struct InputSample {
  std::string source;                               // the input as provenance names it
  std::vector<Record> records;                      // decoded object records, in input order
  std::optional<std::vector<std::string>> columns;  // CSV: the header; JSON: none (keys come from records)
};

// Catches a mapping that does not fit the data before anything runs (`ajuste validate` calls
// the factories too). A config error, pointing at the option that does not fit, when:
// - a field the mapping needs is not a column of the input (CSV), or is in none of the sampled
//   records (JSON); the message lists every such field and the columns or keys that were found;
// - the mapping fails on every sampled record (say a plural over a column of words); the
//   message gives the first record's reason.
// A record that merely lacks a field is a reject later, not an error here. An empty sample
// passes: there is nothing to judge.
[[nodiscard]] Status checkMappingFits(const Mapping& mapping, const InputSample& sample);

}  // namespace ajuste::ingest
