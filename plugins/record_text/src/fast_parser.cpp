#include "record_text/fast_parser.hpp"

#include <cstdint>

#include <simdjson.h>

namespace ajuste::record_text {
namespace {

// What the parser is first sized for; it grows to the largest text it has seen.
constexpr std::size_t kInitialBytes = std::size_t{1} << 12;

// Builds from simdjson's DOM the value nlohmann::json::parse builds from the same text: objects
// keep the last of duplicate keys; integers are number_unsigned when non-negative and
// number_integer when negative, as nlohmann reads them. Sets `zero_integer` on an integer 0,
// which nlohmann keeps signed when written "-0" (simdjson cannot tell).
void buildValue(simdjson::dom::element element, nlohmann::json& out, bool& zero_integer) {
  using Type = simdjson::dom::element_type;
  switch (element.type()) {
    case Type::OBJECT: {
      out = nlohmann::json::object();
      auto& object = out.get_ref<nlohmann::json::object_t&>();
      for (const simdjson::dom::key_value_pair field : simdjson::dom::object(element)) {
        buildValue(field.value, object[std::string(field.key)], zero_integer);
      }
      return;
    }
    case Type::ARRAY: {
      out = nlohmann::json::array();
      auto& array = out.get_ref<nlohmann::json::array_t&>();
      const simdjson::dom::array items(element);
      array.reserve(items.size());
      for (const simdjson::dom::element item : items) buildValue(item, array.emplace_back(), zero_integer);
      return;
    }
    case Type::STRING: out = std::string(std::string_view(element)); return;
    case Type::INT64: {
      const std::int64_t value = element.get_int64().value_unsafe();
      if (value == 0) zero_integer = true;
      if (value >= 0) {
        out = static_cast<std::uint64_t>(value);
      } else {
        out = value;
      }
      return;
    }
    case Type::UINT64: out = element.get_uint64().value_unsafe(); return;
    case Type::DOUBLE: out = element.get_double().value_unsafe(); return;
    case Type::BOOL: out = element.get_bool().value_unsafe(); return;
    case Type::NULL_VALUE: out = nullptr; return;
  }
}

}  // namespace

class FastParser::Impl {
 public:
  // The depth limit is set once here; the parser keeps it when it grows. If that allocation
  // fails, every text goes to nlohmann.
  Impl() : ready_(parser_.allocate(kInitialBytes, kMaxDepth) == simdjson::SUCCESS) {}

  bool parsed(const std::string& text, simdjson::dom::element& root) {
    if (!ready_ || text.size() > kMaxBytes) return false;
    const bool padded = text.capacity() - text.size() >= simdjson::SIMDJSON_PADDING;
    return parser_.parse(text.data(), text.size(), !padded).get(root) == simdjson::SUCCESS;
  }

 private:
  simdjson::dom::parser parser_{kMaxBytes};
  bool ready_;
};

FastParser::FastParser() : impl_(std::make_unique<Impl>()) {}
FastParser::~FastParser() = default;

std::optional<nlohmann::json> FastParser::parse(const std::string& text) {
  simdjson::dom::element root;
  if (!impl_->parsed(text, root)) return std::nullopt;
  nlohmann::json value;
  bool zero_integer = false;
  buildValue(root, value, zero_integer);
  if (zero_integer && text.find("-0") != std::string::npos) return std::nullopt;
  return value;
}

bool FastParser::isObject(const std::string& text) {
  simdjson::dom::element root;
  return impl_->parsed(text, root) && root.type() == simdjson::dom::element_type::OBJECT;
}

void buildValue(Record& record) {
  if (!isTextOnly(record)) return;
  thread_local FastParser parser;
  if (auto value = parser.parse(record.text)) {
    record.value = std::move(*value);
  } else {
    record.value = nlohmann::json::parse(record.text);
  }
}

}  // namespace ajuste::record_text
