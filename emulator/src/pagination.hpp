#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "api_error.hpp"

namespace ajuste::emulator {

// Cursor pagination as the API does it: `ids` in listing order, `after` names the last item
// of the previous page (an unknown cursor gives an empty page), `limit` caps the page.
struct Page {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool has_more = false;
};

inline Page paginate(const std::vector<std::string>& ids, const std::string& after, std::size_t limit) {
  Page page;
  if (!after.empty()) {
    const auto found = std::find(ids.begin(), ids.end(), after);
    page.begin = found == ids.end() ? ids.size() : static_cast<std::size_t>(found - ids.begin()) + 1;
  }
  page.end = std::min(ids.size(), page.begin + limit);
  page.has_more = page.end < ids.size();
  return page;
}

inline std::string queryValue(const std::multimap<std::string, std::string>& query, const std::string& key) {
  const auto found = query.find(key);
  return found == query.end() ? std::string() : found->second;
}

inline std::size_t limitParam(const std::multimap<std::string, std::string>& query, std::size_t fallback,
                              std::size_t max) {
  const std::string text = queryValue(query, "limit");
  if (text.empty()) return fallback;
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || value < 1 || static_cast<unsigned long long>(value) > max)
    throw badRequest("Invalid 'limit': expected an integer between 1 and " + std::to_string(max) + ", got '" + text + "'",
                     "limit", "integer_out_of_range");
  return static_cast<std::size_t>(value);
}

}  // namespace ajuste::emulator
