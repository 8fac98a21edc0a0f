#include "dedupe_stage.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "key_memo.hpp"

namespace ajuste::clean_dedupe {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kLargestClusters = 10;

// Record::prepared, as prepareRecord writes it.
constexpr char kUnkeyed = '-';
constexpr char kKeyed = '#';
constexpr std::size_t kSignatureAt = 1 + 16;

constexpr std::string_view kSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "fields": {
      "type": "array", "minItems": 1, "items": {"type": "string"}, "default": )json";
constexpr std::string_view kSchemaAfterFields = R"json(,
      "description": "JSON pointers of what records are compared on; the default covers chat, legacy prompt/completion and preference examples. A messages array counts by each message's role, content and tool calls (function name and arguments, not the call id), not by name or weight. A record with none of the fields is kept and counted as unkeyed."
    },
    "collapse_whitespace": {
      "type": "boolean", "default": true,
      "description": "Collapse runs of whitespace (ASCII and Unicode spaces) to one space and trim the ends before comparing."
    },
    "ignore_case": {
      "type": "boolean", "default": false,
      "description": "Compare ASCII letters case-insensitively (other scripts are compared as written)."
    },
    "memory_mb": {
      "type": "integer", "minimum": 1, "maximum": 1048576, "default": 1024,
      "description": "Memory for the dedupe state: about 24-64 bytes per distinct record, plus about 1.3-1.7 KB per kept record with near. Above it the run stops with an error saying so; duplicates are never let through silently."
    },
    "near": )json";
constexpr std::string_view kSchemaEnd = R"json(
  }
})json";

std::string twoDecimals(double similarity) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", similarity);
  return text;
}

Result<std::unique_ptr<Stage>> makeDedupe(const Json& with, Context& /*ctx*/) {
  DedupeOptions options;
  const Json fields = with.value("fields", Json::parse(kDefaultContentFieldsJson));
  for (std::size_t i = 0; i < fields.size(); ++i) {
    auto field = FieldPath::parse(fields[i].get<std::string>(), "/fields/" + std::to_string(i));
    if (!field.ok()) return field.error();
    options.fields.push_back(std::move(field).value());
  }
  options.normalize.collapse_whitespace = with.value("collapse_whitespace", true);
  options.normalize.ignore_case = with.value("ignore_case", false);
  options.memory_bytes = with.value("memory_mb", std::size_t{1024}) * 1024 * 1024;
  if (const auto near = with.find("near"); near != with.end()) {
    auto parsed = parseNearOptions(*near, "/near");
    if (!parsed.ok()) return parsed.error();
    options.near = std::move(parsed).value();
  }
  return std::unique_ptr<Stage>(std::make_unique<DedupeStage>(std::move(options)));
}

}  // namespace

const StageInfo& DedupeStage::info() {
  static const StageInfo kInfo{
      .name = "clean/dedupe",
      .kind = StageKind::kRecords,
      .summary =
          "Rejects duplicate records, keeping the first occurrence in input order. Records are compared on "
          "the configured fields (by default each message's role, content and tool calls) after collapsing whitespace "
          "and, optionally, ASCII case; a repeat is rejected with kind duplicate and a reason naming the "
          "first occurrence (\"duplicate of data.jsonl:25\"). With near, records whose MinHash-estimated "
          "Jaccard similarity to an earlier kept record reaches the threshold are rejected with kind "
          "near_duplicate, naming that record and the similarity. Only 128-bit hashes, signatures and "
          "8-byte provenances are kept, never text, within memory_mb; the report lists duplicate counts "
          "and the largest clusters by source:line.",
      .options_schema = std::string(kSchema) + std::string(kDefaultContentFieldsJson) + std::string(kSchemaAfterFields) + nearOptionsSchema("Also reject near duplicates (MinHash + LSH). Absent: exact duplicates only.") + std::string(kSchemaEnd),
      .consumes = {},
      .produces = {},
      .parallel = false,
      .prepares = true,
      .reads_text = true,
      .keeps_text = true,
      .make = &makeDedupe,
  };
  return kInfo;
}

DedupeStage::DedupeStage(DedupeOptions options)
    : options_(std::move(options)),
      keys_(options_.fields, options_.normalize, options_.near.has_value()),
      key_settings_(keys_.fingerprint()),
      budget_(options_.memory_bytes),
      exact_(budget_),
      clusters_(budget_) {
  if (options_.near) {
    hasher_ = std::make_unique<MinHasher>(options_.near->minhash);
    near_ = std::make_unique<NearIndex>(budget_, options_.near->minhash.permutations, options_.near->bands);
    signature_.resize(options_.near->minhash.permutations);
  }
}

void DedupeStage::prepareRecord(Record& record, Scratch& scratch) const {
  std::string& prepared = record.prepared;
  if (!keys_.build(record, scratch.key)) {
    prepared.assign(1, kUnkeyed);
    return;
  }
  const XXH128_hash_t hash = XXH3_128bits(scratch.key.exact.data(), scratch.key.exact.size());
  rememberContentHash(record, key_settings_, ContentHash{hash.low64, hash.high64});
  const std::size_t signature_bytes = hasher_ ? options_.near->minhash.permutations * sizeof(std::uint32_t) : 0;
  prepared.resize(kSignatureAt + signature_bytes);
  prepared[0] = kKeyed;
  std::memcpy(prepared.data() + 1, &hash.low64, sizeof hash.low64);
  std::memcpy(prepared.data() + 1 + sizeof hash.low64, &hash.high64, sizeof hash.high64);
  if (hasher_) {
    scratch.signature.resize(options_.near->minhash.permutations);
    hasher_->sign(scratch.key.text, scratch.signature.data(), scratch.shingles);
    std::memcpy(prepared.data() + kSignatureAt, scratch.signature.data(), signature_bytes);
  }
}

Status DedupeStage::prepare(Batch& batch, Context& /*ctx*/) const {
  Scratch scratch;
  for (Record& record : batch) prepareRecord(record, scratch);
  return Status::ok();
}

Status DedupeStage::dedupe(Record& record, Batch& batch) {
  if (record.prepared.empty()) {  // a caller that did not prepare: do it here
    Scratch scratch;
    prepareRecord(record, scratch);
  }
  const std::string& prepared = record.prepared;
  if (prepared[0] == kUnkeyed) {
    ++unkeyed_;
    return Status::ok();
  }
  auto ref = refs_.pack(record.origin);
  if (!ref.ok()) return ref.error();
  Hash128 hash;
  std::memcpy(&hash.low, prepared.data() + 1, sizeof hash.low);
  std::memcpy(&hash.high, prepared.data() + 1 + sizeof hash.low, sizeof hash.high);
  // Near mode must not insert before it knows the record is kept: look up first.
  auto first = exact_.findOrInsert(hash, *ref);
  if (!first.ok()) return first.error();
  if (first->has_value()) {
    ++exact_duplicates_;
    if (Status added = clusters_.addDuplicate(**first); !added.isOk()) return added;
    batch.reject(record, "duplicate of " + refs_.describe(**first), "duplicate");
    return Status::ok();
  }
  if (!near_) return Status::ok();
  // The signature's bytes may sit at any alignment inside the string: copy them out.
  std::memcpy(signature_.data(), prepared.data() + kSignatureAt, signature_.size() * sizeof(std::uint32_t));
  if (const auto match = near_->bestMatch(signature_.data(), options_.near->threshold)) {
    // The exact table already holds this record's hash: a later exact copy of it is then
    // reported as a duplicate of this (rejected) record, which is what it is.
    ++near_duplicates_;
    if (Status added = clusters_.addDuplicate(match->ref); !added.isOk()) return added;
    batch.reject(record,
                 "near duplicate of " + refs_.describe(match->ref) + " (estimated similarity " +
                     twoDecimals(match->similarity) + " >= threshold " + twoDecimals(options_.near->threshold) + ")",
                 "near_duplicate");
    return Status::ok();
  }
  return near_->add(signature_.data(), *ref);
}

Status DedupeStage::process(Batch& batch, Context& /*ctx*/) {
  for (Record& record : batch) {
    if (Status status = dedupe(record, batch); !status.isOk()) return status;
  }
  return Status::ok();
}

Status DedupeStage::finish(Batch& /*out*/, Context& ctx) {
  Json report = {
      {"exact_duplicates", exact_duplicates_},
      {"near_duplicates", near_duplicates_},
      {"clusters", clusters_.clusters()},
      {"largest_clusters", clusters_.largest(kLargestClusters, refs_)},
      {"distinct_records", exact_.size()},
      {"unkeyed_records", unkeyed_},
      {"memory_peak_mb", std::round(static_cast<double>(budget_.peak()) / (1024.0 * 1024.0) * 10) / 10},
  };
  if (near_) report["near_kept_signatures"] = near_->size();
  ctx.report("dedupe", std::move(report));
  return Status::ok();
}

}  // namespace ajuste::clean_dedupe
