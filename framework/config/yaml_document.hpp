#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/interpolate.hpp"
#include "config/source_location.hpp"

namespace ajuste {

// Where a value of the document came from.
struct NodePosition {
  SourceLocation key;    // the mapping key that holds the value (unknown for sequence items)
  SourceLocation value;  // the value itself
  // The text of an unquoted scalar after interpolation: lets a schema that wants a string
  // turn `suffix: 123` back into "123" instead of failing on a number.
  std::optional<std::string> plain_text;
  // The scalar used ${VAR}: its text may be typed by the schema even when quoted, since flow
  // style (`with: {count: "${N}"}`) needs the quotes.
  std::optional<std::string> interpolated_text;
  // Set by --set overrides: `value` names the command-line argument, not a file position.
  bool from_command_line = false;
};

// A YAML file as JSON, with the position of every value by JSON pointer, so that errors found
// later (schema checks, plugin config errors) can name file:line:column.
class YamlDocument {
 public:
  // Reads and converts `file`: YAML 1.2 core-schema scalars (quoted scalars stay strings),
  // `${VAR}` interpolation in every scalar, duplicate keys refused. Problems are appended to
  // `errors`; nullopt when the document could not be made.
  static std::optional<YamlDocument> parse(std::string_view text, const std::string& display_name,
                                           const EnvLookup& env, std::vector<Diagnostic>& errors);

  [[nodiscard]] const nlohmann::json& root() const { return root_; }
  nlohmann::json& root() { return root_; }
  [[nodiscard]] const std::string& displayName() const { return display_name_; }

  // The position of the value at `pointer`, or of the nearest enclosing value that has one.
  [[nodiscard]] SourceLocation locate(std::string_view pointer, bool prefer_key = false) const;
  [[nodiscard]] const NodePosition* position(std::string_view pointer) const;
  void setPosition(std::string pointer, NodePosition position) { positions_[std::move(pointer)] = std::move(position); }
  // Values that came from credential-like environment variables.
  [[nodiscard]] const std::vector<std::string>& secrets() const { return secrets_; }

 private:
  std::string display_name_;
  nlohmann::json root_;
  std::map<std::string, NodePosition, std::less<>> positions_;
  std::vector<std::string> secrets_;

  friend class YamlConverter;
};

// The whole text of a YAML file, or an error saying why it cannot be read.
std::optional<std::string> readPipelineText(const std::filesystem::path& file, std::vector<Diagnostic>& errors);

// "a/b" -> "a~1b" as JSON pointers require.
std::string escapePointerToken(std::string_view token);
// A scalar's YAML 1.2 core-schema value: null, bool, integer, float or string.
nlohmann::json typePlainScalar(const std::string& text);

}  // namespace ajuste
