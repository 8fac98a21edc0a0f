#include "random_split.hpp"

#include <cerrno>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>
#include <utility>

#include "hashing/sha256.hpp"
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
      "description": "Keep the label mix in both files: \"answer\" (the final assistant message, the legacy completion, or the preference record's preferred_output) or a JSON pointer into the record (falling back to record.meta.fields). Each label gets its share of the validation records by largest remainder. Not together with group_by."
    },
    "missing_label": {
      "type": "string",
      "enum": ["reject", "own_stratum"],
      "default": "reject",
      "description": "What to do with a record that has no label under stratify_by: reject it (kind missing_label) or put all such records in one stratum of their own."
    },
    "group_by": {
      "type": "string",
      "pattern": "^/",
      "description": "JSON pointer to a key (e.g. a product id) whose records must all land on the same side; groups fill the validation quota greedily in a seeded order, so the validation count may fall short (reported and warned). Not together with stratify_by."
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

constexpr std::size_t kOutputBufferBytes = std::size_t{1} << 18;

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

// A file being written: counts bytes and hashes them on the way.
class HashedWriter {
 public:
  HashedWriter(FilePtr file, std::filesystem::path path) : file_(std::move(file)), path_(std::move(path)) {
    std::setvbuf(file_.get(), nullptr, _IOFBF, kOutputBufferBytes);
  }
  Status writeLine(std::string_view line) {
    if (std::fwrite(line.data(), 1, line.size(), file_.get()) != line.size() || std::fputc('\n', file_.get()) == EOF) {
      return Status::ioError("cannot write " + quoted(path_) + ": " + osReason(errno) + "; check the free disk space");
    }
    hash_.update(line);
    hash_.update("\n");
    bytes_ += line.size() + 1;
    ++records_;
    return Status::ok();
  }
  Status close() {
    if (std::fclose(file_.release()) != 0) {
      return Status::ioError("cannot finish writing " + quoted(path_) + ": " + osReason(errno) +
                             "; check the free disk space");
    }
    return Status::ok();
  }
  [[nodiscard]] std::uint64_t records() const { return records_; }
  [[nodiscard]] std::uint64_t bytes() const { return bytes_; }
  [[nodiscard]] std::string digest() { return hash_.hexDigest(); }

 private:
  FilePtr file_;
  std::filesystem::path path_;
  hashing::Sha256 hash_;
  std::uint64_t bytes_ = 0;
  std::uint64_t records_ = 0;
};

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
  for (const char* key : {"stratify_by", "group_by"}) {
    if (!with.contains(key)) continue;
    const auto text = with.at(key).get<std::string>();
    if (text == "answer" && std::string_view(key) == "stratify_by") {
      options.stratify_by = text;
      continue;
    }
    try {
      (void)nlohmann::json::json_pointer(text);
    } catch (const nlohmann::json::exception&) {
      return Status::configError(std::string("/") + key, "'" + text + "' is not a JSON pointer (RFC 6901), e.g. /label");
    }
    (std::string_view(key) == "stratify_by" ? options.stratify_by : options.group_by) = text;
  }
  options.missing_label_own_stratum = with.value("missing_label", std::string("reject")) == "own_stratum";
  options.train_path = with.contains("train_path") ? ctx.resolvePath(with.at("train_path").get<std::string>())
                                                   : ctx.runDir() / "train.jsonl";
  options.valid_path = with.contains("valid_path") ? ctx.resolvePath(with.at("valid_path").get<std::string>())
                                                   : ctx.runDir() / "valid.jsonl";
  if (options.train_path.lexically_normal() == options.valid_path.lexically_normal()) {
    return Status::configError("/valid_path", "valid_path and train_path are the same file " +
                                                  quoted(options.train_path) + "; give them different names");
  }
  auto spill = ctx.runDir() / ("." + fileSafe(ctx.stageId()) + ".split-spill.jsonl");
  return std::unique_ptr<Stage>(std::make_unique<RandomSplit>(std::move(options), std::move(spill)));
}

}  // namespace

const StageInfo& RandomSplit::info() {
  static const StageInfo kInfo{
      .name = "split/random",
      .kind = StageKind::kSink,
      .summary =
          "Writes the records that reach it into a training and a validation JSONL file (one compact JSON object "
          "per line, in input order). The split is exact, not a coin flip per record: of the N records, exactly "
          "round(N * valid_ratio) (or valid_count) go to validation, chosen by seeded selection sampling with "
          "the plugin's own PRNG, so the same input and seed give byte-identical files on every platform and "
          "for every batch size. Records are spilled to a temporary file in the run folder while they stream "
          "in, so memory stays flat. Publishes the artifacts train_file and valid_file (path, records, bytes, "
          "sha256) for the upload stage. When the records carry validate/openai's token counts, the report "
          "adds per-split distributions of messages, tokens and assistant tokens, billed tokens and label counts.",
      .options_schema = std::string(kSchema),
      .consumes = {},
      .produces = {"train_file", "valid_file"},
      .parallel = false,
      .make = &makeRandomSplit,
  };
  return kInfo;
}

RandomSplit::RandomSplit(SplitOptions options, std::filesystem::path spill_path)
    : options_(std::move(options)), spill_path_(std::move(spill_path)) {}

RandomSplit::~RandomSplit() { removeTemporaries(); }

void RandomSplit::removeTemporaries() {
  spill_.reset();
  std::error_code ignored;
  std::filesystem::remove(spill_path_, ignored);
  std::filesystem::remove(partialPath(options_.train_path), ignored);
  std::filesystem::remove(partialPath(options_.valid_path), ignored);
}

Status RandomSplit::consume(Batch& batch, Context& /*ctx*/) {
  if (!spill_) {
    auto opened = openForWriting(spill_path_, "temporary split file");
    if (!opened.ok()) return opened.error();
    spill_ = std::move(opened).value();
    std::setvbuf(spill_.get(), nullptr, _IOFBF, kOutputBufferBytes);
  }
  for (Record& record : batch) {
    std::string line;
    try {
      line = record.value.dump();
    } catch (const nlohmann::json::type_error& error) {
      batch.reject(record,
                   std::string("cannot be written as JSON: ") + error.what() +
                       "; a string in the record is not valid UTF-8",
                   "invalid_utf8");
      continue;
    }
    line += '\n';
    Status failure = Status::ok();
    if (!noteKeys(record, batch, failure)) {
      if (!failure.isOk()) {
        removeTemporaries();
        return failure;
      }
      continue;
    }
    if (std::fwrite(line.data(), 1, line.size(), spill_.get()) != line.size()) {
      const int error = errno;
      removeTemporaries();
      return Status::ioError("cannot write the temporary split file " + quoted(spill_path_) + ": " +
                             osReason(error) + "; check the free disk space of the run folder");
    }
    ++spilled_;
    stats_.add(record.meta);
  }
  return Status::ok();
}

bool RandomSplit::noteKeys(Record& record, Batch& batch, Status& failure) {
  std::optional<std::uint32_t> stratum;
  if (options_.stratify_by) {
    const std::string& by = *options_.stratify_by;
    const auto label = by == "answer" ? answerOf(record.value) : fieldAt(record, nlohmann::json::json_pointer(by));
    if (label) {
      stratum = strata_.add(labelText(*label));
    } else if (options_.missing_label_own_stratum) {
      stratum = strata_.addMissing();
    } else {
      batch.reject(record,
                   by == "answer" ? std::string("no label for stratify_by answer: the record has no final assistant "
                                                "message, completion or preferred_output")
                                  : "no label at stratify_by " + by +
                                        " (in the record or its meta.fields); set missing_label: own_stratum to keep "
                                        "such records",
                   "missing_label");
      return false;
    }
    if (!stratum) {
      failure = Status::configError("/stratify_by", "stratify_by " + by + " found more than " +
                                                        std::to_string(StratumTable::kMaxStrata) +
                                                        " distinct labels: that is not a class label; point it at "
                                                        "a field with few values");
      return false;
    }
  }
  if (options_.group_by) {
    const auto key = fieldAt(record, nlohmann::json::json_pointer(*options_.group_by));
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
    std::vector<bool> to_valid = groupedAssignment(group_of_, group_sizes_, valid_target, options_.seed, achieved_valid_);
    if (achieved_valid_ == 0 && valid_target > 0) {
      return Status::dataError("group_by " + *options_.group_by + ": no group of records fits in the " +
                               std::to_string(valid_target) +
                               " validation records asked for, so the validation file would be empty; raise "
                               "valid_ratio or valid_count");
    }
    if (achieved_valid_ != valid_target) {
      ctx.warn("group_by " + *options_.group_by + " keeps groups whole: " + std::to_string(achieved_valid_) +
               " validation records instead of the " + std::to_string(valid_target) + " asked for");
    }
    return to_valid;
  }
  achieved_valid_ = valid_target;
  if (!options_.stratify_by) return stratifiedAssignment({}, spilled_, strata_, {valid_target}, options_.seed);
  const std::vector<std::uint64_t> quotas = largestRemainderQuotas(strata_, valid_target);
  return stratifiedAssignment(stratum_of_, spilled_, strata_, quotas, options_.seed);
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
  std::ifstream spill(spill_path_, std::ios::binary);
  if (!spill) {
    return Status::ioError("cannot reopen the temporary split file " + quoted(spill_path_) + ": " + osReason(errno));
  }
  auto train_file = openForWriting(partialPath(options_.train_path), "training file");
  if (!train_file.ok()) return train_file.error();
  auto valid_file = openForWriting(partialPath(options_.valid_path), "validation file");
  if (!valid_file.ok()) return valid_file.error();
  HashedWriter train_out(std::move(train_file).value(), options_.train_path);
  HashedWriter valid_out(std::move(valid_file).value(), options_.valid_path);

  std::string line;
  std::uint64_t read = 0;
  nlohmann::json train_labels = nlohmann::json::object();
  nlohmann::json valid_labels = nlohmann::json::object();
  while (read < spilled_ && std::getline(spill, line)) {
    const bool goes_valid = to_valid[read];
    if (options_.stratify_by) {
      auto& count = (goes_valid ? valid_labels : train_labels)[strata_.names()[stratum_of_[read]]];
      count = count.is_null() ? 1 : count.get<std::uint64_t>() + 1;
    }
    ++read;
    stats_.assign(goes_valid);
    if (Status status = (goes_valid ? valid_out : train_out).writeLine(line); !status.isOk()) return status;
  }
  if (options_.stratify_by) labels_report_ = {{"train", std::move(train_labels)}, {"valid", std::move(valid_labels)}};
  if (read != spilled_) {
    return Status::ioError("the temporary split file " + quoted(spill_path_) + " holds " + std::to_string(read) +
                           " records, " + std::to_string(spilled_) +
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
  if (options_.stratify_by) {
    report["stratify_by"] = *options_.stratify_by;
    report["labels"] = labels_report_;
  }
  if (options_.group_by) {
    report["group_by"] = *options_.group_by;
    report["groups"] = group_sizes_.size();
    report["valid_requested"] = requested_valid_;
    report["valid_achieved"] = achieved_valid_;
  }
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

  if (spill_) {
    if (std::fclose(spill_.release()) != 0) {
      return Status::ioError("cannot finish the temporary split file " + quoted(spill_path_) + ": " +
                             osReason(errno) + "; check the free disk space of the run folder");
    }
  }
  if (spilled_ == 0) {
    return Status::dataError(
        "no records reached the split: the input was empty or every record was rejected by an earlier stage; "
        "see the rejects in the run folder");
  }
  auto target = validTarget(spilled_, ctx);
  if (!target.ok()) return target.error();
  requested_valid_ = *target;
  auto to_valid = assign(*target, ctx);
  if (!to_valid.ok()) return to_valid.error();
  Written train;
  Written valid;
  if (Status status = writeOutputs(*to_valid, train, valid); !status.isOk()) return status;
  return publishOutputs(ctx, spilled_, train, valid);
}

}  // namespace ajuste::split_random
