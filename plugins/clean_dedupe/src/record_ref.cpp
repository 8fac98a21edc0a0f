#include "record_ref.hpp"

#include <algorithm>
#include <cstddef>

namespace ajuste::clean_dedupe {
namespace {

constexpr unsigned kSourceShift = 48;
constexpr std::uint64_t kLineFlag = std::uint64_t{1} << 47;
constexpr std::uint64_t kNumberMask = kLineFlag - 1;
constexpr std::size_t kMaxSources = std::size_t{1} << 16;

}  // namespace

Result<RecordRef> RecordRefs::pack(const Provenance& origin) {
  // Records arrive source after source, so the last source is nearly always the one.
  auto found = sources_.empty() || sources_.back() != origin.source
                   ? std::find(sources_.begin(), sources_.end(), origin.source)
                   : sources_.end() - 1;
  if (found == sources_.end()) {
    if (sources_.size() == kMaxSources) {
      return Status::dataError("clean/dedupe handles at most 65536 input sources in one run; merge the inputs");
    }
    sources_.push_back(origin.source);
    found = sources_.end() - 1;
  }
  const bool has_line = origin.line != 0;
  const std::uint64_t number = has_line ? origin.line : origin.index;
  if (number > kNumberMask) {
    return Status::dataError("clean/dedupe: record number " + std::to_string(number) + " of " + origin.source +
                             " is past 2^47");
  }
  const auto source = static_cast<std::uint64_t>(found - sources_.begin());
  return RecordRef{(source << kSourceShift) | (has_line ? kLineFlag : 0) | number};
}

std::string RecordRefs::describe(RecordRef ref) const {
  const auto source = static_cast<std::size_t>(ref >> kSourceShift);
  std::string out = source < sources_.size() ? sources_[source] : std::string("?");
  const std::uint64_t number = ref & kNumberMask;
  if ((ref & kLineFlag) != 0) return out + ":" + std::to_string(number);
  return out + " record #" + std::to_string(number);
}

}  // namespace ajuste::clean_dedupe
