#include "ingest_common/json_errors.hpp"

#include <cstddef>
#include <string_view>

#include "ingest_common/utf8.hpp"

namespace ajuste::ingest {
namespace {

constexpr std::size_t kMaxMessageBytes = 300;

}  // namespace

std::string jsonErrorText(const nlohmann::json::exception& error) {
  std::string_view what = error.what();
  if (const auto bracket = what.find("] "); what.starts_with("[json.exception.") && bracket != std::string_view::npos) {
    what.remove_prefix(bracket + 2);
  }
  if (what.starts_with("parse error")) {
    if (const auto colon = what.find(": "); colon != std::string_view::npos) what.remove_prefix(colon + 2);
  }
  std::string message(utf8Prefix(what, kMaxMessageBytes));
  if (message.size() < what.size()) message += "...";
  return message;
}

}  // namespace ajuste::ingest
