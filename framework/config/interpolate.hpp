#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ajuste/status.hpp"

namespace ajuste {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment.
std::optional<std::string> lookupEnvironment(const std::string& name);

struct Interpolated {
  std::string text;
  std::vector<std::string> variables;  // names used, in order
  std::vector<std::string> secrets;    // values of used variables that look like credentials
};

// Expands `${VAR}` and `${VAR:-default}` (default used when VAR is unset or empty, as in the
// shell); `$${` stays a literal `${`. An unset variable without a default is an error that
// says how to fix it. The offset of the problem within `text` is in the error's pointer.
Result<Interpolated> interpolate(std::string_view text, const EnvLookup& lookup);

// Names such as OPENAI_API_KEY, AZURE_TOKEN, DB_PASSWORD: their values are redacted everywhere.
bool looksLikeSecretName(std::string_view name);

}  // namespace ajuste
