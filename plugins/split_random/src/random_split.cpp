#include "random_split.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <sstream>
#include <string_view>
#include <system_error>
#include <utility>

#include "hashing/background_sha256.hpp"
#include "json_writer/compact_json.hpp"
#include "record_fields.hpp"
#include "selection.hpp"

namespace ajuste::split_random {
namespace {

constexpr std::string_view kSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "oneOf": [{"required": ["valid_ratio"]}, {"required": ["valid_count"]}],
  "properties": {
    "valid_ratio": {
      "type": "number",
      "exclusiveMinimum": 0,
      "exclusiveMaximum": 1,
      "description": "Fraction of the records that go to the validation file: exactly round(N * valid_ratio) of the N records that reach the split. Give this or valid_count, not both."
    },
    "valid_count": {
      "type": "integer",
      "minimum": 1,
      "description": "Exact number of validation records (lowered, with a warning, to N - 1 when it is not below the N records that reach the split). Give this or valid_ratio, not both."
    },
    "seed": {
      "type": "integer",
      "minimum": 0,
      "default": 42,
      "description": "Seed of the split's own PRNG: the same input and seed give byte-identical files on every platform."
    },
    "stratify_by": {
      "type": "string",
      "pattern": "^(answer$|/)",
      "description": "Keep the label mix in both files: \"answer\" (the final assistant message, the legacy completion, or the preference record's preferred_output) or a JSON pointer into the record (falling back to record.meta.fields), e.g. /stars. Each label's records are split separately, with the label's largest-remainder share of the validation count, so the counts add up exactly. At most 1000 distinct labels. Not together with group_by."
    },
    "missing_label": {
      "type": "string",
      "enum": ["reject", "own_stratum"],
      "default": "reject",
      "description": "A record without a label under stratify_by: reject it (kind missing_label), or keep it, all such records forming one stratum of their own (reported as unlabelled)."
    },
    "group_by": {
      "type": "string",
      "pattern": "^/",
      "description": "JSON pointer to a key (e.g. /product_id; falling back to record.meta.fields) whose records must all land in the same file. Whole groups, in a seeded order, fill the validation count as closely as they allow; the report gives the achieved count and ratio. Not together with stratify_by."
    },
    "leakage": {
      "type": "object",
      "additionalProperties": false,
      "description": "The check, after the split, for training records that repeat a validation record: exact copies (normalized content hash) and, with near, near copies (MinHash, as clean/dedupe). Counted in the report with example pairs; warn or fail. On by default (exact).",
      "properties": {
        "exact": {"type": "boolean", "default": true, "description": "Count training records whose normalized content equals a validation record's."},
        "near": )json";
constexpr std::string_view kSchemaEnd = R"json(,
        "on_leak": {"enum": ["warn", "fail"], "default": "warn",
                    "description": "warn: log a warning and write the files; fail: stop the run with a data error before writing them."},
        "fields": {"type": "array", "minItems": 1, "items": {"type": "string"}, "default": )json";
constexpr std::string_view kSchemaAfterFields = R"json(,
                   "description": "JSON pointers of what records are compared on (as clean/dedupe's fields, with the same default: chat, legacy and preference examples). A record with none of them is not compared (counted as unkeyed_records)."},
        "collapse_whitespace": {"type": "boolean", "default": true, "description": "Collapse whitespace runs and trim before comparing."},
        "ignore_case": {"type": "boolean", "default": false, "description": "Compare ASCII letters case-insensitively."},
        "examples": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 10,
                     "description": "How many leaking pairs (by provenance, never text) the report lists."},
        "memory_mb": {"type": "integer", "minimum": 1, "maximum": 1048576, "default": 256,
                      "description": "Memory for the index of the validation records: 32 bytes each, plus about 1.3-1.7 KB each with near. Above it the run stops with an error saying so."}
      }
    },
    "train_path": {
      "type": "string",
      "minLength": 1,
      "description": "Where to write the training file; default train.jsonl in the run folder. A relative path starts from the folder of the pipeline file."
    },
    "valid_path": {
      "type": "string",
      "minLength": 1,
      "description": "Where to write the validation file; default valid.jsonl in the run folder. A relative path starts from the folder of the pipeline file."
    }
  }
})json";

// The final pass reads the spill in blocks of this size (a longer line doubles its block).
constexpr std::size_t kSpillBlockBytes = std::size_t{1} << 18;

std::string osReason(int error) { return std::error_code(error, std::generic_category()).message(); }

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

std::string number(double value) {
  std::ostringstream out;
  out.precision(6);
  out << value;
  return out.str();
}

std::filesystem::path partialPath(const std::filesystem::path& path) {
  std::filesystem::path partial = path;
  partial += ".partial";
  return partial;
}

// Stage ids come from the pipeline; keep only characters that are safe in a file name.
std::string fileSafe(std::string_view id) {
  std::string out;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    out += ok ? c : '_';
  }
  return out.empty() ? std::string("split") : out;
}

Result<FilePtr> openForWriting(const std::filesystem::path& path, std::string_view what) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  FilePtr file(std::fopen(path.c_str(), "wb"));
  if (!file) {
    return Status::ioError("cannot create the " + std::string(what) + " " + quoted(path) + ": " + osReason(errno) +
                           "; check that its folder exists and is writable");
  }
  return file;
}

// A file being written: counts bytes and hashes them on the way. Lines are gathered into a
// chunk of its own, written with one unbuffered write, then moved to the hashing thread: one
// copy of each byte in user space, where stdio's buffer and a copy for the hash made two.
class HashedWriter {
 public:
  HashedWriter(FilePtr file, std::filesystem::path path)
      : file_(std::move(file)), path_(std::move(path)), chunk_(hash_.spareChunk()) {
    std::setvbuf(file_.get(), nullptr, _IONBF, 0);
  }
  // Whole lines, each with its '\n'.
  Status writeLines(std::string_view lines, std::uint64_t count) {
    chunk_.append(lines);
    bytes_ += lines.size();
    records_ += count;
    return chunk_.size() >= hashing::BackgroundSha256::kChunkBytes ? flush() : Status::ok();
  }
  Status close() {
    if (Status status = flush(); !status.isOk()) return status;
    if (std::fclose(file_.release()) != 0) {
      return Status::ioError("cannot finish writing " + quoted(path_) + ": " + osReason(errno) +
                             "; check the free disk space");
    }
    return Status::ok();
  }
  [[nodiscard]] std::uint64_t records() const { return records_; }
  [[nodiscard]] std::uint64_t bytes() const { return bytes_; }
  // After close().
  [[nodiscard]] std::string digest() { return hash_.hexDigest(); }

 private:
  Status flush() {
    if (chunk_.empty()) return Status::ok();
    if (std::fwrite(chunk_.data(), 1, chunk_.size(), file_.get()) != chunk_.size()) {
      return Status::ioError("cannot write " + quoted(path_) + ": " + osReason(errno) + "; check the free disk space");
    }
    hash_.take(std::exchange(chunk_, hash_.spareChunk()));
    return Status::ok();
  }

  FilePtr file_;
  std::filesystem::path path_;
  hashing::BackgroundSha256 hash_;  // hashes while the next block is read and written
  std::string chunk_;               // lines not yet written
  std::uint64_t bytes_ = 0;
  std::uint64_t records_ = 0;
};

Result<nlohmann::json::json_pointer> parsePointer(const std::string& text, const std::string& option) {
  try {
    return nlohmann::json::json_pointer(text);
  } catch (const nlohmann::json::exception&) {
    return Status::configError(option, "'" + text + "' is not a JSON pointer (RFC 6901): write ~0 for ~ and ~1 "
                                       "for /, e.g. /label");
  }
}

Result<LeakageOptions> leakageOptions(const nlohmann::json& with) {
  LeakageOptions options;
  options.exact = with.value("exact", true);
  const nlohmann::json fields = with.value("fields", nlohmann::json::parse(clean_dedupe::kDefaultContentFieldsJson));
  for (std::size_t i = 0; i < fields.size(); ++i) {
    auto field = clean_dedupe::FieldPath::parse(fields[i].get<std::string>(), "/leakage/fields/" + std::to_string(i));
    if (!field.ok()) return field.error();
    options.fields.push_back(std::move(field).value());
  }
  options.normalize.collapse_whitespace = with.value("collapse_whitespace", true);
  options.normalize.ignore_case = with.value("ignore_case", false);
  options.fail = with.value("on_leak", std::string("warn")) == "fail";
  options.examples = with.value("examples", std::size_t{10});
  options.memory_bytes = with.value("memory_mb", std::size_t{256}) * 1024 * 1024;
  if (const auto near = with.find("near"); near != with.end()) {
    auto parsed = clean_dedupe::parseNearOptions(*near, "/leakage/near");
    if (!parsed.ok()) return parsed.error();
    options.near = std::move(parsed).value();
  }
  return options;
}

Result<std::unique_ptr<Stage>> makeRandomSplit(const nlohmann::json& with, Context& ctx) {
  const bool has_ratio = with.contains("valid_ratio");
  const bool has_count = with.contains("valid_count");
  if (has_ratio == has_count) {
    return Status::configError(has_ratio ? "/valid_count" : "",
                               has_ratio ? "give valid_ratio or valid_count, not both"
                                         : "missing valid_ratio or valid_count: say how many records go to "
                                           "validation, e.g. valid_ratio: 0.1");
  }
  SplitOptions options;
  if (has_ratio) options.valid_ratio = with.at("valid_ratio").get<double>();
  if (has_count) options.valid_count = with.at("valid_count").get<std::uint64_t>();
  options.seed = with.value("seed", std::uint64_t{42});
  if (with.contains("stratify_by") && with.contains("group_by")) {
    return Status::configError("/group_by",
                               "give stratify_by or group_by, not both: whole groups cannot also keep an exact "
                               "label mix; stratify, or keep groups together");
  }
  if (with.contains("stratify_by")) {
    options.stratify_by = with.at("stratify_by").get<std::string>();
    if (*options.stratify_by != "answer") {
      auto pointer = parsePointer(*options.stratify_by, "/stratify_by");
      if (!pointer.ok()) return pointer.error();
      options.stratify_pointer = std::move(pointer).value();
    }
  }
  if (with.contains("group_by")) {
    options.group_by = with.at("group_by").get<std::string>();
    auto pointer = parsePointer(*options.group_by, "/group_by");
    if (!pointer.ok()) return pointer.error();
    options.group_pointer = std::move(pointer).value();
  }
  options.missing_label_own_stratum = with.value("missing_label", std::string("reject")) == "own_stratum";
  auto leakage = leakageOptions(with.value("leakage", nlohmann::json::object()));
  if (!leakage.ok()) return leakage.error();
  options.leakage = std::move(leakage).value();
  options.train_path = with.contains("train_path") ? ctx.resolvePath(with.at("train_path").get<std::string>())
                                                   : ctx.runDir() / "train.jsonl";
  options.valid_path = with.contains("valid_path") ? ctx.resolvePath(with.at("valid_path").get<std::string>())
                                                   : ctx.runDir() / "valid.jsonl";
  if (options.train_path.lexically_normal() == options.valid_path.lexically_normal()) {
    return Status::configError("/valid_path", "valid_path and train_path are the same file " +
                                                  quoted(options.train_path) + "; give them different names");
  }
  const std::string prefix = "." + fileSafe(ctx.stageId());
  auto spill = ctx.runDir() / (prefix + ".split-spill.jsonl");
  auto keys = ctx.runDir() / (prefix + ".split-keys.bin");
  return std::unique_ptr<Stage>(std::make_unique<RandomSplit>(std::move(options), std::move(spill), std::move(keys)));
}

}  // namespace

const StageInfo& RandomSplit::info() {
  static const StageInfo kInfo{
      .name = "split/random",
      .kind = StageKind::kSink,
      .summary =
          "Writes the records that reach it into a training and a validation JSONL file (one JSON object per "
          "line, in input order: a record that came as text, from ingest/jsonl, as it was written with what "
          "stages changed in it; any other as compact JSON). The split is exact, not a coin flip per record: of the N records, exactly "
          "round(N * valid_ratio) (or valid_count) go to validation, chosen by seeded selection sampling with "
          "the plugin's own PRNG, so the same input and seed give byte-identical files on every platform and "
          "for every batch size. Records are spilled to a temporary file in the run folder while they stream "
          "in, so memory stays flat. Publishes the artifacts train_file and valid_file (path, records, bytes, "
          "sha256) for the upload stage. When the records carry validate/openai's token counts, the report "
          "adds per-split distributions of messages, tokens and assistant tokens, billed tokens and label counts.",
      .options_schema = std::string(kSchema) +
                        clean_dedupe::nearOptionsSchema("Also count training records whose MinHash-estimated Jaccard "
                                                        "similarity to a validation record reaches threshold. "
                                                        "Absent: no near check.") +
                        std::string(kSchemaEnd) + std::string(clean_dedupe::kDefaultContentFieldsJson) +
                        std::string(kSchemaAfterFields),
      .consumes = {},
      .produces = {"train_file", "valid_file"},
      .parallel = false,
      .prepares = true,
      .reads_text = true,
      .make = &makeRandomSplit,
  };
  return kInfo;
}

RandomSplit::RandomSplit(SplitOptions options, std::filesystem::path spill_path, std::filesystem::path keys_path)
    : options_(std::move(options)), spill_path_(std::move(spill_path)), spill_(spill_path_) {
  if (options_.leakage.enabled()) leakage_ = std::make_unique<LeakageCheck>(options_.leakage, std::move(keys_path));
}

RandomSplit::~RandomSplit() { removeTemporaries(); }

void RandomSplit::removeTemporaries() {
  spill_.remove();
  if (leakage_) leakage_->removeTemporaries();
  std::error_code ignored;
  std::filesystem::remove(spill_path_, ignored);
  std::filesystem::remove(partialPath(options_.train_path), ignored);
  std::filesystem::remove(partialPath(options_.valid_path), ignored);
}

// Record::prepared, as prepare leaves it: the leakage key, then the batch's spill region.
constexpr std::size_t kRegionBytes = 2 * sizeof(std::uint64_t);

Status RandomSplit::consume(Batch& batch, Context& ctx) {
  if (!batch.empty() && batch.begin()->prepared.empty()) {  // a caller that did not prepare
    if (Status status = prepare(batch, ctx); !status.isOk()) return status;
  }
  const std::size_t key_bytes = leakage_ ? leakage_->keyBytes() : 0;
  for (Record& record : batch) {
    const std::string_view prepared = record.prepared;
    SpillRegion region;
    std::memcpy(&region.offset, prepared.data() + key_bytes, sizeof region.offset);
    std::memcpy(&region.bytes, prepared.data() + key_bytes + sizeof region.offset, sizeof region.bytes);
    if (regions_.empty() || regions_.back() != region) regions_.push_back(region);
    const auto keep = noteKeys(record, batch);
    if (!keep.ok()) {
      removeTemporaries();
      return keep.error();
    }
    line_kept_.push_back(*keep);
    if (!*keep) continue;
    ++spilled_;
    stats_.add(record.meta);
    if (leakage_) {
      if (Status noted = leakage_->note(record, prepared.substr(0, key_bytes)); !noted.isOk()) {
        removeTemporaries();
        return noted;
      }
    }
  }
  return Status::ok();
}

bool RandomSplit::prepareRecord(Record& record, Batch& batch, std::string& lines) const {
  // The labels and group keys are read from the value (by the serial consume): built here, on a
  // worker, for a record held as text. Without them, the text is all the split needs.
  if (options_.stratify_by || options_.group_pointer) ensureValue(record);
  std::string& prepared = record.prepared;
  prepared.clear();
  if (leakage_) leakage_->appendKey(record, prepared);
  if (const auto error = json_writer::appendRecordLine(record, lines)) {
    prepared.clear();
    batch.reject(record, "cannot be written as JSON: " + *error + "; a string in the record is not valid UTF-8",
                 "invalid_utf8");
    return false;
  }
  return true;
}

Status RandomSplit::prepare(Batch& batch, Context& /*ctx*/) const {
  std::string lines;
  for (Record& record : batch) prepareRecord(record, batch, lines);
  if (lines.empty()) return Status::ok();
  auto region = spill_.append(lines);
  if (!region.ok()) return region.error();
  char tag[kRegionBytes];
  std::memcpy(tag, &region->offset, sizeof region->offset);
  std::memcpy(tag + sizeof region->offset, &region->bytes, sizeof region->bytes);
  for (Record& record : batch) record.prepared.append(tag, kRegionBytes);
  return Status::ok();
}

Result<bool> RandomSplit::noteKeys(Record& record, Batch& batch) {
  std::optional<std::uint32_t> stratum;
  if (options_.stratify_by) {
    const std::string& by = *options_.stratify_by;
    const auto label = options_.stratify_pointer ? fieldAt(record, *options_.stratify_pointer) : answerOf(record.value);
    if (label) {
      stratum = strata_.add(labelText(*label));
    } else if (options_.missing_label_own_stratum) {
      stratum = strata_.addMissing();
    } else {
      batch.reject(record,
                   options_.stratify_pointer
                       ? "no label at stratify_by " + by +
                             " (in the record or its meta.fields); set missing_label: own_stratum to keep such records"
                       : std::string("no label for stratify_by answer: the record has no final assistant message, "
                                     "completion or preferred_output; set missing_label: own_stratum to keep such "
                                     "records"),
                   "missing_label");
      return false;
    }
    if (!stratum) {
      return Status::dataError("stratify_by " + by + " found more than " + std::to_string(StratumTable::kMaxStrata) +
                               " distinct labels by " + record.origin.toString() +
                               ": that is not a class label; point stratify_by at a field with few values (e.g. a "
                               "rating), or use group_by to keep records with the same value together");
    }
  }
  if (options_.group_pointer) {
    const auto key = fieldAt(record, *options_.group_pointer);
    if (!key) {
      batch.reject(record, "no group key at group_by " + *options_.group_by + " (in the record or its meta.fields)",
                   "missing_group");
      return false;
    }
    // 64-bit hashes, not the keys, so memory does not grow with key length.
    const auto [slot, inserted] =
        group_ids_.try_emplace(fnv1a64(labelText(*key)), static_cast<std::uint32_t>(group_sizes_.size()));
    if (inserted) group_sizes_.push_back(0);
    ++group_sizes_[slot->second];
    group_of_.push_back(slot->second);
  }
  if (stratum) stratum_of_.push_back(*stratum);
  return true;
}

Result<std::vector<bool>> RandomSplit::assign(std::uint64_t valid_target, Context& ctx) {
  if (options_.group_by) {
    GroupedAssignment grouped = groupedAssignment(group_of_, group_sizes_, valid_target, options_.seed);
    const std::string& by = *options_.group_by;
    if (group_sizes_.size() == 1) {
      return Status::dataError("group_by " + by + ": all " + std::to_string(spilled_) +
                               " records share one key, so one file would be empty; point group_by at a key with "
                               "more than one value");
    }
    if (grouped.valid_records == 0) {
      const std::uint64_t smallest = *std::min_element(group_sizes_.begin(), group_sizes_.end());
      return Status::dataError("group_by " + by + ": the smallest of the " + std::to_string(group_sizes_.size()) +
                               " groups has " + std::to_string(smallest) + " records, too many for the " +
                               std::to_string(valid_target) +
                               " validation records asked for, so the validation file would be empty; raise "
                               "valid_ratio or valid_count");
    }
    const double achieved_ratio = static_cast<double>(grouped.valid_records) / static_cast<double>(spilled_);
    if (grouped.valid_records != valid_target) {
      ctx.warn("group_by " + by + " keeps groups whole: " + std::to_string(grouped.valid_records) +
               " validation records (ratio " + number(achieved_ratio) + ") instead of the " +
               std::to_string(valid_target) + " asked for");
    }
    report_extra_["group_by"] = by;
    report_extra_["groups"] = {{"total", group_sizes_.size()},
                               {"train", group_sizes_.size() - grouped.valid_groups},
                               {"valid", grouped.valid_groups}};
    report_extra_["valid_requested"] = valid_target;
    report_extra_["valid_achieved"] = grouped.valid_records;
    report_extra_["valid_ratio_achieved"] = std::round(achieved_ratio * 1e6) / 1e6;
    return std::move(grouped.to_valid);
  }
  if (!options_.stratify_by) return stratifiedAssignment({}, spilled_, strata_, {valid_target}, options_.seed);
  const std::vector<std::uint64_t> quotas = largestRemainderQuotas(strata_, valid_target);
  return stratifiedAssignment(stratum_of_, spilled_, strata_, quotas, options_.seed);
}

nlohmann::json RandomSplit::labelsReport(const std::vector<bool>& to_valid) const {
  std::vector<std::uint64_t> train(strata_.size(), 0);
  std::vector<std::uint64_t> valid(strata_.size(), 0);
  for (std::size_t i = 0; i < stratum_of_.size(); ++i) ++(to_valid[i] ? valid : train)[stratum_of_[i]];
  nlohmann::json labels = {{"train", nlohmann::json::object()}, {"valid", nlohmann::json::object()}};
  for (std::uint32_t s = 0; s < strata_.size(); ++s) {
    if (strata_.isMissing(s)) continue;
    labels["train"][strata_.names()[s]] = train[s];
    labels["valid"][strata_.names()[s]] = valid[s];
  }
  nlohmann::json out = {{"stratify_by", *options_.stratify_by}, {"labels", std::move(labels)}};
  for (std::uint32_t s = 0; s < strata_.size(); ++s) {
    if (strata_.isMissing(s)) out["unlabelled"] = {{"train", train[s]}, {"valid", valid[s]}};
  }
  return out;
}

Status RandomSplit::checkLeakage(const std::vector<bool>& to_valid, Context& ctx) {
  auto outcome = leakage_->check(to_valid);
  if (!outcome.ok()) return outcome.error();
  report_extra_["leakage"] = outcome->report;
  if (outcome->exact + outcome->near == 0) return Status::ok();
  std::string message = "leakage check: ";
  if (options_.leakage.exact) message += std::to_string(outcome->exact) + " training records are exact copies of validation records";
  if (options_.leakage.near) {
    if (options_.leakage.exact) message += " and ";
    message += std::to_string(outcome->near) + " are near copies (estimated similarity >= " +
               number(options_.leakage.near->threshold) + ")";
  }
  message += ", e.g. " + outcome->first_pair +
             "; the pairs are under split.leakage in summary.json. Remove duplicates before the split (clean/dedupe), "
             "or group_by a key that ties the copies together";
  if (!options_.leakage.fail) {
    ctx.warn(message);
    return Status::ok();
  }
  nlohmann::json report{{"records", spilled_}, {"seed", options_.seed}};
  report.update(report_extra_);
  ctx.report("split", std::move(report));
  return Status::dataError(message + "; leakage.on_leak: fail stopped the run before writing the files");
}

Result<std::uint64_t> RandomSplit::validTarget(std::uint64_t total, Context& ctx) const {
  if (options_.valid_count) {
    const std::uint64_t wanted = *options_.valid_count;
    if (wanted < total) return wanted;
    const std::uint64_t clamped = total - 1;
    ctx.warn("valid_count " + std::to_string(wanted) + " is not below the " + std::to_string(total) +
             " records that reached the split; using " + std::to_string(clamped) +
             " so the training file keeps one record");
    return clamped;
  }
  const double ratio = *options_.valid_ratio;
  const auto target = static_cast<std::uint64_t>(std::llround(static_cast<double>(total) * ratio));
  if (total == 1) {
    ctx.warn("only 1 record reached the split: it goes to the training file and the validation file is empty");
    return std::uint64_t{0};
  }
  const std::string selects = "valid_ratio " + number(ratio) + " selects round(" + std::to_string(total) + " * " +
                              number(ratio) + ") = " + std::to_string(target) + " of the " + std::to_string(total) +
                              " records that reached the split for validation";
  if (target == 0) {
    const double lowest = std::ceil(0.5 / static_cast<double>(total) * 10000.0) / 10000.0;
    return Status::dataError(selects + ", leaving the validation file empty; raise valid_ratio to at least " +
                             number(lowest) + " or set valid_count instead");
  }
  if (target >= total) {
    const double limit = 1.0 - 0.5 / static_cast<double>(total);
    double highest = std::floor(limit * 10000.0) / 10000.0;
    if (highest >= limit) highest -= 0.0001;
    return Status::dataError(selects + ", leaving the training file empty; lower valid_ratio to at most " +
                             number(highest) + " or set valid_count instead");
  }
  return target;
}

Status RandomSplit::writeOutputs(const std::vector<bool>& to_valid, Written& train, Written& valid) {
  SpillFile::Reader spill(spill_, regions_);
  auto train_file = openForWriting(partialPath(options_.train_path), "training file");
  if (!train_file.ok()) return train_file.error();
  auto valid_file = openForWriting(partialPath(options_.valid_path), "validation file");
  if (!valid_file.ok()) return valid_file.error();
  HashedWriter train_out(std::move(train_file).value(), options_.train_path);
  HashedWriter valid_out(std::move(valid_file).value(), options_.valid_path);

  // The spill is read in large blocks and each run of consecutive lines bound for the same
  // file goes out in one write (and one hash update): per-line calls cost more than the copy.
  std::string block(kSpillBlockBytes, '\0');
  std::size_t held = 0;  // bytes of an unfinished line carried over from the previous block
  std::uint64_t read = 0;  // kept records
  std::uint64_t line = 0;  // lines of the spill
  for (;;) {
    if (held == block.size()) block.resize(block.size() * 2);  // a line longer than the block
    const std::size_t got = spill.read(block.data() + held, block.size() - held);
    if (got == 0) break;
    const std::string_view bytes(block.data(), held + got);
    std::size_t run_start = 0;
    std::size_t at = 0;
    std::uint64_t run_lines = 0;
    bool run_valid = false;
    const auto flush = [&](std::size_t end) -> Status {
      if (run_lines == 0) return Status::ok();
      Status status = (run_valid ? valid_out : train_out).writeLines(bytes.substr(run_start, end - run_start), run_lines);
      run_start = end;
      run_lines = 0;
      return status;
    };
    while (line < line_kept_.size()) {
      const std::size_t newline = bytes.find('\n', at);
      if (newline == std::string_view::npos) break;
      if (!line_kept_[line++]) {  // rejected by consume after prepare spilled it: skipped
        if (Status status = flush(at); !status.isOk()) return status;
        at = newline + 1;
        run_start = at;
        continue;
      }
      const bool goes_valid = to_valid[read];
      if (run_lines != 0 && goes_valid != run_valid) {
        if (Status status = flush(at); !status.isOk()) return status;
      }
      run_valid = goes_valid;
      ++run_lines;
      ++read;
      stats_.assign(goes_valid);
      at = newline + 1;
    }
    if (Status status = flush(at); !status.isOk()) return status;
    held = bytes.size() - at;
    std::memmove(block.data(), block.data() + at, held);
    if (line == line_kept_.size()) break;
  }
  if (!spill.status().isOk()) return spill.status();
  if (line != line_kept_.size()) {
    return Status::ioError("the temporary split file " + quoted(spill_path_) + " holds " + std::to_string(line) +
                           " records, " + std::to_string(line_kept_.size()) +
                           " were written to it; was it changed or truncated while the run was going?");
  }
  if (Status status = train_out.close(); !status.isOk()) return status;
  if (Status status = valid_out.close(); !status.isOk()) return status;
  for (const auto* path : {&options_.train_path, &options_.valid_path}) {
    std::error_code ec;
    std::filesystem::rename(partialPath(*path), *path, ec);
    if (ec) return Status::ioError("cannot move the finished file to " + quoted(*path) + ": " + ec.message());
  }
  train = Written{train_out.records(), train_out.bytes(), train_out.digest()};
  valid = Written{valid_out.records(), valid_out.bytes(), valid_out.digest()};
  return Status::ok();
}

Status RandomSplit::publishOutputs(Context& ctx, std::uint64_t total, const Written& train, const Written& valid) {
  ctx.declareOutput("train", options_.train_path, train.records);
  ctx.declareOutput("valid", options_.valid_path, valid.records);
  const auto artifact = [](const std::filesystem::path& path, const Written& written) {
    return nlohmann::json{
        {"path", path.string()}, {"records", written.records}, {"bytes", written.bytes}, {"sha256", written.sha256}};
  };
  if (Status status = ctx.publish("train_file", artifact(options_.train_path, train)); !status.isOk()) return status;
  if (Status status = ctx.publish("valid_file", artifact(options_.valid_path, valid)); !status.isOk()) return status;
  nlohmann::json report{{"records", total}, {"train", train.records}, {"valid", valid.records}, {"seed", options_.seed}};
  if (options_.valid_ratio) report["valid_ratio"] = *options_.valid_ratio;
  if (options_.valid_count) report["valid_count"] = *options_.valid_count;
  report.update(report_extra_);
  if (nlohmann::json stats = stats_.report(); !stats.is_null()) report["openai"] = std::move(stats);
  ctx.report("split", std::move(report));
  return Status::ok();
}

Status RandomSplit::finish(Context& ctx) {
  // Every path out of finish leaves no temporary file behind.
  struct Cleanup {
    RandomSplit* self;
    ~Cleanup() { self->removeTemporaries(); }
  } cleanup{this};

  if (spilled_ == 0) {
    return Status::dataError(
        "no records reached the split: the input was empty or every record was rejected by an earlier stage; "
        "see the rejects in the run folder");
  }
  auto target = validTarget(spilled_, ctx);
  if (!target.ok()) return target.error();
  auto to_valid = assign(*target, ctx);
  if (!to_valid.ok()) return to_valid.error();
  if (options_.stratify_by) report_extra_.update(labelsReport(*to_valid));
  if (leakage_) {
    if (Status status = checkLeakage(*to_valid, ctx); !status.isOk()) return status;
  }
  Written train;
  Written valid;
  if (Status status = writeOutputs(*to_valid, train, valid); !status.isOk()) return status;
  return publishOutputs(ctx, spilled_, train, valid);
}

}  // namespace ajuste::split_random
