#include "predictions.hpp"

#include <fstream>

#include <nlohmann/json.hpp>

namespace example {
namespace {

bool isBlank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

// The line's fields, or a message saying which one is wrong (the caller adds PATH:LINE).
ajuste::Result<Prediction> parseLine(const std::string& text) {
  const auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) return ajuste::Status::dataError("not a JSON object");
  Prediction prediction;
  const auto approach = value.find("approach");
  if (approach == value.end() || !approach->is_string() ||
      (*approach != "base_prompt" && *approach != "fine_tuned")) {
    return ajuste::Status::dataError("approach " + (approach == value.end() ? std::string("missing") : approach->dump()) +
                                     " is neither \"base_prompt\" nor \"fine_tuned\"");
  }
  prediction.approach = approach->get<std::string>();
  const auto expected = value.find("expected");
  if (expected == value.end() || !expected->is_string()) return ajuste::Status::dataError("no expected string");
  prediction.expected = expected->get<std::string>();
  const auto output = value.find("output");
  if (output != value.end() && output->is_string()) {
    prediction.output = output->get<std::string>();
  } else if (output != value.end() && !output->is_null()) {
    return ajuste::Status::dataError("output is " + output->dump() + ", neither a string nor null");
  }
  if (const auto model = value.find("model"); model != value.end() && model->is_string()) {
    prediction.model = model->get<std::string>();
  }
  return prediction;
}

}  // namespace

ajuste::Status readPredictions(const std::string& path, const std::function<ajuste::Status(const Prediction&)>& each) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ajuste::Status::ioError("cannot read the predictions file " + path);
  std::uint64_t line_number = 0;
  for (std::string text; std::getline(in, text);) {
    ++line_number;
    if (isBlank(text)) continue;
    auto parsed = parseLine(text);
    if (!parsed.ok()) return parsed.error().withPrefix(path + ":" + std::to_string(line_number));
    parsed->line = line_number;
    if (ajuste::Status status = each(*parsed); !status.isOk()) return status;
  }
  if (in.bad()) return ajuste::Status::ioError("cannot read the predictions file " + path);
  return ajuste::Status::ok();
}

}  // namespace example
