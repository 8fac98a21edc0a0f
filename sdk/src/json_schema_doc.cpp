// documentOptions: renders a schema as rows for `ajuste plugins describe`. Works on the raw
// document, which JsonSchema::parse has already checked, so malformed input needs no messages here.
#include "ajuste/json_schema.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace ajuste {
namespace {

using Json = nlohmann::json;

// Deeper option trees are rare and unreadable as flat rows; stop expanding there.
constexpr std::size_t kMaxDepth = 8;
// A $ref chain longer than this means something is off; the validator has rejected real loops.
constexpr std::size_t kMaxRefHops = 64;

std::string dumpJson(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string percentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned value = 0;
    if (text[i] == '%' && i + 2 < text.size() &&
        std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16).ptr == text.data() + i + 3) {
      out += static_cast<char>(value);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

class Renderer {
 public:
  explicit Renderer(const Json& document) : document_(document) {}

  std::vector<OptionDoc> run() {
    std::vector<OptionDoc> rows;
    std::set<const Json*> open;
    addProperties(document_, "", rows, open, 0);
    return rows;
  }

 private:
  const Json* follow(const Json& schema) const {
    const auto ref = schema.find("$ref");
    if (ref == schema.end() || !ref->is_string()) return nullptr;
    const auto& text = ref->get_ref<const std::string&>();
    if (text.empty() || text.front() != '#') return nullptr;
    try {
      const Json::json_pointer pointer(percentDecode(std::string_view(text).substr(1)));
      return document_.contains(pointer) ? &document_.at(pointer) : nullptr;
    } catch (const Json::exception&) {
      return nullptr;
    }
  }

  // The keyword as the schema or, failing that, its $ref chain defines it.
  const Json* keyword(const Json& schema, std::string_view name) const {
    const Json* current = &schema;
    for (std::size_t hops = 0; current != nullptr && current->is_object() && hops < kMaxRefHops; ++hops) {
      const auto it = current->find(name);
      if (it != current->end()) return &*it;
      current = follow(*current);
    }
    return nullptr;
  }

  // Properties and required names from the schema, its $ref chain and its allOf members.
  void collect(const Json& schema, std::vector<std::pair<std::string, const Json*>>& properties,
               std::set<std::string>& required, std::size_t hops) const {
    if (!schema.is_object() || hops > kMaxRefHops) return;
    if (const auto it = schema.find("properties"); it != schema.end() && it->is_object()) {
      for (const auto& [name, sub] : it->items()) {
        const std::string& key = name;  // a lambda may not capture a structured binding in clang 14
        const bool known = std::any_of(properties.begin(), properties.end(),
                                       [&](const auto& entry) { return entry.first == key; });
        if (!known) properties.emplace_back(name, &sub);
      }
    }
    if (const auto it = schema.find("required"); it != schema.end() && it->is_array()) {
      for (const Json& name : *it) {
        if (name.is_string()) required.insert(name.get<std::string>());
      }
    }
    if (const Json* target = follow(schema)) collect(*target, properties, required, hops + 1);
    if (const auto it = schema.find("allOf"); it != schema.end() && it->is_array()) {
      for (const Json& member : *it) collect(member, properties, required, hops + 1);
    }
  }

  void addProperties(const Json& schema, const std::string& prefix, std::vector<OptionDoc>& rows,
                     std::set<const Json*>& open, std::size_t depth) const {
    std::vector<std::pair<std::string, const Json*>> properties;
    std::set<std::string> required;
    collect(schema, properties, required, 0);
    std::sort(properties.begin(), properties.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [name, sub] : properties) {
      OptionDoc row;
      row.name = prefix + name;
      row.type = typeText(*sub, 0);
      row.required = required.count(name) > 0;
      if (const Json* fallback = keyword(*sub, "default")) row.default_value = dumpJson(*fallback);
      if (const Json* text = keyword(*sub, "description"); text != nullptr && text->is_string()) {
        row.description = text->get<std::string>();
      } else if (const Json* title = keyword(*sub, "title"); title != nullptr && title->is_string()) {
        row.description = title->get<std::string>();
      }
      row.constraints = constraints(*sub);
      rows.push_back(std::move(row));

      // Expand nested objects once per path: a recursive schema (a tree node) would never end.
      const Json* target = sub;
      for (std::size_t hops = 0; hops < kMaxRefHops && target != nullptr && !target->contains("properties"); ++hops) {
        target = follow(*target);
      }
      if (target == nullptr || depth + 1 >= kMaxDepth || open.count(target) > 0) continue;
      open.insert(target);
      addProperties(*sub, prefix + name + ".", rows, open, depth + 1);
      open.erase(target);
    }
  }

  std::string typeText(const Json& schema, std::size_t hops) const {
    if (hops > kMaxRefHops) return "any";
    if (schema.is_boolean()) return schema.get<bool>() ? "any" : "none";
    if (const Json* value = keyword(schema, "const")) return dumpJson(*value);
    if (const Json* values = keyword(schema, "enum"); values != nullptr && values->is_array()) {
      std::string out;
      for (const Json& value : *values) out += (out.empty() ? "" : " | ") + dumpJson(value);
      return out;
    }
    if (const Json* type = keyword(schema, "type")) {
      std::vector<std::string> names;
      const auto add = [&](const Json& name) {
        if (!name.is_string()) return;
        names.push_back(name == "array" ? arrayText(schema, hops) : name.get<std::string>());
      };
      if (type->is_array()) {
        for (const Json& name : *type) add(name);
      } else {
        add(*type);
      }
      return join(names);
    }
    for (std::string_view group : {"anyOf", "oneOf"}) {
      if (const auto it = schema.find(group); it != schema.end() && it->is_array()) {
        std::vector<std::string> names;
        for (const Json& branch : *it) {
          std::string text = typeText(branch, hops + 1);
          if (std::find(names.begin(), names.end(), text) == names.end()) names.push_back(std::move(text));
        }
        return join(names);
      }
    }
    if (keyword(schema, "properties") != nullptr) return "object";
    if (keyword(schema, "items") != nullptr || keyword(schema, "prefixItems") != nullptr) return arrayText(schema, hops);
    return "any";
  }

  std::string arrayText(const Json& schema, std::size_t hops) const {
    const Json* items = keyword(schema, "items");
    if (items == nullptr || (items->is_boolean() && items->get<bool>())) return "array";
    const std::string item = typeText(*items, hops + 1);
    return "array of " + (item.find(" | ") == std::string::npos ? item : "(" + item + ")");
  }

  static std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : " | ") + name;
    return out.empty() ? "any" : out;
  }

  std::string constraints(const Json& schema) const {
    std::vector<std::string> parts;
    const auto text = [&](std::string_view name) -> std::string {
      const Json* value = keyword(schema, name);
      return value == nullptr ? std::string() : value->is_string() ? value->get<std::string>() : dumpJson(*value);
    };

    // Bounds read like the maths a user would write: "0 < x < 1", "x >= 1".
    std::string low_op = "<";
    std::string low = text("exclusiveMinimum");
    if (low.empty()) {
      low = text("minimum");
      low_op = "<=";
    }
    std::string high_op = "<";
    std::string high = text("exclusiveMaximum");
    if (high.empty()) {
      high = text("maximum");
      high_op = "<=";
    }
    if (!low.empty() && !high.empty()) {
      parts.push_back(low + " " + low_op + " x " + high_op + " " + high);
    } else if (!low.empty()) {
      parts.push_back("x " + std::string(low_op == "<" ? ">" : ">=") + " " + low);
    } else if (!high.empty()) {
      parts.push_back("x " + high_op + " " + high);
    }
    if (const auto step = text("multipleOf"); !step.empty()) parts.push_back("multiple of " + step);

    const auto range = [&](std::string_view min_key, std::string_view max_key, std::string_view noun) {
      const auto min = text(min_key);
      const auto max = text(max_key);
      if (!min.empty() && !max.empty()) {
        parts.push_back(std::string(noun) + " " + min + ".." + max);
      } else if (!min.empty()) {
        parts.push_back("min " + std::string(noun) + " " + min);
      } else if (!max.empty()) {
        parts.push_back("max " + std::string(noun) + " " + max);
      }
    };
    range("minLength", "maxLength", "length");
    if (const auto pattern = text("pattern"); !pattern.empty()) parts.push_back("pattern " + pattern);
    if (const auto format = text("format"); !format.empty()) parts.push_back("format " + format);
    range("minItems", "maxItems", "items");
    if (const Json* unique = keyword(schema, "uniqueItems"); unique != nullptr && *unique == true) {
      parts.emplace_back("unique items");
    }
    range("minProperties", "maxProperties", "properties");
    if (const Json* deprecated = keyword(schema, "deprecated"); deprecated != nullptr && *deprecated == true) {
      parts.emplace_back("deprecated");
    }
    if (const Json* secret = keyword(schema, "x-secret"); secret != nullptr && *secret == true) {
      parts.emplace_back("secret");
    }

    std::string out;
    for (const auto& part : parts) out += (out.empty() ? "" : ", ") + part;
    return out;
  }

  const Json& document_;
};

}  // namespace

std::vector<OptionDoc> documentOptions(const JsonSchema& schema) { return Renderer(schema.document()).run(); }

}  // namespace ajuste
