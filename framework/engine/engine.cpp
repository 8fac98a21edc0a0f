#include "engine/engine.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <memory>

#include "common/logger.hpp"
#include "common/redactor.hpp"
#include "engine/record_chain.hpp"
#include "engine/rejects_file.hpp"
#include "engine/run_state.hpp"
#include "engine/stage_context.hpp"
#include "plugin/plugin_call.hpp"
#include "report/html_report.hpp"

namespace ajuste {
namespace {

std::string utcNow();

}  // namespace

Status labelled(const ResolvedStage& stage, Status status) {
  if (status.isOk() || status.code() == StatusCode::kCancelled) return status;
  const std::string label = stage.label();
  if (status.message().rfind(label, 0) == 0) return status;
  return status.withPrefix(label);
}

// Makes a stage's instances through its factory; a config error from the factory is
// located in the pipeline file like a schema error.
Result<std::vector<StageHandle>> makeStageInstances(const CheckedPipeline& pipeline, const ResolvedStage& stage,
                                               StageContext& context, unsigned count) {
  std::vector<StageHandle> instances;
  for (unsigned i = 0; i < count; ++i) {
    auto made = callPlugin(stage.label(), "its factory", [&] { return stage.entry->info->make(stage.options, context); });
    if (!made.ok()) {
      const Status& error = made.error();
      if (error.code() != StatusCode::kConfigError) return labelled(stage, error);
      const SourceLocation where = pipeline.pipeline->locateOption(*stage.spec, error.pointer());
      std::string option;
      for (char c : error.pointer()) option += c == '/' ? (option.empty() ? "" : ".") : std::string(1, c);
      return Status::configError(error.pointer(), where.toString() + ": error: " + stage.label() +
                                                      (option.empty() ? "" : ", option " + option) + ": " +
                                                      error.message());
    }
    if (made.value() == nullptr) return Status::pluginBug(stage.label() + ": the factory returned no stage");
    StageHandle handle{stage.entry->plugin, std::move(made).value()};
    const bool fits = (stage.kind() == StageKind::kSource && handle.stage->asSource() != nullptr) ||
                      (stage.kind() == StageKind::kRecords && handle.stage->asRecords() != nullptr) ||
                      (stage.kind() == StageKind::kSink && handle.stage->asSink() != nullptr) ||
                      (stage.kind() == StageKind::kArtifacts && handle.stage->asArtifacts() != nullptr);
    if (!fits) {
      return Status::pluginBug(stage.label() + ": the factory made an object that is not a " +
                               std::string(toString(stage.kind())) + " stage, as its descriptor says");
    }
    instances.push_back(std::move(handle));
  }
  return instances;
}

namespace {

std::string utcNow() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

nlohmann::json stageSummary(const StageContext& context) {
  const ResolvedStage& stage = context.stage();
  const auto& counts = context.counts;
  nlohmann::json out = {{"id", stage.spec->id},
                        {"uses", stage.spec->uses},
                        {"kind", toString(stage.kind())},
                        {"plugin", stage.entry->origin},
                        {"seconds", static_cast<double>(counts.nanoseconds.load()) / 1e9}};
  switch (stage.kind()) {
    case StageKind::kSource:
      out["read"] = counts.in.load();
      out["kept"] = counts.out.load();
      out["rejected"] = counts.rejected.load();
      break;
    case StageKind::kRecords:
      out["in"] = counts.in.load();
      out["kept"] = counts.out.load();
      out["rejected"] = counts.rejected.load();
      if (counts.added.load() != 0) out["added"] = counts.added.load();
      break;
    case StageKind::kSink:
      out["in"] = counts.in.load();
      out["written"] = counts.out.load();
      out["rejected"] = counts.rejected.load();
      break;
    case StageKind::kArtifacts:
      break;
  }
  if (const auto counters = context.counters(); !counters.empty()) out["counters"] = counters;
  if (const auto reports = context.reports(); !reports.empty()) out["report"] = reports;
  return out;
}

struct RecordTotals {
  std::uint64_t read = 0;
  std::uint64_t written = 0;
  std::uint64_t rejected = 0;
  std::uint64_t added = 0;
};

RecordTotals totalsOf(const std::vector<std::unique_ptr<StageContext>>& contexts) {
  RecordTotals totals;
  for (const auto& context : contexts) {
    const auto kind = context->stage().kind();
    if (kind == StageKind::kSource) totals.read += context->counts.in.load();
    if (kind == StageKind::kSink) totals.written += context->counts.out.load();
    totals.rejected += context->counts.rejected.load();
    totals.added += context->counts.added.load();
  }
  return totals;
}

// Accounting, "no record survived" and the reject limits, once a record chain has finished.
Status recordGates(const RecordTotals& totals, const std::vector<std::unique_ptr<StageContext>>& contexts,
                   const RunSettings& run, const std::filesystem::path& rejects_path) {
  if (totals.read + totals.added != totals.written + totals.rejected) {
    return Status::internal("record accounting does not balance: read " + std::to_string(totals.read) + " + added " +
                            std::to_string(totals.added) + " != written " + std::to_string(totals.written) +
                            " + rejected " + std::to_string(totals.rejected) + "; please report this bug");
  }
  if (totals.read == 0) return Status::dataError("the input holds no records: nothing to prepare");
  for (const auto& context : contexts) {
    const auto kind = context->stage().kind();
    if ((kind == StageKind::kRecords || kind == StageKind::kSink || kind == StageKind::kSource) &&
        context->counts.in.load() > 0 && context->counts.out.load() == 0) {
      return Status::dataError("no record survived " + context->stage().label() + ": all " +
                               std::to_string(context->counts.in.load()) + " were rejected; see " +
                               rejects_path.string() + " for the reasons");
    }
  }
  if (run.max_rejects && totals.rejected > *run.max_rejects) {
    return Status::gateFailed(std::to_string(totals.rejected) + " records were rejected, more than run.max_rejects = " +
                              std::to_string(*run.max_rejects) + "; see " + rejects_path.string());
  }
  if (run.max_reject_ratio &&
      static_cast<double>(totals.rejected) / static_cast<double>(totals.read) > *run.max_reject_ratio) {
    char ratio[160];
    std::snprintf(ratio, sizeof ratio, "%.1f%% of records were rejected, more than run.max_reject_ratio = %g",
                  100.0 * static_cast<double>(totals.rejected) / static_cast<double>(totals.read),
                  *run.max_reject_ratio);
    return Status::gateFailed(std::string(ratio) + "; see " + rejects_path.string());
  }
  return Status::ok();
}

}  // namespace

RunReport runPipeline(const CheckedPipeline& pipeline, const RunOptions& options) {
  RunReport report;
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::create_directories(options.run_dir, ec);
  if (ec) {
    report.status = Status::ioError("cannot create the run folder " + options.run_dir.string() + ": " + ec.message());
    return report;
  }
  Logger::instance().openFile((options.run_dir / "run.log").string());

  RunState state(options.run_dir / "state.json");
  if (Status loaded = state.load(options.resume); !loaded.isOk()) {
    report.status = loaded;
    return report;
  }
  ProgressReporter progress(options.progress, options.progress_interval);
  RunServices services;
  services.run_dir = options.run_dir;
  services.base_dir = std::filesystem::absolute(pipeline.pipeline->file).parent_path();
  services.threads = options.threads;
  services.state = &state;
  services.interrupted = options.interrupted;
  services.progress = &progress;

  std::vector<std::unique_ptr<StageContext>> contexts;
  std::vector<ChainStage> chain(pipeline.stages.size());
  Status status;
  for (std::size_t i = 0; i < pipeline.stages.size() && status.isOk(); ++i) {
    const ResolvedStage& stage = pipeline.stages[i];
    contexts.push_back(std::make_unique<StageContext>(services, stage));
    const bool per_worker = stage.entry->info->parallel &&
                            (stage.kind() == StageKind::kSource || stage.kind() == StageKind::kRecords);
    auto instances = makeStageInstances(pipeline, stage, *contexts.back(), per_worker ? options.threads : 1u);
    if (!instances.ok()) {
      status = instances.error();
      break;
    }
    const bool prepares = stage.entry->info->prepares && !per_worker &&
                          (stage.kind() == StageKind::kRecords || stage.kind() == StageKind::kSink);
    const StageInfo& info = *stage.entry->info;
    chain[i] = ChainStage{contexts.back().get(), std::move(instances).value(), prepares, info.reads_text, info.keeps_text};
  }

  RejectsFile rejects(options.run_dir / "rejects.jsonl");
  if (status.isOk()) status = rejects.open();
  const std::string started_at = utcNow();

  // Stages run in pipeline order; the contiguous record stages run together as one chain.
  for (std::size_t i = 0; i < pipeline.stages.size() && status.isOk();) {
    const ResolvedStage& stage = pipeline.stages[i];
    if (stage.kind() == StageKind::kArtifacts) {
      StageContext& context = *chain[i].context;
      const auto t0 = std::chrono::steady_clock::now();
      ArtifactStage* artifacts = chain[i].instances[0].stage->asArtifacts();
      status = callPlugin(stage.label(), "run", [&] { return artifacts->run(context); });
      context.counts.nanoseconds += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count();
      status = labelled(stage, std::move(status));
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    while (pipeline.stages[end - 1].kind() != StageKind::kSink) ++end;
    std::vector<ChainStage*> middle;
    for (std::size_t k = i + 1; k + 1 < end; ++k) middle.push_back(&chain[k]);
    const unsigned workers = options.threads;
    const std::size_t queue_batches =
        pipeline.pipeline->run.queue_batches != 0 ? pipeline.pipeline->run.queue_batches : std::size_t{2} * workers;
    RecordChain records(chain[i], std::move(middle), chain[end - 1], rejects, &progress,
                        ChainSettings{pipeline.pipeline->run.batch_size, queue_batches, workers});
    progress.start(stage.spec->id);
    status = records.run();
    progress.stop();
    // The gates run as soon as the records are through, so a failed one stops the run before
    // a later stage uploads or pays for anything.
    if (status.isOk()) status = recordGates(totalsOf(contexts), contexts, pipeline.pipeline->run, rejects.path());
    i = end;
  }
  if (Status closed = rejects.close(); status.isOk()) status = closed;

  const RecordTotals totals = totalsOf(contexts);
  const bool balanced = totals.read + totals.added == totals.written + totals.rejected;
  nlohmann::json stages = nlohmann::json::array();
  for (const auto& context : contexts) stages.push_back(stageSummary(*context));

  nlohmann::json outputs = nlohmann::json::array();
  for (const auto& output : services.outputs) {
    outputs.push_back({{"stage", output.stage_id}, {"name", output.name}, {"path", output.path.string()},
                       {"records", output.records}});
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.summary = {
      {"ajuste_version", "0.1.0"},
      {"pipeline", pipeline.pipeline->file.string()},
      {"name", pipeline.pipeline->name},
      {"run_dir", options.run_dir.string()},
      {"started_at", started_at},
      {"finished_at", utcNow()},
      {"seconds", seconds},
      {"threads", options.threads},
      {"status", status.isOk() ? "succeeded"
                 : status.code() == StatusCode::kCancelled ? "interrupted"
                 : status.code() == StatusCode::kBudgetExceeded                                          ? "over_budget"
                 : status.code() == StatusCode::kGateFailed || status.code() == StatusCode::kDataError ? "gate_failed"
                                                                                                          : "failed"},
      {"error", status.isOk() ? nlohmann::json(nullptr)
                              : nlohmann::json{{"kind", toString(status.code())}, {"message", status.message()}}},
      {"records", {{"read", totals.read}, {"written", totals.written}, {"rejected", totals.rejected}, {"added", totals.added}, {"balanced", balanced}}},
      {"rejects", {{"file", rejects.path().string()}, {"count", rejects.count()}, {"by_stage", rejects.byStageAndKind()}}},
      {"stages", stages},
      {"outputs", outputs},
      {"artifacts", state.artifacts()},
  };
  // Provider results from the emulator must never pass for real ones: flag the whole run.
  const bool simulated = std::any_of(stages.begin(), stages.end(), [](const nlohmann::json& stage) {
    const auto reports = stage.find("report");
    if (reports == stage.end()) return false;
    const auto job = reports->find("job");
    return (job != reports->end() && job->value("simulated", false)) || reports->value("simulated", false);
  });
  report.summary["simulated"] = simulated;
  report.summary_path = options.run_dir / "summary.json";
  if (Status written_summary = writeFileAtomically(report.summary_path, report.summary.dump(2) + "\n");
      !written_summary.isOk() && status.isOk()) {
    status = written_summary;
  }
  if (Status written_report = writeHtmlReport(report.summary, options.run_dir / "report.html");
      !written_report.isOk() && status.isOk()) {
    status = written_report;
  }
  report.status = status;
  Logger::instance().closeFile();
  return report;
}

}  // namespace ajuste
