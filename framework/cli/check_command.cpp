#include "cli/check_command.hpp"

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.hpp"
#include "cli/prepared_pipeline.hpp"
#include "common/redactor.hpp"
#include "engine/engine.hpp"

namespace ajuste {
namespace {

constexpr std::size_t kExamplesPerKind = 5;

// The pipeline `check` runs, written as YAML so it goes through exactly the checks a user's
// pipeline does. Values are JSON-quoted, which YAML reads as they are.
std::string checkPipelineYaml(const CheckCommandOptions& options) {
  const auto quoted = [](const std::string& text) { return nlohmann::json(text).dump(); };
  // validate/openai and stats/openai take the same options; a YAML anchor writes them once.
  std::string openai = "      model: " + quoted(options.model) + "\n      method: " + quoted(options.method) +
                       "\n      provider: " + quoted(options.provider) + "\n";
  if (!options.catalogue.empty()) {
    openai += "      catalogue: " + quoted(std::filesystem::absolute(options.catalogue).string()) + "\n";
  }
  if (options.epochs) openai += "      n_epochs: " + std::to_string(*options.epochs) + "\n";
  if (options.max_cost) openai += "      max_cost: " + nlohmann::json(*options.max_cost).dump() + "\n";
  if (!options.fail_on.empty()) openai += "      fail_on: " + nlohmann::json(options.fail_on).dump() + "\n";
  std::string yaml = "name: check\nstages:\n";
  yaml += "  - uses: ingest/jsonl\n    id: ingest\n    with:\n      path: " +
          quoted(std::filesystem::absolute(options.file).string()) + "\n";
  yaml += "  - uses: validate/openai\n    id: validate\n    with: &openai\n" + openai;
  yaml += "  - uses: stats/openai\n    id: stats\n    with: *openai\n";
  yaml += "  - uses: write/jsonl\n    id: accepted\n    with:\n      name: accepted\n";
  if (!options.out.empty()) yaml += "      path: " + quoted(std::filesystem::absolute(options.out).string()) + "\n";
  return yaml;
}

// Options came from flags, not from a file: errors about them name the flag.
void locateOptionsAtFlags(Pipeline& pipeline) {
  const std::vector<std::pair<std::string, std::string>> options = {
      {"model", "--model"}, {"method", "--method"}, {"provider", "--provider"},   {"catalogue", "--catalogue"},
      {"n_epochs", "--epochs"}, {"max_cost", "--max-cost"}, {"fail_on", "--fail-on"}};
  const auto mark = [&](const std::string& pointer, const std::string& flag) {
    const SourceLocation where{"ajuste check " + flag, 0, 0};
    pipeline.document.setPosition(pointer, NodePosition{where, where, std::nullopt, std::nullopt, true});
  };
  mark("/stages/0/with/path", "FILE");
  mark("/stages/3/with/path", "--out");
  for (const auto& [option, flag] : options) {
    mark("/stages/1/with/" + option, flag);
    mark("/stages/2/with/" + option, flag);
  }
}

// Only what the output prints (line, kind, reason): a reject also holds its whole record, and
// on a large file with many over-long examples keeping those would double the peak memory.
std::vector<nlohmann::json> readRejects(const std::filesystem::path& path) {
  std::vector<nlohmann::json> rejects;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const nlohmann::json reject = nlohmann::json::parse(line);
    rejects.push_back({{"line", reject.value("line", std::uint64_t{0})},
                       {"kind", reject.value("kind", std::string())},
                       {"reason", reject.value("reason", std::string())}});
  }
  return rejects;
}

std::vector<nlohmann::json> findingsOf(const nlohmann::json& summary) {
  std::vector<nlohmann::json> findings;
  for (const auto& stage : summary["stages"]) {
    if (stage.contains("report") && stage["report"].contains("findings")) {
      for (const auto& finding : stage["report"]["findings"]) findings.push_back(finding);
    }
  }
  return findings;
}

const nlohmann::json* reportOf(const nlohmann::json& summary, std::string_view uses) {
  for (const auto& stage : summary["stages"]) {
    if (stage["uses"] == uses && stage.contains("report")) return &stage["report"];
  }
  return nullptr;
}

std::string money(double usd) {
  char text[32];
  std::snprintf(text, sizeof text, "$%.2f", usd);
  return text;
}

void printText(const CheckCommandOptions& options, const nlohmann::json& summary, const std::vector<nlohmann::json>& rejects,
               bool ready, const std::string& why_not, std::ostream& out) {
  const auto& records = summary["records"];
  out << options.file << ": " << (ready ? "ready for upload" : "NOT ready for upload") << " (model " << options.model
      << ", " << records["read"].get<std::uint64_t>() << " examples, " << records["rejected"].get<std::uint64_t>()
      << " with errors)\n";
  if (!why_not.empty()) out << "  " << why_not << '\n';

  std::map<std::string, std::vector<const nlohmann::json*>> by_kind;
  for (const auto& reject : rejects) by_kind[reject["kind"].get<std::string>()].push_back(&reject);
  if (!by_kind.empty()) out << "\nErrors (each example listed is rejected; fix it or drop it):\n";
  for (const auto& [kind, list] : by_kind) {
    out << "  " << kind << ": " << list.size() << '\n';
    for (std::size_t i = 0; i < list.size() && i < kExamplesPerKind; ++i) {
      out << "    line " << (*list[i])["line"].get<std::uint64_t>() << ": " << (*list[i])["reason"].get<std::string>()
          << '\n';
    }
    if (list.size() > kExamplesPerKind) out << "    … and " << list.size() - kExamplesPerKind << " more\n";
  }
  const auto findings = findingsOf(summary);
  if (!findings.empty()) out << "\nFindings:\n";
  for (const auto& finding : findings) {
    out << "  " << finding.value("severity", "info") << " " << finding.value("kind", "") << ": "
        << finding.value("message", "") << '\n';
  }
  if (const nlohmann::json* stats = reportOf(summary, "stats/openai")) {
    if (stats->contains("statistics")) {
      const auto& s = (*stats)["statistics"];
      out << "\nStatistics:\n";
      for (const char* metric : {"messages_per_example", "tokens_per_example", "assistant_tokens_per_example"}) {
        if (!s.contains(metric)) continue;
        const auto& d = s[metric];
        char line[160];
        std::snprintf(line, sizeof line, "  %-30s min %g, median %g, mean %.1f, p95 %g, max %g\n", metric,
                      d.value("min", 0.0), d.value("median", 0.0), d.value("mean", 0.0), d.value("p95", 0.0),
                      d.value("max", 0.0));
        out << line;
      }
      if (s.contains("billed_tokens")) {
        out << "  billed tokens                  " << s["billed_tokens"] << " (" << s.value("n_epochs", nlohmann::json(0))
            << " epochs)\n";
      }
    }
    const nlohmann::json* cost = nullptr;
    if (stats->contains("statistics") && (*stats)["statistics"].contains("cost")) cost = &(*stats)["statistics"]["cost"];
    if (cost != nullptr && cost->contains("estimates")) {
      out << "\nTraining cost estimate (prices as of " << cost->value("pricing_as_of", std::string("?")) << "):\n";
      for (const auto& estimate : (*cost)["estimates"]) {
        const auto& usd = estimate["usd"];
        out << "  " << std::left << std::setw(32) << estimate.value("model", "")
            << (usd.is_number() ? money(usd.get<double>()) : std::string("no training price in the catalogue")) << '\n';
      }
    }
  }
}

void printGithub(const CheckCommandOptions& options, const nlohmann::json& summary,
                 const std::vector<nlohmann::json>& rejects, bool ready, const std::string& why_not, std::ostream& out) {
  const std::string file = githubEscapeProperty(options.file);
  for (const auto& reject : rejects) {
    out << "::error file=" << file << ",line=" << reject["line"].get<std::uint64_t>()
        << ",title=" << githubEscapeProperty("ajuste: " + reject["kind"].get<std::string>())
        << "::" << githubEscapeMessage(reject["reason"].get<std::string>()) << '\n';
  }
  for (const auto& finding : findingsOf(summary)) {
    const std::string severity = finding.value("severity", "info");
    const std::string command = severity == "error" ? "error" : severity == "warning" ? "warning" : "notice";
    out << "::" << command << " file=" << file << ",title=" << githubEscapeProperty("ajuste: " + finding.value("kind", ""))
        << "::" << githubEscapeMessage(finding.value("message", "")) << '\n';
  }
  out << "::" << (ready ? "notice" : "error") << " file=" << file << "::"
      << githubEscapeMessage(ready ? "ready for upload" : "not ready for upload" + (why_not.empty() ? "" : ": " + why_not))
      << '\n';
}

}  // namespace

std::string githubEscapeMessage(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else {
      out += c;
    }
  }
  return out;
}

std::string githubEscapeProperty(std::string_view text) {
  std::string out;
  for (const char c : githubEscapeMessage(text)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

int runCheckCommand(const CheckCommandOptions& options, std::ostream& out, std::ostream& err,
                    const std::atomic<bool>& interrupted) {
  std::vector<Diagnostic> errors;
  PreparedPipeline prepared;
  prepared.pipeline = parsePipeline(checkPipelineYaml(options), "ajuste check", std::filesystem::current_path(),
                                    lookupEnvironment, errors);
  if (!prepared.pipeline) {
    printDiagnostics(errors, err);
    return kExitUsage;
  }
  locateOptionsAtFlags(*prepared.pipeline);
  checkAgainstPlugins(prepared, options.plugin_paths, err);
  if (prepared.exit_code != kExitOk) return prepared.exit_code;

  // Without --run-dir the rejects and summary live in a temporary folder that is removed.
  std::filesystem::path run_dir;
  bool temporary = false;
  if (options.run_dir.empty()) {
    run_dir = std::filesystem::temp_directory_path() / ("ajuste-check-" + std::to_string(::getpid()));
    temporary = true;
  } else {
    run_dir = std::filesystem::absolute(options.run_dir);
  }
  RunOptions run;
  run.run_dir = run_dir;
  run.threads = options.threads > 0 ? static_cast<unsigned>(options.threads) : std::max(1u, std::thread::hardware_concurrency());
  run.progress = options.format == "text" ? ProgressMode::kAuto : ProgressMode::kOff;
  run.interrupted = &interrupted;
  const RunReport report = runPipeline(*prepared.checked, run);
  const auto rejects = readRejects(run_dir / "rejects.jsonl");
  if (temporary) {
    std::error_code ignored;
    std::filesystem::remove_all(run_dir, ignored);
  }

  const StatusCode code = report.status.code();
  const bool data_verdict = report.status.isOk() || code == StatusCode::kGateFailed ||
                            code == StatusCode::kDataError || code == StatusCode::kBudgetExceeded;
  if (!data_verdict) {
    err << (code == StatusCode::kConfigError ? "" : "ajuste check: error: ")
        << Redactor::instance().redact(report.status.message()) << '\n';
    return exitCodeFor(report.status);
  }
  const bool ready = report.status.isOk() && rejects.empty();
  std::string why_not = report.status.isOk() ? "" : Redactor::instance().redact(report.status.message());
  if (why_not.empty() && !rejects.empty()) {
    why_not = std::to_string(rejects.size()) + " example" + (rejects.size() == 1 ? " has" : "s have") +
              " errors; OpenAI refuses a file with any invalid example";
  }
  if (options.format == "json") {
    nlohmann::json summary = report.summary;
    summary["ready"] = ready;
    out << Redactor::instance().redact(summary.dump(2)) << '\n';
  } else if (options.format == "github") {
    printGithub(options, report.summary, rejects, ready, why_not, out);
  } else {
    printText(options, report.summary, rejects, ready, why_not, out);
  }
  return ready ? kExitOk : kExitGateFailed;
}

}  // namespace ajuste
