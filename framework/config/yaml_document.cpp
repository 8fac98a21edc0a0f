#include "config/yaml_document.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <algorithm>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace ajuste {

std::string escapePointerToken(std::string_view token) {
  std::string out;
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// [-+]?[0-9]+
bool isCoreInteger(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  return !text.empty() && std::all_of(text.begin(), text.end(), isDigit);
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool isCoreFloat(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  std::size_t digits = 0;
  while (i < text.size() && isDigit(text[i])) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && isDigit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    if (i == text.size()) return false;
    while (i < text.size() && isDigit(text[i])) ++i;
  }
  return i == text.size();
}

}  // namespace

nlohmann::json typePlainScalar(const std::string& text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (isCoreInteger(text)) {
    errno = 0;
    char* end = nullptr;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (errno == 0) return value;
    // Too large for an integer: keep the digits rather than lose precision silently.
    return text;
  }
  if (text.rfind("0x", 0) == 0 && text.size() > 2 &&
      text.find_first_not_of("0123456789abcdefABCDEF", 2) == std::string::npos && text.size() <= 18) {
    return std::stoll(text.substr(2), nullptr, 16);
  }
  if (isCoreFloat(text)) return std::strtod(text.c_str(), nullptr);
  if (text == ".inf" || text == "+.inf" || text == ".Inf") return std::numeric_limits<double>::infinity();
  if (text == "-.inf" || text == "-.Inf") return -std::numeric_limits<double>::infinity();
  return text;
}

class YamlConverter {
 public:
  YamlConverter(YamlDocument& document, const EnvLookup& env, std::vector<Diagnostic>& errors)
      : document_(document), env_(env), errors_(errors) {}

  nlohmann::json convert(const YAML::Node& node, const std::string& pointer, const SourceLocation& key) {
    NodePosition position{key, locationOf(node), std::nullopt, std::nullopt, false};
    nlohmann::json out;
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out = nullptr;
        break;
      case YAML::NodeType::Scalar:
        out = convertScalar(node, position);
        break;
      case YAML::NodeType::Sequence: {
        out = nlohmann::json::array();
        std::size_t index = 0;
        for (const auto& item : node) {
          out.push_back(convert(item, pointer + "/" + std::to_string(index++), SourceLocation{}));
        }
        break;
      }
      case YAML::NodeType::Map: {
        out = nlohmann::json::object();
        for (const auto& entry : node) {
          const SourceLocation key_location = locationOf(entry.first);
          if (!entry.first.IsScalar()) {
            errors_.push_back({key_location, "mapping keys must be plain names"});
            continue;
          }
          const std::string name = entry.first.Scalar();
          if (out.contains(name)) {
            errors_.push_back({key_location, "duplicate key '" + name + "' (the first is at " +
                                                 document_.locate(pointer + "/" + escapePointerToken(name), true)
                                                     .toString() +
                                                 "); remove one of them"});
            continue;
          }
          out[name] = convert(entry.second, pointer + "/" + escapePointerToken(name), key_location);
        }
        break;
      }
    }
    document_.positions_[pointer] = std::move(position);
    return out;
  }

 private:
  SourceLocation locationOf(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) return SourceLocation{document_.display_name_, 0, 0};
    return SourceLocation{document_.display_name_, mark.line + 1, mark.column + 1};
  }

  nlohmann::json convertScalar(const YAML::Node& node, NodePosition& position) {
    const bool plain = node.Tag() == "?" || node.Tag().empty();
    auto expanded = interpolate(node.Scalar(), env_);
    if (!expanded.ok()) {
      SourceLocation where = position.value;
      // The pointer of an interpolation error holds the offset of the '${' in the scalar;
      // for a one-line plain scalar the column is exact, otherwise the scalar's start is the best.
      if (plain && node.Scalar().find('\n') == std::string::npos && where.column > 0) {
        where.column += std::atoi(expanded.error().pointer().c_str());
      }
      errors_.push_back({where, expanded.error().message()});
      return nullptr;
    }
    for (const auto& secret : expanded->secrets) document_.secrets_.push_back(secret);
    if (!expanded->variables.empty()) position.interpolated_text = expanded->text;
    if (!plain) return expanded->text;
    position.plain_text = expanded->text;
    return typePlainScalar(expanded->text);
  }

  YamlDocument& document_;
  const EnvLookup& env_;
  std::vector<Diagnostic>& errors_;
};

std::optional<YamlDocument> YamlDocument::parse(std::string_view text, const std::string& display_name,
                                                const EnvLookup& env, std::vector<Diagnostic>& errors) {
  YamlDocument document;
  document.display_name_ = display_name;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    const SourceLocation where{display_name, e.mark.is_null() ? 0 : e.mark.line + 1,
                               e.mark.is_null() ? 0 : e.mark.column + 1};
    errors.push_back({where, "invalid YAML: " + e.msg});
    return std::nullopt;
  }
  const std::size_t errors_before = errors.size();
  YamlConverter converter(document, env, errors);
  document.root_ = converter.convert(root, "", SourceLocation{display_name, 1, 1});
  if (errors.size() != errors_before) return std::nullopt;
  return document;
}

std::optional<std::string> readPipelineText(const std::filesystem::path& file, std::vector<Diagnostic>& errors) {
  const std::string display = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const int saved_errno = errno;
    std::error_code ec;
    const bool exists = std::filesystem::exists(file, ec);
    errors.push_back({SourceLocation{display, 0, 0},
                      exists ? "cannot read the pipeline file: " + std::string(std::strerror(saved_errno))
                             : "pipeline file not found (relative paths start at " +
                                   std::filesystem::current_path().string() + ")"});
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const NodePosition* YamlDocument::position(std::string_view pointer) const {
  const auto it = positions_.find(pointer);
  return it == positions_.end() ? nullptr : &it->second;
}

SourceLocation YamlDocument::locate(std::string_view pointer, bool prefer_key) const {
  std::string current(pointer);
  for (;;) {
    if (const NodePosition* found = position(current)) {
      if (found->from_command_line) return found->value;
      if (prefer_key && found->key.line > 0) return found->key;
      if (found->value.line > 0) return found->value;
      if (found->key.line > 0) return found->key;
    }
    if (current.empty()) return SourceLocation{display_name_, 0, 0};
    current.resize(current.rfind('/'));
    prefer_key = false;
  }
}

}  // namespace ajuste
