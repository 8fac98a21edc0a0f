// Fuzz target for JsonDocument, the index the text stages read records held as text with.
// Invariants, whatever the bytes:
// - indexing and every walk (members, elements, strings, lookups) stay inside the text (the
//   sanitizers of the test build watch it) and end;
// - a text nlohmann::json::parse accepts has a valid root that reads as nlohmann's value: the
//   same types, strings, members (the last of duplicate keys), elements, and compactOf() is
//   dump() — so a record held as text compares and cleans as its value would.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "../../ingest_common/fuzz/fuzz_check.hpp"
#include "record_text/json_view.hpp"

namespace {

using ajuste::record_text::JsonView;
using Json = nlohmann::json;

bool sameAs(const JsonView& view, const Json& value, int depth) {
  if (depth > 64) return true;  // deeper than any record needs; the walk itself is checked above
  std::string scratch;
  switch (value.type()) {
    case Json::value_t::object: {
      if (!view.isObject() || view.empty() != value.empty()) return false;
      for (const auto& [key, member] : value.items()) {
        const auto found = view.find(key);
        if (!found || !sameAs(*found, member, depth + 1)) return false;
      }
      return true;
    }
    case Json::value_t::array: {
      if (!view.isArray() || view.empty() != value.empty()) return false;
      std::size_t i = 0;
      bool same = true;
      view.forEachElement([&](const JsonView& element) {
        same = same && i < value.size() && sameAs(element, value[i], depth + 1);
        ++i;
      });
      return same && i == value.size();
    }
    case Json::value_t::string: return view.isString() && view.string(scratch) == value.get_ref<const std::string&>();
    case Json::value_t::null: return view.isNull();
    case Json::value_t::boolean: return view.type() == JsonView::Type::kBool;
    default: return view.type() == JsonView::Type::kNumber;
  }
}

void walk(const JsonView& view, int depth) {
  if (depth > 600) return;
  std::string scratch;
  (void)view.token();
  (void)view.string(scratch);
  (void)view.find("content");
  (void)view.at(1);
  view.forEachMember([&](std::string_view key, const JsonView& member) {
    (void)key.size();
    walk(member, depth + 1);
  });
  view.forEachElement([&](const JsonView& element) { walk(element, depth + 1); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const ajuste::record_text::JsonDocument document(text);
  walk(document.root(), 0);
  // nlohmann reads a NUL byte as the end of the input (ingest/jsonl rejects such lines first).
  if (text.find('\0') != std::string::npos) return 0;
  const Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return 0;
  AJUSTE_FUZZ_CHECK(document.root().valid(), text);
  AJUSTE_FUZZ_CHECK(sameAs(document.root(), parsed, 0), text);
  AJUSTE_FUZZ_CHECK(ajuste::record_text::compactOf(document.root()) == parsed.dump(-1, ' ', false, Json::error_handler_t::replace), text);
  return 0;
}
