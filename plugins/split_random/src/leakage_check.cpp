#include "leakage_check.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <system_error>
#include <utility>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "key_memo.hpp"
#include "memory_budget.hpp"
#include "near_index.hpp"

namespace ajuste::split_random {
namespace {

constexpr std::size_t kFileBufferBytes = std::size_t{1} << 18;

// One validation record in the exact index, sorted by hash then input position.
struct ValidHash {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  std::uint64_t position = 0;
  clean_dedupe::RecordRef ref = 0;
  auto operator<=>(const ValidHash&) const = default;
};

std::string osReason(int error) { return std::error_code(error, std::generic_category()).message(); }

}  // namespace

LeakageCheck::LeakageCheck(LeakageOptions options, std::filesystem::path keys_path)
    : options_(std::move(options)),
      keys_path_(std::move(keys_path)),
      keys_(options_.fields, options_.normalize, options_.near.has_value()),
      key_settings_(keys_.fingerprint()) {
  if (options_.near) hasher_ = std::make_unique<clean_dedupe::MinHasher>(options_.near->minhash);
  if (options_.near) signature_.resize(options_.near->minhash.permutations);
}

LeakageCheck::~LeakageCheck() { removeTemporaries(); }

void LeakageCheck::removeTemporaries() {
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
  std::error_code ignored;
  std::filesystem::remove(keys_path_, ignored);
}

void LeakageCheck::appendKey(const Record& record, std::string& out) const {
  const std::size_t at = out.size();
  out.resize(at + keyBytes(), '\0');
  const auto store = [&](std::uint64_t low, std::uint64_t high) {
    if (low == 0 && high == 0) low = 1;  // a real hash is nudged away from {0, 0}
    std::memcpy(out.data() + at, &low, sizeof low);
    std::memcpy(out.data() + at + sizeof low, &high, sizeof high);
  };
  // clean/dedupe hashed the same key of the same text already (the near check also needs the
  // key's text, so it builds the key again).
  if (!hasher_) {
    if (const auto remembered = clean_dedupe::recallContentHash(record, key_settings_)) {
      store(remembered->low, remembered->high);
      return;
    }
  }
  clean_dedupe::DedupeKey key;
  if (!keys_.build(record, key)) return;  // all zeros: {0, 0} marks a record without the fields
  const XXH128_hash_t hash = XXH3_128bits(key.exact.data(), key.exact.size());
  store(hash.low64, hash.high64);
  if (hasher_) {
    std::vector<std::uint32_t> signature(signature_.size());
    clean_dedupe::ShingleScratch shingles;  // this runs on every worker at once
    hasher_->sign(key.text, signature.data(), shingles);
    std::memcpy(out.data() + at + kHashBytes, signature.data(), signature.size() * sizeof(std::uint32_t));
  }
}

Status LeakageCheck::note(const Record& record, std::string_view key) {
  if (file_ == nullptr) {
    file_ = std::fopen(keys_path_.c_str(), "w+b");
    if (file_ == nullptr) {
      return Status::ioError("cannot create the temporary leakage-check file '" + keys_path_.string() +
                             "': " + osReason(errno) + "; check that the run folder is writable");
    }
    std::setvbuf(file_, nullptr, _IOFBF, kFileBufferBytes);
  }
  header_ = KeysEntry{};
  std::memcpy(&header_.low, key.data(), sizeof header_.low);
  std::memcpy(&header_.high, key.data() + sizeof header_.low, sizeof header_.high);
  if (header_.keyed()) {
    auto ref = refs_.pack(record.origin);
    if (!ref.ok()) return ref.error();
    header_.ref = *ref;
  }
  const std::string_view signature = key.substr(kHashBytes);
  if (std::fwrite(&header_, sizeof header_, 1, file_) != 1 ||
      (!signature.empty() && std::fwrite(signature.data(), 1, signature.size(), file_) != signature.size())) {
    return Status::ioError("cannot write the temporary leakage-check file '" + keys_path_.string() +
                           "': " + osReason(errno) + "; check the free disk space of the run folder");
  }
  ++noted_;
  return Status::ok();
}

Result<LeakageCheck::Outcome> LeakageCheck::check(const std::vector<bool>& to_valid) {
  Outcome out;
  const auto readAll = [&](auto&& visit) -> Status {
    if (file_ == nullptr) return Status::ok();
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) {
      return Status::ioError("cannot read back the temporary leakage-check file '" + keys_path_.string() +
                             "': " + osReason(errno));
    }
    for (std::uint64_t i = 0; i < noted_; ++i) {
      if (std::fread(&header_, sizeof header_, 1, file_) != 1 ||
          (!signature_.empty() &&
           std::fread(signature_.data(), sizeof(std::uint32_t), signature_.size(), file_) != signature_.size())) {
        return Status::ioError("the temporary leakage-check file '" + keys_path_.string() + "' ends after " +
                               std::to_string(i) + " of its " + std::to_string(noted_) +
                               " entries; was it changed while the run was going?");
      }
      if (Status status = visit(i, header_); !status.isOk()) return status;
    }
    return Status::ok();
  };
  const std::uint32_t* signature = signature_.data();

  clean_dedupe::MemoryBudget budget(options_.memory_bytes);
  std::uint64_t valid_keyed = 0;
  std::uint64_t train_keyed = 0;
  std::uint64_t unkeyed = 0;
  const std::uint64_t valid_total =
      static_cast<std::uint64_t>(std::count(to_valid.begin(), to_valid.end(), true));
  std::vector<ValidHash> valid_hashes;
  if (options_.exact) {
    if (Status reserved = budget.reserve(valid_total * sizeof(ValidHash),
                                         "the leakage check's table of " + std::to_string(valid_total) +
                                             " validation hashes");
        !reserved.isOk()) {
      return reserved;
    }
    valid_hashes.reserve(valid_total);
  }
  std::unique_ptr<clean_dedupe::NearIndex> near;
  if (options_.near) {
    near = std::make_unique<clean_dedupe::NearIndex>(budget, options_.near->minhash.permutations,
                                                     options_.near->bands);
  }

  // Pass 1: index the validation records.
  Status indexed = readAll([&](std::uint64_t i, const KeysEntry& header) -> Status {
    if (!header.keyed()) {
      ++unkeyed;
      return Status::ok();
    }
    if (!to_valid[i]) {
      ++train_keyed;
      return Status::ok();
    }
    ++valid_keyed;
    if (options_.exact) valid_hashes.push_back(ValidHash{header.high, header.low, i, header.ref});
    if (near) return near->add(signature, header.ref);
    return Status::ok();
  });
  if (!indexed.isOk()) return indexed;
  std::sort(valid_hashes.begin(), valid_hashes.end());

  // Pass 2: every training record against that index, in input order.
  nlohmann::json examples = nlohmann::json::array();
  const auto addExample = [&](nlohmann::json example) {
    if (out.first_pair.empty()) {
      out.first_pair = "train " + example.at("train").get<std::string>() + " = valid " +
                       example.at("valid").get<std::string>();
    }
    if (examples.size() < options_.examples) examples.push_back(std::move(example));
  };
  Status compared = readAll([&](std::uint64_t i, const KeysEntry& header) -> Status {
    if (!header.keyed() || to_valid[i]) return Status::ok();
    if (options_.exact) {
      const ValidHash probe{header.high, header.low, 0, 0};
      const auto found = std::lower_bound(valid_hashes.begin(), valid_hashes.end(), probe);
      if (found != valid_hashes.end() && found->high == header.high && found->low == header.low) {
        ++out.exact;
        addExample({{"kind", "exact"}, {"train", refs_.describe(header.ref)}, {"valid", refs_.describe(found->ref)}});
        return Status::ok();
      }
    }
    if (near) {
      if (const auto match = near->bestMatch(signature, options_.near->threshold)) {
        ++out.near;
        addExample({{"kind", "near"},
                    {"train", refs_.describe(header.ref)},
                    {"valid", refs_.describe(match->ref)},
                    {"similarity", std::round(match->similarity * 100) / 100}});
      }
    }
    return Status::ok();
  });
  if (!compared.isOk()) return compared;

  nlohmann::json fields = nlohmann::json::array();
  for (const auto& field : options_.fields) fields.push_back(field.text());
  out.report = {{"fields", std::move(fields)},
                {"compared", {{"train", train_keyed}, {"valid", valid_keyed}}},
                {"unkeyed_records", unkeyed},
                {"on_leak", options_.fail ? "fail" : "warn"},
                {"examples", std::move(examples)},
                {"memory_peak_mb", std::round(static_cast<double>(budget.peak()) / (1024.0 * 1024.0) * 10) / 10}};
  if (options_.exact) out.report["exact_duplicates"] = out.exact;
  if (options_.near) {
    out.report["near_duplicates"] = out.near;
    out.report["near_threshold"] = options_.near->threshold;
  }
  return out;
}

}  // namespace ajuste::split_random
