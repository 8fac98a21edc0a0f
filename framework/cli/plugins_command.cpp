#include "cli/plugins_command.hpp"

#include <algorithm>
#include <ostream>

#include <nlohmann/json.hpp>

#include "ajuste/json_schema.hpp"
#include "ajuste/suggest.hpp"
#include "cli/exit_codes.hpp"
#include "plugin/stage_registry.hpp"

namespace ajuste {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "-" : out;
}

// Prints problems found while loading; they are worth seeing even when listing works.
void printProblems(const StageRegistry& registry, std::ostream& err) {
  for (const auto& warning : registry.warnings()) err << "warning: " << warning << '\n';
  for (const auto& problem : registry.problems()) err << "error: " << problem << '\n';
}

// Wraps `text` at `width` columns, each line indented by `indent`.
std::string wrapped(const std::string& text, std::size_t width, const std::string& indent) {
  std::string out;
  std::string line;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string yamlExample(const StageEntry& entry) {
  std::string out = "  - uses: " + entry.info->name + "\n";
  std::string with;
  for (const OptionDoc& option : documentOptions(entry.schema)) {
    if (option.name.find('.') != std::string::npos) continue;
    if (!option.required && option.default_value.empty()) continue;
    with += "      " + option.name + ": " + (option.default_value.empty() ? "<" + option.type + ">" : option.default_value) +
            (option.required ? "  # required" : "") + "\n";
  }
  if (!with.empty()) out += "    with:\n" + with;
  return out;
}

// A Markdown table cell: a '|' in an enum's default or a description would end the cell.
std::string tableCell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

int runPluginsList(const PluginsCommandOptions& options, std::ostream& out, std::ostream& err) {
  StageRegistry registry;
  populateRegistry(registry, PluginSearch{options.plugin_paths, {}, true});
  const auto entries = registry.entries();
  if (options.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const StageEntry* entry : entries) {
      list.push_back({{"stage", entry->info->name},
                      {"kind", toString(entry->info->kind)},
                      {"summary", entry->info->summary},
                      {"plugin", entry->plugin_name},
                      {"version", entry->plugin_version},
                      {"file", entry->origin},
                      {"consumes", entry->info->consumes},
                      {"produces", entry->info->produces},
                      {"parallel", entry->info->parallel},
                      {"prepares", entry->info->prepares},
                      {"reads_text", entry->info->reads_text},
                      {"keeps_text", entry->info->keeps_text}});
    }
    nlohmann::json searched = nlohmann::json::array();
    for (const auto& path : registry.searched()) searched.push_back(path.string());
    out << nlohmann::json{{"stages", list}, {"searched", searched}, {"problems", registry.problems()},
                          {"warnings", registry.warnings()}}
               .dump(2)
        << '\n';
  } else {
    std::size_t name_width = 5;
    std::size_t plugin_width = 6;
    for (const StageEntry* entry : entries) {
      name_width = std::max(name_width, entry->info->name.size());
      plugin_width = std::max(plugin_width, entry->plugin_name.size() + entry->plugin_version.size() + 1);
    }
    const auto pad = [](std::string text, std::size_t width) {
      text.resize(std::max(text.size(), width), ' ');
      return text;
    };
    out << pad("STAGE", name_width + 2) << pad("KIND", 11) << pad("PLUGIN", plugin_width + 2) << "FILE\n";
    for (const StageEntry* entry : entries) {
      out << pad(entry->info->name, name_width + 2) << pad(std::string(toString(entry->info->kind)), 11)
          << pad(entry->plugin_name + " " + entry->plugin_version, plugin_width + 2) << entry->origin << '\n';
    }
    if (entries.empty()) {
      out << "no plugins found; searched: ";
      for (const auto& path : registry.searched()) out << path.string() << ' ';
      out << "\n(build the project, or give --plugin-path / AJUSTE_PLUGIN_PATH)\n";
    }
  }
  printProblems(registry, err);
  return registry.problems().empty() ? kExitOk : kExitPlugin;
}

int runPluginsDescribe(const PluginsCommandOptions& options, std::ostream& out, std::ostream& err) {
  StageRegistry registry;
  populateRegistry(registry, PluginSearch{options.plugin_paths, {}, true});
  const StageEntry* entry = registry.find(options.stage);
  if (entry == nullptr) {
    err << "error: unknown stage '" << options.stage << "'";
    if (const auto close = nearestName(options.stage, registry.stageNames())) err << "; did you mean '" << *close << "'?";
    err << " (`ajuste plugins list` shows every stage)\n";
    printProblems(registry, err);
    return registry.problems().empty() ? kExitUsage : kExitPlugin;
  }
  const auto docs = documentOptions(entry->schema);
  if (options.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const OptionDoc& option : docs) {
      rows.push_back({{"name", option.name}, {"type", option.type}, {"required", option.required},
                      {"default", option.default_value}, {"description", option.description},
                      {"constraints", option.constraints}});
    }
    out << nlohmann::json{{"stage", entry->info->name},
                          {"kind", toString(entry->info->kind)},
                          {"summary", entry->info->summary},
                          {"plugin", entry->plugin_name},
                          {"version", entry->plugin_version},
                          {"file", entry->origin},
                          {"consumes", entry->info->consumes},
                              {"produces", entry->info->produces},
                          {"parallel", entry->info->parallel},
                          {"prepares", entry->info->prepares},
                          {"reads_text", entry->info->reads_text},
                          {"keeps_text", entry->info->keeps_text},
                          {"options", rows},
                          {"schema", entry->schema.document()}}
               .dump(2)
        << '\n';
    return kExitOk;
  }
  out << entry->info->name << " (" << toString(entry->info->kind) << " stage)\n\n";
  out << wrapped(entry->info->summary, 76, "  ") << '\n';
  out << "  plugin     " << entry->plugin_name << " " << entry->plugin_version << "\n";
  out << "  file       " << entry->origin << "\n";
  out << "  consumes   " << joined(entry->info->consumes) << "\n";
  out << "  produces   " << joined(entry->info->produces) << "\n";
  out << "  parallel   "
      << (entry->info->parallel   ? "yes"
          : entry->info->prepares ? "no (records in input order; their preparation runs on every worker)"
                                  : "no")
      << "\n";
  if (entry->info->kind == StageKind::kRecords || entry->info->kind == StageKind::kSink) {
    // Whether a record can pass without being parsed into a tree, and keep the text it came in.
    out << "  as text    " << (entry->info->reads_text ? "reads records as JSON text" : "needs records parsed")
        << (entry->info->kind == StageKind::kSink ? ""
            : entry->info->keeps_text             ? "; keeps their text"
                                                  : "; records lose the text they came in")
        << "\n";
  }
  out << "\n";
  if (docs.empty()) {
    out << "Options: none\n";
  } else {
    // A Markdown table: readable in a terminal and pasteable into docs as it is.
    out << "Options:\n\n| option | type | required | default | description |\n|---|---|---|---|---|\n";
    for (const OptionDoc& option : docs) {
      std::string description = option.description;
      if (!option.constraints.empty()) description += (description.empty() ? "" : " ") + ("(" + option.constraints + ")");
      out << "| " << tableCell(option.name) << " | " << tableCell(option.type) << " | " << (option.required ? "yes" : "no")
          << " | " << (option.default_value.empty() ? "" : "`" + tableCell(option.default_value) + "`") << " | "
          << tableCell(description) << " |\n";
    }
  }
  out << "\nExample:\n\n" << yamlExample(*entry);
  printProblems(registry, err);
  return kExitOk;
}

}  // namespace ajuste
