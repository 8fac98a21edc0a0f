#include "faults.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

#include "ids.hpp"

namespace ajuste::emulator {
namespace {

using nlohmann::json;

const std::set<std::string, std::less<>> kKeys = {
    "path", "method", "status", "message", "retry_after", "retry_after_ms", "delay_ms", "drop", "drop_after_bytes",
    "job_fails", "at_step", "error", "headers", "after", "every", "rate", "first"};

[[noreturn]] void invalid(const std::string& key, const json& value, const std::string& expected) {
  throw std::invalid_argument("fault key '" + key + "': expected " + expected + ", got " + value.dump());
}

std::int64_t integer(const json& spec, const std::string& key, std::int64_t min, std::int64_t max) {
  const json& value = spec.at(key);
  if (!value.is_number_integer() || value.get<std::int64_t>() < min || value.get<std::int64_t>() > max)
    invalid(key, value, "an integer in " + std::to_string(min) + ".." + std::to_string(max));
  return value.get<std::int64_t>();
}

double number(const json& spec, const std::string& key, double min, double max) {
  const json& value = spec.at(key);
  if (!value.is_number() || value.get<double>() < min || value.get<double>() > max)
    invalid(key, value, "a number in " + std::to_string(min) + ".." + std::to_string(max));
  return value.get<double>();
}

std::string text(const json& spec, const std::string& key) {
  const json& value = spec.at(key);
  if (!value.is_string()) invalid(key, value, "a string");
  return value.get<std::string>();
}

json scalarFromText(const std::string& value) {
  if (value == "true") return true;
  if (value == "false") return false;
  if (!value.empty() && (std::isdigit(static_cast<unsigned char>(value[0])) != 0 || value[0] == '-')) {
    try {
      return json::parse(value);
    } catch (const json::parse_error&) {
      return value;
    }
  }
  return value;
}

}  // namespace

bool globMatch(std::string_view pattern, std::string_view text) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

FaultSpec parseFault(const json& spec) {
  if (!spec.is_object()) throw std::invalid_argument("a fault must be a JSON object, got " + spec.dump());
  for (const auto& [key, value] : spec.items()) {
    if (kKeys.find(key) == kKeys.end()) {
      std::string known;
      for (const auto& name : kKeys) known += (known.empty() ? "" : ", ") + name;
      throw std::invalid_argument("unknown fault key '" + key + "'; known keys: " + known);
    }
  }
  FaultSpec f;
  if (spec.contains("job_fails")) {
    if (!spec["job_fails"].is_boolean()) invalid("job_fails", spec["job_fails"], "true or false");
    f.job_fails = spec["job_fails"].get<bool>();
  }
  if (f.job_fails) {
    // A failing job is decided when it is created.
    f.path = "*/fine_tuning/jobs";
    f.method = "POST";
  }
  if (spec.contains("path")) f.path = text(spec, "path");
  if (spec.contains("method")) {
    f.method = text(spec, "method");
    std::transform(f.method.begin(), f.method.end(), f.method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  }
  if (spec.contains("status")) f.status = static_cast<int>(integer(spec, "status", 100, 599));
  if (spec.contains("message")) f.message = text(spec, "message");
  if (spec.contains("retry_after")) f.retry_after = number(spec, "retry_after", 0, 86400);
  if (spec.contains("retry_after_ms")) f.retry_after_ms = integer(spec, "retry_after_ms", 0, 86400000);
  if (spec.contains("delay_ms")) f.delay_ms = integer(spec, "delay_ms", 0, 600000);
  if (spec.contains("drop")) {
    const std::string drop = text(spec, "drop");
    if (drop == "request") {
      f.drop = DropKind::kRequest;
    } else if (drop == "response") {
      f.drop = DropKind::kResponse;
    } else {
      invalid("drop", spec["drop"], "\"request\" (mid-body) or \"response\" (after the work is done)");
    }
  }
  if (spec.contains("drop_after_bytes"))
    f.drop_after_bytes = static_cast<std::size_t>(integer(spec, "drop_after_bytes", 0, INT64_MAX));
  if (spec.contains("at_step")) f.at_step = integer(spec, "at_step", 1, INT64_MAX);
  if (spec.contains("error")) {
    if (!spec["error"].is_object()) invalid("error", spec["error"], "an object {\"code\",\"message\",\"param\"}");
    f.error = spec["error"];
  }
  if (spec.contains("headers")) {
    if (!spec["headers"].is_object()) invalid("headers", spec["headers"], "an object of header names to strings");
    for (const auto& [name, value] : spec["headers"].items()) {
      if (!value.is_string()) invalid("headers." + name, value, "a string");
      f.headers[name] = value.get<std::string>();
    }
  }
  if (spec.contains("after")) f.after = integer(spec, "after", 0, INT64_MAX);
  if (spec.contains("every")) f.every = integer(spec, "every", 1, INT64_MAX);
  if (spec.contains("rate")) f.rate = number(spec, "rate", 0, 1);
  if (spec.contains("first")) f.first = integer(spec, "first", 0, INT64_MAX);
  if (!f.status && f.delay_ms == 0 && f.drop == DropKind::kNone && !f.job_fails)
    throw std::invalid_argument("fault " + spec.dump() +
                                " does nothing: give it a status, delay_ms, drop or job_fails");
  if ((f.at_step || !f.error.is_null()) && !f.job_fails)
    throw std::invalid_argument("fault keys 'at_step' and 'error' need \"job_fails\": true");
  return f;
}

FaultSpec parseFaultArgument(std::string_view argument) {
  const std::string text_value(argument);
  const auto first = text_value.find_first_not_of(" \t");
  if (first != std::string::npos && text_value[first] == '{') {
    try {
      return parseFault(json::parse(text_value));
    } catch (const json::parse_error& e) {
      throw std::invalid_argument("fault '" + text_value + "' is not valid JSON: " + e.what());
    }
  }
  json spec = json::object();
  std::size_t start = 0;
  while (start <= text_value.size()) {
    std::size_t end = text_value.find(',', start);
    if (end == std::string::npos) end = text_value.size();
    const std::string item = text_value.substr(start, end - start);
    start = end + 1;
    if (item.empty()) continue;
    const auto equals = item.find('=');
    if (equals == std::string::npos)
      throw std::invalid_argument("fault '" + text_value + "': '" + item + "' is not key=value");
    const std::string key = item.substr(0, equals);
    const std::string value = item.substr(equals + 1);
    spec[key] = (key == "path" || key == "method" || key == "message" || key == "drop") ? json(value) : scalarFromText(value);
  }
  return parseFault(spec);
}

std::vector<FaultSpec> parseFaultList(const json& document) {
  const json& list = document.is_object() && document.contains("faults") ? document["faults"] : document;
  if (!list.is_array()) throw std::invalid_argument("a fault file holds a JSON array of faults or {\"faults\": [...]}");
  std::vector<FaultSpec> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    try {
      out.push_back(parseFault(list[i]));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("fault #" + std::to_string(i + 1) + ": " + e.what());
    }
  }
  return out;
}

json FaultSpec::toJson() const {
  json out = {{"path", path}, {"after", after}, {"every", every}, {"rate", rate}, {"first", first}};
  if (!method.empty()) out["method"] = method;
  if (status) out["status"] = *status;
  if (!message.empty()) out["message"] = message;
  if (retry_after) out["retry_after"] = *retry_after;
  if (retry_after_ms) out["retry_after_ms"] = *retry_after_ms;
  if (delay_ms > 0) out["delay_ms"] = delay_ms;
  if (drop != DropKind::kNone) out["drop"] = drop == DropKind::kRequest ? "request" : "response";
  if (drop_after_bytes) out["drop_after_bytes"] = *drop_after_bytes;
  if (job_fails) out["job_fails"] = true;
  if (at_step) out["at_step"] = *at_step;
  if (!error.is_null()) out["error"] = error;
  if (!headers.empty()) out["headers"] = headers;
  return out;
}

FaultInjector::FaultInjector(std::vector<FaultSpec> faults, std::uint64_t seed) : seed_(seed) { replace(std::move(faults)); }

void FaultInjector::replace(std::vector<FaultSpec> faults) {
  const std::lock_guard lock(mutex_);
  slots_.clear();
  for (auto& spec : faults) slots_.push_back(Slot{std::move(spec), 0, 0});
}

void FaultInjector::resetCounts() {
  const std::lock_guard lock(mutex_);
  for (auto& slot : slots_) {
    slot.matched = 0;
    slot.fired = 0;
  }
}

FaultHit FaultInjector::decide(std::string_view method, std::string_view path) {
  const std::lock_guard lock(mutex_);
  FaultHit hit;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    const FaultSpec& spec = slot.spec;
    if (!spec.method.empty() && spec.method != method) continue;
    if (!globMatch(spec.path, path)) continue;
    const std::int64_t match = ++slot.matched;
    if (match <= spec.after) continue;
    if ((match - spec.after) % spec.every != 0) continue;
    if (spec.rate < 1.0 &&
        unitInterval(hashText("fault" + std::to_string(i) + "#" + std::to_string(match), seed_)) >= spec.rate)
      continue;
    if (spec.first > 0 && slot.fired >= spec.first) continue;
    ++slot.fired;
    ++hit.fired;
    hit.delay_ms += spec.delay_ms;
    if (spec.status && !hit.status) {
      hit.status = spec.status;
      hit.message = spec.message;
      for (const auto& [name, value] : spec.headers) hit.headers[name] = value;
      if (spec.retry_after) {
        const double seconds = *spec.retry_after;
        hit.headers["retry-after"] = seconds == static_cast<double>(static_cast<std::int64_t>(seconds))
                                         ? std::to_string(static_cast<std::int64_t>(seconds))
                                         : json(seconds).dump();
      }
      if (spec.retry_after_ms) hit.headers["retry-after-ms"] = std::to_string(*spec.retry_after_ms);
    }
    if (spec.drop != DropKind::kNone && hit.drop == DropKind::kNone) {
      hit.drop = spec.drop;
      hit.drop_after_bytes = spec.drop_after_bytes;
    }
    if (spec.job_fails && !hit.job_failure) hit.job_failure = spec;
  }
  return hit;
}

json FaultInjector::describe() const {
  const std::lock_guard lock(mutex_);
  json out = json::array();
  for (const auto& slot : slots_) {
    json item = slot.spec.toJson();
    item["matched"] = slot.matched;
    item["fired"] = slot.fired;
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace ajuste::emulator
