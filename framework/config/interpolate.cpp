#include "config/interpolate.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace ajuste {
namespace {

bool isNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool isNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

Status errorAt(std::size_t offset, std::string message) {
  return Status::configError(std::to_string(offset), std::move(message));
}

}  // namespace

std::optional<std::string> lookupEnvironment(const std::string& name) {
  if (const char* value = std::getenv(name.c_str())) return std::string(value);
  return std::nullopt;
}

bool looksLikeSecretName(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (const char* marker : {"KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"}) {
    if (upper.find(marker) != std::string::npos) return true;
  }
  return false;
}

Result<Interpolated> interpolate(std::string_view text, const EnvLookup& lookup) {
  Interpolated out;
  out.text.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "$${") == 0) {
      out.text += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out.text += text[i++];
      continue;
    }
    const std::size_t start = i;
    const std::size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      return errorAt(start, "unterminated '${' (write '}' after the variable name, or '$${' for a literal '${')");
    }
    const std::string_view inside = text.substr(i + 2, close - i - 2);
    std::size_t name_end = 0;
    while (name_end < inside.size() && isNameChar(inside[name_end])) ++name_end;
    const std::string name(inside.substr(0, name_end));
    if (name.empty() || !isNameStart(name[0])) {
      return errorAt(start, "'${" + std::string(inside) +
                                "}' is not a variable reference: use ${NAME} or ${NAME:-default} with a name of "
                                "letters, digits and '_'");
    }
    std::optional<std::string> fallback;
    const std::string_view rest = inside.substr(name_end);
    if (rest.rfind(":-", 0) == 0) {
      fallback = std::string(rest.substr(2));
    } else if (!rest.empty()) {
      return errorAt(start, "'${" + std::string(inside) + "}': only ${NAME} and ${NAME:-default} are supported");
    }
    std::optional<std::string> value = lookup(name);
    if (value && !value->empty() && looksLikeSecretName(name)) out.secrets.push_back(*value);
    if (!value || (value->empty() && fallback)) value = fallback;
    if (!value) {
      return errorAt(start, "environment variable " + name + " is not set; export it, or write ${" + name +
                                ":-default} to give a default");
    }
    out.variables.push_back(name);
    out.text += *value;
    i = close + 1;
  }
  return out;
}

}  // namespace ajuste
