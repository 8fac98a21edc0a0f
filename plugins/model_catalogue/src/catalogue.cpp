#include "model_catalogue/catalogue.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <exception>
#include <fstream>
#include <mutex>
#include <sstream>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "ajuste/suggest.hpp"

namespace ajuste::model_catalogue {
namespace {

constexpr std::string_view kKnownFormats[] = {"chat", "preference", "completion"};
constexpr std::string_view kKnownMethods[] = {"supervised", "dpo", "rft"};

bool isDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

template <class Range>
bool containsName(const Range& range, std::string_view name) {
  return std::find(std::begin(range), std::end(range), name) != std::end(range);
}

// Reads one YAML document into catalogue structures, remembering where each value came from so
// every message can say "file:line:column".
class Reader {
 public:
  explicit Reader(std::string_view origin) : origin_(origin) {}

  [[nodiscard]] Status error(const YAML::Node& node, const std::string& what) const {
    const YAML::Mark mark = node.Mark();
    std::string where = std::string(origin_);
    if (mark.line >= 0) where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    return Status::configError("/catalogue", where + ": " + what);
  }

  Status string(const YAML::Node& node, const std::string& path, std::string& out) const {
    if (!node.IsScalar()) return error(node, path + " must be a string");
    out = node.Scalar();
    return Status::ok();
  }

  Status date(const YAML::Node& node, const std::string& path, std::string& out) const {
    if (!node.IsScalar() || !parseDate(node.Scalar())) {
      return error(node, path + " must be a date YYYY-MM-DD, found " + describe(node));
    }
    out = node.Scalar();
    return Status::ok();
  }

  Status price(const YAML::Node& node, const std::string& path, std::optional<double>& out) const {
    if (node.IsNull()) {
      out.reset();
      return Status::ok();
    }
    double value = 0;
    if (!node.IsScalar() || !parseNumber(node.Scalar(), value) || value < 0) {
      return error(node, path + " must be a number >= 0 (USD), found " + describe(node));
    }
    out = value;
    return Status::ok();
  }

  Status count(const YAML::Node& node, const std::string& path, std::uint64_t& out) const {
    std::uint64_t value = 0;
    const std::string text = node.IsScalar() ? node.Scalar() : std::string();
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!node.IsScalar() || ec != std::errc() || end != text.data() + text.size() || value == 0) {
      return error(node, path + " must be a positive integer, found " + describe(node));
    }
    out = value;
    return Status::ok();
  }

  Status names(const YAML::Node& node, const std::string& path, std::vector<std::string>& out,
               std::string_view allowed_what, const std::vector<std::string_view>& allowed) const {
    if (!node.IsSequence()) return error(node, path + " must be a list, e.g. [" + std::string(allowed_what) + "]");
    out.clear();
    for (std::size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      if (!item.IsScalar()) return error(item, path + "[" + std::to_string(i) + "] must be a string");
      if (!allowed.empty() && !containsName(allowed, item.Scalar())) {
        return error(item, path + "[" + std::to_string(i) + "] \"" + item.Scalar() + "\" is not one of " +
                               std::string(allowed_what));
      }
      out.push_back(item.Scalar());
    }
    return Status::ok();
  }

  static std::string describe(const YAML::Node& node) {
    if (node.IsScalar()) return "\"" + node.Scalar() + "\"";
    if (node.IsSequence()) return "a list";
    if (node.IsMap()) return "a mapping";
    return "nothing";
  }

  static bool parseNumber(const std::string& text, double& out) {
    if (text.empty()) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
  }

 private:
  std::string_view origin_;
};

Status readModel(const Reader& reader, const YAML::Node& node, const std::string& path, ModelInfo& model,
                 bool is_new) {
  if (!node.IsMap()) return reader.error(node, path + " must be a mapping with id, encoding, context, ...");
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    const YAML::Node& value = entry.second;
    const std::string at = path + "." + key;
    Status status;
    if (key == "id") {
      continue;
    } else if (key == "released") {
      status = reader.date(value, at, model.released);
    } else if (key == "encoding") {
      std::string name;
      status = reader.string(value, at, name);
      if (status.isOk()) {
        const auto encoding = Encoding::parseName(name);
        if (!encoding) return reader.error(value, at + " \"" + name + "\" is not one of o200k_base, cl100k_base");
        model.encoding = *encoding;
      }
    } else if (key == "context" || key == "min_examples") {
      std::uint64_t number = 0;
      status = reader.count(value, at, number);
      if (status.isOk() && number > 0xFFFFFFFFu) return reader.error(value, at + " is too large");
      if (status.isOk()) (key == "context" ? model.context : model.min_examples) = static_cast<std::uint32_t>(number);
    } else if (key == "formats") {
      status = reader.names(value, at, model.formats, "chat, preference, completion",
                            {std::begin(kKnownFormats), std::end(kKnownFormats)});
    } else if (key == "methods") {
      status = reader.names(value, at, model.methods, "supervised, dpo, rft",
                            {std::begin(kKnownMethods), std::end(kKnownMethods)});
    } else if (key == "vision") {
      status = reader.names(value, at, model.vision, "openai, azure", {"openai", "azure"});
    } else if (key == "providers") {
      status = reader.names(value, at, model.providers, "openai, azure", {"openai", "azure"});
    } else if (key == "training_per_1m") {
      status = reader.price(value, at, model.training_per_1m);
    } else if (key == "training_per_hour") {
      status = reader.price(value, at, model.training_per_hour);
    } else if (key == "input_per_1m") {
      status = reader.price(value, at, model.input_per_1m);
    } else if (key == "cached_input_per_1m") {
      status = reader.price(value, at, model.cached_input_per_1m);
    } else if (key == "output_per_1m") {
      status = reader.price(value, at, model.output_per_1m);
    } else if (key == "shutdown") {
      if (!value.IsMap()) return reader.error(value, at + " must be a mapping provider: date, e.g. {openai: \"2027-01-14\"}");
      model.shutdown.clear();
      for (const auto& day : value) {
        const std::string provider = day.first.as<std::string>();
        if (provider != "openai" && provider != "azure") {
          return reader.error(day.first, at + " has provider \"" + provider + "\"; expected openai or azure");
        }
        std::string text;
        status = reader.date(day.second, at + "." + provider, text);
        if (!status.isOk()) return status;
        model.shutdown[provider] = text;
      }
    } else {
      return reader.error(entry.first, path + " has unknown key \"" + key +
                                           "\"; known keys are id, released, encoding, context, min_examples, "
                                           "formats, methods, vision, providers, training_per_1m, training_per_hour, "
                                           "input_per_1m, cached_input_per_1m, output_per_1m, shutdown");
    }
    if (!status.isOk()) return status;
  }
  if (is_new) {
    for (const char* required : {"encoding", "context", "formats", "methods"}) {
      if (!node[required]) {
        return reader.error(node, path + " (new model \"" + model.id + "\") needs " + required +
                                      " (give id, encoding, context, formats and methods for a model that is not "
                                      "in the built-in catalogue)");
      }
    }
    if (model.providers.empty()) model.providers = {"openai", "azure"};
  }
  return Status::ok();
}

Status readProviders(const Reader& reader, const YAML::Node& node, std::vector<ProviderInfo>& providers) {
  if (!node.IsMap()) return reader.error(node, "providers must be a mapping of openai and/or azure");
  for (const auto& entry : node) {
    const std::string name = entry.first.as<std::string>();
    if (name != "openai" && name != "azure") {
      return reader.error(entry.first, "providers has \"" + name + "\"; expected openai or azure");
    }
    auto it = std::find_if(providers.begin(), providers.end(), [&](const ProviderInfo& p) { return p.name == name; });
    if (it == providers.end()) {
      ProviderInfo added;
      added.name = name;
      providers.push_back(std::move(added));
      it = providers.end() - 1;
    }
    const YAML::Node& fields = entry.second;
    if (!fields.IsMap()) return reader.error(fields, "providers." + name + " must be a mapping");
    for (const auto& field : fields) {
      const std::string key = field.first.as<std::string>();
      const std::string at = "providers." + name + "." + key;
      Status status;
      if (key == "new_jobs_until") {
        std::string text;
        status = reader.date(field.second, at, text);
        it->new_jobs_until = text;
      } else if (key == "hosting_per_hour") {
        status = reader.price(field.second, at, it->hosting_per_hour);
      } else if (key == "max_file_bytes") {
        status = reader.count(field.second, at, it->max_file_bytes);
      } else if (key == "source") {
        status = reader.string(field.second, at, it->source);
      } else {
        return reader.error(field.first, "providers." + name + " has unknown key \"" + key +
                                             "\"; known keys are new_jobs_until, hosting_per_hour, max_file_bytes, "
                                             "source");
      }
      if (!status.isOk()) return status;
    }
  }
  return Status::ok();
}

Status readPricing(const Reader& reader, const YAML::Node& node, Pricing& pricing) {
  if (!node.IsMap()) return reader.error(node, "pricing must be a mapping with currency, as_of and source");
  for (const auto& field : node) {
    const std::string key = field.first.as<std::string>();
    Status status;
    if (key == "currency") {
      status = reader.string(field.second, "pricing.currency", pricing.currency);
      if (status.isOk() && pricing.currency != "USD") {
        return reader.error(field.second, "pricing.currency must be USD (budgets are in USD)");
      }
    } else if (key == "as_of") {
      status = reader.date(field.second, "pricing.as_of", pricing.as_of);
    } else if (key == "source") {
      status = reader.string(field.second, "pricing.source", pricing.source);
    } else {
      return reader.error(field.first,
                          "pricing has unknown key \"" + key + "\"; known keys are currency, as_of, source");
    }
    if (!status.isOk()) return status;
  }
  return Status::ok();
}

}  // namespace

std::optional<std::chrono::sys_days> parseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto field = [&](std::size_t at, std::size_t length) -> std::optional<int> {
    const std::string_view part = text.substr(at, length);
    if (!isDigits(part)) return std::nullopt;
    int value = 0;
    std::from_chars(part.data(), part.data() + part.size(), value);
    return value;
  };
  const auto year = field(0, 4);
  const auto month = field(5, 2);
  const auto day = field(8, 2);
  if (!year || !month || !day) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date};
}

std::string formatDate(std::chrono::sys_days day) {
  const std::chrono::year_month_day date{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::string ModelInfo::alias() const {
  // A date snapshot "-YYYY-MM-DD" or a four-digit one "-0125".
  if (id.size() > 11 && id[id.size() - 11] == '-' && parseDate(std::string_view(id).substr(id.size() - 10))) {
    return id.substr(0, id.size() - 11);
  }
  if (id.size() > 5 && id[id.size() - 5] == '-' && isDigits(std::string_view(id).substr(id.size() - 4))) {
    return id.substr(0, id.size() - 5);
  }
  return {};
}

bool ModelInfo::hasMethod(std::string_view method) const { return containsName(methods, method); }
bool ModelInfo::hasFormat(std::string_view format) const { return containsName(formats, format); }
bool ModelInfo::hasVision(std::string_view provider) const { return containsName(vision, provider); }

Result<Catalogue> Catalogue::parse(std::string_view yaml, std::string_view origin, const Catalogue* base) {
  const Reader reader(origin);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Status::configError("/catalogue", std::string(origin) + ":" + std::to_string(e.mark.line + 1) + ":" +
                                                 std::to_string(e.mark.column + 1) + ": not valid YAML: " + e.msg);
  }
  Catalogue out = base != nullptr ? *base : Catalogue{};
  if (!root.IsMap()) return reader.error(root, "a catalogue is a mapping with models (and optionally pricing, providers)");
  try {
    for (const auto& entry : root) {
      const std::string key = entry.first.as<std::string>();
      const YAML::Node& value = entry.second;
      Status status;
      if (key == "catalogue_as_of") {
        status = reader.date(value, key, out.as_of_);
      } else if (key == "pricing") {
        status = readPricing(reader, value, out.pricing_);
      } else if (key == "providers") {
        status = readProviders(reader, value, out.providers_);
      } else if (key == "models") {
        if (!value.IsSequence()) return reader.error(value, "models must be a list of models");
        for (std::size_t i = 0; i < value.size(); ++i) {
          const YAML::Node node = value[i];
          const std::string path = "models[" + std::to_string(i) + "]";
          if (!node.IsMap() || !node["id"] || !node["id"].IsScalar() || node["id"].Scalar().empty()) {
            return reader.error(node, path + " needs an id, e.g. id: gpt-4o-mini-2024-07-18");
          }
          const std::string id = node["id"].Scalar();
          auto it = std::find_if(out.models_.begin(), out.models_.end(), [&](const ModelInfo& m) { return m.id == id; });
          const bool is_new = it == out.models_.end();
          ModelInfo model;
          if (is_new) {
            model.id = id;
          } else {
            model = *it;
          }
          if (Status read = readModel(reader, node, path, model, is_new); !read.isOk()) return read;
          if (is_new) {
            out.models_.push_back(std::move(model));
          } else {
            *it = std::move(model);
          }
        }
      } else {
        return reader.error(entry.first, "unknown top-level key \"" + key +
                                             "\"; a catalogue has catalogue_as_of, pricing, providers and models");
      }
      if (!status.isOk()) return status;
    }
  } catch (const YAML::Exception& e) {
    return Status::configError("/catalogue", std::string(origin) + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (out.models_.empty()) return reader.error(root, "the catalogue has no models");
  return out;
}

Result<std::shared_ptr<const Catalogue>> Catalogue::builtIn() {
  static const Result<std::shared_ptr<const Catalogue>> kBuiltIn = []() -> Result<std::shared_ptr<const Catalogue>> {
    auto parsed = parse(builtInCatalogueText(), "<built-in catalogue>", nullptr);
    if (!parsed.ok()) return Status::internal("the built-in catalogue is invalid: " + parsed.error().message());
    return std::make_shared<const Catalogue>(std::move(parsed).value());
  }();
  return kBuiltIn;
}

const ProviderInfo* Catalogue::provider(std::string_view name) const {
  for (const ProviderInfo& p : providers_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

Result<const ModelInfo*> Catalogue::resolve(std::string_view name) const {
  std::string_view wanted = name;
  if (wanted.starts_with("ft:")) {
    wanted.remove_prefix(3);
    wanted = wanted.substr(0, wanted.find(':'));
  } else if (const std::size_t ft = wanted.find(".ft-"); ft != std::string_view::npos) {
    // Azure names a fine-tuned model "<base>.ft-<id>" (the emulator adds "-ajuste-emulator").
    wanted = wanted.substr(0, ft);
  }
  for (const ModelInfo& model : models_) {
    if (model.id == wanted) return &model;
  }
  const ModelInfo* latest = nullptr;
  for (const ModelInfo& model : models_) {
    if (!wanted.empty() && model.alias() == wanted && (latest == nullptr || model.released > latest->released)) {
      latest = &model;
    }
  }
  if (latest != nullptr) return latest;

  std::vector<std::string> candidates;
  for (const ModelInfo& model : models_) {
    if (const std::string alias = model.alias(); !alias.empty() && !containsName(candidates, alias)) {
      candidates.push_back(alias);
    }
  }
  for (const ModelInfo& model : models_) candidates.push_back(model.id);
  std::string message = "unknown model \"" + std::string(name) + "\"";
  if (const auto nearest = nearestName(wanted, candidates)) message += "; did you mean \"" + *nearest + "\"?";
  message += " Known models: ";
  for (std::size_t i = 0; i < models_.size(); ++i) message += (i == 0 ? "" : ", ") + models_[i].id;
  message += " (or their names without the snapshot date, ft:<model>:... or <model>.ft-... names). Add a model with the "
             "catalogue option.";
  return Status::configError("/model", std::move(message));
}

Result<std::shared_ptr<const Catalogue>> loadCatalogue(const std::optional<std::string>& file, Context& ctx,
                                                       const std::string& pointer) {
  auto built_in = Catalogue::builtIn();
  if (!built_in.ok()) return built_in.error();
  if (!file) return built_in;
  const auto path = ctx.resolvePath(*file);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::configError(pointer, "cannot read the catalogue file '" + path.string() +
                                            "'; check the path (relative paths start from the pipeline's folder)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = Catalogue::parse(text.str(), path.string(), built_in->get());
  if (!parsed.ok()) return parsed.error();
  return std::make_shared<const Catalogue>(std::move(parsed).value());
}

}  // namespace ajuste::model_catalogue
