#include "ingest_common/sample_check.hpp"

#include <algorithm>

#include "ingest_common/field_lookup.hpp"

namespace ajuste::ingest {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Keys of the sampled records, in order of first appearance.
std::vector<std::string> keysFound(const std::vector<Record>& records) {
  std::vector<std::string> keys;
  for (const Record& record : records) {
    for (const std::string& key : fieldNames(record.value)) {
      if (!contains(keys, key)) keys.push_back(key);
    }
  }
  return keys;
}

bool inSample(const InputSample& sample, const std::string& field) {
  if (sample.columns) return contains(*sample.columns, field);
  return std::any_of(sample.records.begin(), sample.records.end(),
                     [&](const Record& record) { return lookupField(record.value, field) != nullptr; });
}

Status missingFields(const InputSample& sample, const std::vector<FieldUse>& missing) {
  const std::vector<std::string> found = sample.columns ? *sample.columns : keysFound(sample.records);
  const std::string what = sample.columns ? "column" : "key";
  std::string list;
  for (std::size_t i = 0; i < missing.size(); ++i) {
    list += (i == 0 ? "" : i + 1 == missing.size() ? " nor " : ", ") + ("'" + missing[i].field + "' (needed by " +
                                                                         missing[i].label + ")");
  }
  std::string message =
      sample.columns
          ? "'" + sample.source + "' has no " + what + " " + list + "; its columns are " + listNames(found)
          : "none of the first " + std::to_string(sample.records.size()) + " records of '" + sample.source +
                "' has the " + what + " " + list + "; keys found: " + listNames(found);
  message += didYouMean(missing.front().field, found);
  return Status::configError(missing.front().pointer, std::move(message));
}

}  // namespace

Status checkMappingFits(const Mapping& mapping, const InputSample& sample) {
  if (!sample.columns && sample.records.empty()) return Status::ok();
  std::vector<FieldUse> missing;
  for (const FieldUse& use : mapping.requiredFields()) {
    const bool already = std::any_of(missing.begin(), missing.end(),
                                     [&](const FieldUse& other) { return other.field == use.field; });
    if (!already && !inSample(sample, use.field)) missing.push_back(use);
  }
  if (!missing.empty()) return missingFields(sample, missing);
  if (sample.records.empty()) return Status::ok();

  std::optional<MappingFailure> first_failure;
  const Record* first_record = nullptr;
  for (const Record& record : sample.records) {
    nlohmann::json value = record.value;
    auto failure = mapping.apply(value);
    if (!failure) return Status::ok();
    if (!first_failure) {
      first_failure = std::move(failure);
      first_record = &record;
    }
  }
  return Status::configError(first_failure->pointer,
                             "the mapping fits none of the first " + std::to_string(sample.records.size()) +
                                 " records of '" + sample.source + "'; the first, " + first_record->origin.toString() +
                                 ", says: " + first_failure->reason);
}

}  // namespace ajuste::ingest
