#include "cli/pipeline_commands.hpp"

#include <iomanip>
#include <ostream>
#include <sstream>
#include <thread>

#include "cli/exit_codes.hpp"
#include "cli/prepared_pipeline.hpp"
#include "common/redactor.hpp"
#include "config/pipeline.hpp"
#include "engine/checked_pipeline.hpp"
#include "engine/engine.hpp"
#include "engine/run_state.hpp"
#include "engine/stage_context.hpp"
#include "plugin/stage_registry.hpp"

namespace ajuste {
namespace {

void prepare(const PipelineCommandOptions& options, PreparedPipeline& prepared, std::ostream& err) {
  std::vector<Diagnostic> errors;
  prepared.pipeline = loadPipeline(options.pipeline, lookupEnvironment, errors);
  if (prepared.pipeline) {
    for (const auto& assignment : options.overrides) applyOverride(*prepared.pipeline, assignment, errors);
  }
  if (!errors.empty()) {
    printDiagnostics(errors, err);
    prepared.exit_code = kExitUsage;
    return;
  }
  checkAgainstPlugins(prepared, options.plugin_paths, err);
}

unsigned resolveThreads(const PipelineCommandOptions& options, const Pipeline& pipeline) {
  const unsigned requested = options.threads >= 0 ? static_cast<unsigned>(options.threads) : pipeline.run.threads;
  if (requested != 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

std::filesystem::path resolveRunDir(const PipelineCommandOptions& options, const Pipeline& pipeline) {
  if (!options.run_dir.empty()) return std::filesystem::absolute(options.run_dir).lexically_normal();
  if (pipeline.run.dir) {
    const std::filesystem::path dir = *pipeline.run.dir;
    if (dir.is_absolute()) return dir;
    return std::filesystem::absolute(pipeline.file.parent_path() / dir).lexically_normal();
  }
  return std::filesystem::absolute(std::filesystem::path("runs") / pipeline.name).lexically_normal();
}

ProgressMode parseProgress(const std::string& text) {
  if (text == "live") return ProgressMode::kLive;
  if (text == "lines") return ProgressMode::kLines;
  if (text == "off") return ProgressMode::kOff;
  return ProgressMode::kAuto;
}

std::string chainText(const CheckedPipeline& checked) {
  std::string out;
  for (const auto& stage : checked.stages) {
    if (!out.empty()) out += " → ";
    out += stage.spec->id + " (" + stage.spec->uses + ")";
  }
  return out;
}

// Calls every factory once, as a run would, then drops the stages: catches what only the
// stage itself can check (an input file that does not exist, options that contradict).
Status tryFactories(const CheckedPipeline& checked, const std::filesystem::path& run_dir) {
  RunState state(run_dir / "state.json");
  RunServices services;
  services.run_dir = run_dir;
  services.base_dir = std::filesystem::absolute(checked.pipeline->file).parent_path();
  services.state = &state;
  for (const auto& stage : checked.stages) {
    StageContext context(services, stage);
    if (auto made = makeStageInstances(checked, stage, context, 1); !made.ok()) return made.error();
  }
  return Status::ok();
}

// At least one space after the text, so a long name never runs into the next column.
std::string padded(std::string text, std::size_t width) {
  text.append(text.size() < width ? width - text.size() : 1, ' ');
  return text;
}

void printRunSummary(const nlohmann::json& summary, std::ostream& out) {
  const auto& records = summary["records"];
  std::ostringstream line;
  line << std::fixed << std::setprecision(2);
  out << "ajuste: " << summary["name"].get<std::string>() << " " << summary["status"].get<std::string>() << " in "
      << std::fixed << std::setprecision(2) << summary["seconds"].get<double>() << " s — "
      << records["read"].get<std::uint64_t>() << " read, " << records["written"].get<std::uint64_t>() << " written, "
      << records["rejected"].get<std::uint64_t>() << " rejected\n";
  for (const auto& stage : summary["stages"]) {
    out << "  " << padded(stage["id"].get<std::string>(), 12) << padded(stage["uses"].get<std::string>(), 18);
    for (const char* key : {"read", "in", "kept", "written", "rejected", "added"}) {
      if (stage.contains(key)) out << padded(std::to_string(stage[key].get<std::uint64_t>()) + " " + key, 14);
    }
    out << '\n';
  }
  for (const auto& output : summary["outputs"]) {
    out << "  output " << padded(output["name"].get<std::string>(), 8) << output["path"].get<std::string>() << " ("
        << output["records"].get<std::uint64_t>() << " records)\n";
  }
  // Named results of artifact stages (a job id, a model name) are what the user came for.
  for (const auto& [name, value] : summary["artifacts"].items()) {
    if (value.is_string()) out << "  " << padded(name, 14) << " " << value.get<std::string>() << '\n';
  }
  if (summary["rejects"]["count"].get<std::uint64_t>() > 0) {
    out << "  rejects        " << summary["rejects"]["file"].get<std::string>() << '\n';
  }
  const std::filesystem::path run_dir = summary["run_dir"].get<std::string>();
  out << "  summary        " << (run_dir / "summary.json").string() << '\n';
  out << "  report         " << (run_dir / "report.html").string() << '\n';
  if (summary.value("simulated", false)) {
    out << "  SIMULATED      provider results come from ajuste-emulator: nothing was trained\n";
  }
}

std::string shellQuoted(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@") ==
                           std::string::npos) {
    return word;
  }
  std::string quoted = "'";
  for (const char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string resumeCommand(const PipelineCommandOptions& options, const std::filesystem::path& run_dir) {
  std::string command = "ajuste run " + shellQuoted(options.pipeline);
  for (const auto& path : options.plugin_paths) command += " --plugin-path " + shellQuoted(path);
  for (const auto& override_text : options.overrides) command += " --set " + shellQuoted(override_text);
  return command + " --run-dir " + shellQuoted(run_dir.string()) + " --resume";
}

}  // namespace

int runValidateCommand(const PipelineCommandOptions& options, std::ostream& out, std::ostream& err) {
  PreparedPipeline prepared;
  prepare(options, prepared, err);
  if (prepared.exit_code != kExitOk) return prepared.exit_code;
  const auto run_dir = resolveRunDir(options, *prepared.pipeline);
  if (Status status = tryFactories(*prepared.checked, run_dir); !status.isOk()) {
    // Config errors come located ("file:line:col: error: ..."); others get the same prefix style.
    err << (status.code() == StatusCode::kConfigError ? "" : "error: ") << Redactor::instance().redact(status.message())
        << '\n';
    return exitCodeFor(status);
  }
  out << options.pipeline << ": OK: " << chainText(*prepared.checked) << '\n';
  return kExitOk;
}

int runRunCommand(const PipelineCommandOptions& options, std::ostream& out, std::ostream& err,
                  const std::atomic<bool>& interrupted) {
  PreparedPipeline prepared;
  prepare(options, prepared, err);
  if (prepared.exit_code != kExitOk) return prepared.exit_code;
  RunOptions run;
  run.run_dir = resolveRunDir(options, *prepared.pipeline);
  run.threads = resolveThreads(options, *prepared.pipeline);
  run.progress = parseProgress(options.progress);
  run.interrupted = &interrupted;
  run.resume = options.resume;
  if (options.resume && !std::filesystem::exists(run.run_dir / "state.json")) {
    err << "ajuste: error: --resume: " << run.run_dir.string()
        << " holds no earlier run (no state.json); run without --resume, or name the run folder with --run-dir\n";
    return kExitUsage;
  }
  const RunReport report = runPipeline(*prepared.checked, run);
  if (options.json) {
    out << Redactor::instance().redact(report.summary.dump(2)) << '\n';
  } else if (!report.summary.is_null()) {
    printRunSummary(report.summary, out);
  }
  if (report.status.code() == StatusCode::kConfigError) {
    err << Redactor::instance().redact(report.status.message()) << '\n';  // already "file:line:col: error: ..."
  } else if (!report.status.isOk()) {
    err << "ajuste: " << (report.status.code() == StatusCode::kCancelled ? "interrupted" : "error") << ": "
        << Redactor::instance().redact(report.status.message()) << '\n';
  }
  if (report.status.code() == StatusCode::kCancelled || report.status.code() == StatusCode::kUnknownOutcome ||
      report.status.code() == StatusCode::kProviderError) {
    // What a provider started keeps running; the ledger in state.json lets a resume adopt it.
    err << "ajuste: to continue where this run stopped (nothing uploaded or started is repeated):\n  "
        << resumeCommand(options, run.run_dir) << '\n';
  }
  return exitCodeFor(report.status);
}

}  // namespace ajuste
