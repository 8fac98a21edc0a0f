#include "engine/record_chain.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "engine/bounded_queue.hpp"
#include "engine/engine.hpp"
#include "plugin/plugin_call.hpp"
#include "record_text/fast_parser.hpp"

namespace ajuste {
namespace {

struct TaggedReject {
  const StageContext* stage;
  Reject reject;
};

// A batch in flight, with the rejects of every stage it went through (so they are written in
// input order by the last step).
struct Work {
  std::uint64_t sequence = 0;
  Batch batch;
  std::vector<TaggedReject> rejects;
};

using WorkQueue = BoundedQueue<Work>;

class Failure {
 public:
  void set(Status status) {
    const std::lock_guard lock(mutex_);
    if (first_.isOk()) first_ = std::move(status);
  }
  [[nodiscard]] bool failed() const {
    const std::lock_guard lock(mutex_);
    return !first_.isOk();
  }
  [[nodiscard]] Status status() const {
    const std::lock_guard lock(mutex_);
    return first_;
  }

 private:
  mutable std::mutex mutex_;
  Status first_;
};

class Stopwatch {
 public:
  explicit Stopwatch(StageCounts& counts) : counts_(counts), start_(std::chrono::steady_clock::now()) {}
  ~Stopwatch() {
    counts_.nanoseconds += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_)
                               .count();
  }
  Stopwatch(const Stopwatch&) = delete;
  Stopwatch& operator=(const Stopwatch&) = delete;

 private:
  StageCounts& counts_;
  std::chrono::steady_clock::time_point start_;
};

std::string who(const StageContext& context) { return context.stage().label(); }

// Moves the batch's rejects into the work item; compacts the batch only when something was
// rejected, so an untouched batch is not rebuilt.
void collectRejects(const StageContext& stage, Work& work) {
  if (work.batch.rejects().empty()) return;
  for (Reject& reject : work.batch.takeRejects()) work.rejects.push_back({&stage, std::move(reject)});
  Batch compacted(work.batch.capacity());
  for (Record& record : work.batch.takeLive()) compacted.add(std::move(record));
  work.batch = std::move(compacted);
}

// Before a stage that does not read text: every record held as text only gets its value (on a
// worker, so that the parsing is spread over the cores).
void buildValues(Batch& batch) {
  for (Record& record : batch) record_text::buildValue(record);
}

// After a stage that does not keep texts: a text may no longer hold its record's (edited)
// value. A record still held as text only keeps it: it is the record.
void dropStaleTexts(const ChainStage& stage, Batch& batch) {
  if (stage.keeps_text) return;
  for (Record& record : batch) {
    if (!isTextOnly(record)) record.text.clear();
  }
}

Status processWith(ChainStage& stage, std::size_t instance, Work& work) {
  StageContext& context = *stage.context;
  const Stopwatch timer(context.counts);
  const std::size_t before = work.batch.size();
  context.counts.in += before;
  RecordStage* records = stage.instances[instance].stage->asRecords();
  Status status = labelled(context.stage(), callPlugin(who(context), "process", [&] { return records->process(work.batch, context); }));
  dropStaleTexts(stage, work.batch);
  const std::size_t rejected = work.batch.rejects().size();
  context.counts.rejected += rejected;
  collectRejects(context, work);
  context.counts.out += work.batch.size();
  return status;
}

// Calls finish() on one instance; what it emits (records and rejects) goes into `tail`.
Status finishWith(ChainStage& stage, std::size_t instance, Work& tail) {
  StageContext& context = *stage.context;
  const Stopwatch timer(context.counts);
  RecordStage* records = stage.instances[instance].stage->asRecords();
  Status status =
      labelled(context.stage(), callPlugin(who(context), "finish", [&] { return records->finish(tail.batch, context); }));
  dropStaleTexts(stage, tail.batch);
  context.counts.rejected += tail.batch.rejects().size();
  collectRejects(context, tail);
  context.counts.added += tail.batch.size();
  context.counts.out += tail.batch.size();
  return status;
}

// Turns the source's raw records into values (on the reader thread or on a worker).
Status decodeWith(ChainStage& source, std::size_t instance, Work& work) {
  StageContext& context = *source.context;
  const Stopwatch timer(context.counts);
  SourceStage* stage = source.instances[instance].stage->asSource();
  Status status =
      labelled(context.stage(), callPlugin(who(context), "decode", [&] { return stage->decode(work.batch, context); }));
  context.counts.rejected += work.batch.rejects().size();
  collectRejects(context, work);
  context.counts.out += work.batch.size();
  return status;
}

// A serial stage's (or the sink's) prepare, on a worker. Its rejects count as the stage's own:
// they are added to `in` here because the stage's process/consume only sees the survivors.
Status prepareWith(ChainStage& stage, Work& work) {
  StageContext& context = *stage.context;
  const Stopwatch timer(context.counts);
  Stage& instance = *stage.instances[0].stage;
  Status status = labelled(context.stage(), callPlugin(who(context), "prepare", [&] {
                             if (RecordStage* records = instance.asRecords()) return records->prepare(work.batch, context);
                             return instance.asSink()->prepare(work.batch, context);
                           }));
  const std::size_t rejected = work.batch.rejects().size();
  context.counts.in += rejected;
  context.counts.rejected += rejected;
  collectRejects(context, work);
  return status;
}

// What a worker of a parallel step does to a batch, in order.
struct Action {
  enum class Kind { kDecode, kBuildValues, kProcess, kPrepare };
  Kind kind;
  ChainStage* stage;
};

Status perform(const Action& action, std::size_t instance, Work& work) {
  switch (action.kind) {
    case Action::Kind::kDecode: return decodeWith(*action.stage, instance, work);
    case Action::Kind::kBuildValues: buildValues(work.batch); return Status::ok();
    case Action::Kind::kProcess: return processWith(*action.stage, instance, work);
    case Action::Kind::kPrepare: return prepareWith(*action.stage, work);
  }
  return Status::ok();
}

// A step is either parallel work (the source's decode, parallel stages, prepares), served by
// every worker, or one serial stage on its own thread.
struct Step {
  bool parallel = false;
  std::vector<Action> actions;
};

std::vector<Step> planSteps(ChainStage& source, const std::vector<ChainStage*>& record_stages, ChainStage& sink) {
  std::vector<Step> steps;
  const auto addParallel = [&](Action action) {
    if (steps.empty() || !steps.back().parallel) steps.push_back(Step{true, {}});
    steps.back().actions.push_back(action);
  };
  if (source.parallel()) addParallel({Action::Kind::kDecode, &source});
  // Records held as text only may come from the source, and from any stage that reads text;
  // a stage that does not read text gets them with values built, once.
  bool text_only_possible = true;
  const auto buildValuesBefore = [&](ChainStage* stage) {
    if (stage->reads_text) return;
    if (text_only_possible) addParallel({Action::Kind::kBuildValues, stage});
    text_only_possible = false;
  };
  for (ChainStage* stage : record_stages) {
    buildValuesBefore(stage);
    if (stage->reads_text) text_only_possible = true;
    if (stage->parallel()) {
      addParallel({Action::Kind::kProcess, stage});
      continue;
    }
    if (stage->prepares) addParallel({Action::Kind::kPrepare, stage});
    steps.push_back(Step{false, {{Action::Kind::kProcess, stage}}});
  }
  buildValuesBefore(&sink);
  if (sink.prepares) addParallel({Action::Kind::kPrepare, &sink});
  return steps;
}

// The serial stage's prepared bytes are its own: gone once it has seen the record.
void dropPrepared(Batch& batch) {
  for (Record& record : batch) std::string().swap(record.prepared);
}

// Reorders work items finished out of order by parallel workers and hands them on in sequence.
class Resequencer {
 public:
  explicit Resequencer(WorkQueue& out) : out_(out) {}

  bool deliver(Work work) {
    const std::lock_guard lock(mutex_);
    pending_.emplace(work.sequence, std::move(work));
    while (!pending_.empty() && pending_.begin()->first == next_) {
      Work ready = std::move(pending_.begin()->second);
      pending_.erase(pending_.begin());
      ++next_;
      if (!out_.push(std::move(ready))) return false;
    }
    return true;
  }
  // Sequence number for work emitted after the stream ended (finish()).
  std::uint64_t next() {
    const std::lock_guard lock(mutex_);
    return next_++;
  }

 private:
  std::mutex mutex_;
  WorkQueue& out_;
  std::map<std::uint64_t, Work> pending_;
  std::uint64_t next_ = 0;
};

}  // namespace

RecordChain::RecordChain(ChainStage& source, std::vector<ChainStage*> record_stages, ChainStage& sink,
                         RejectsFile& rejects, ProgressReporter* progress, ChainSettings settings)
    : source_(source),
      record_stages_(std::move(record_stages)),
      sink_(sink),
      rejects_(rejects),
      progress_(progress),
      settings_(settings) {}

Status RecordChain::run() {
  const std::vector<Step> steps = planSteps(source_, record_stages_, sink_);
  const bool parallel_decode = source_.parallel();

  Failure failure;
  std::vector<std::unique_ptr<WorkQueue>> queues;
  for (std::size_t i = 0; i <= steps.size(); ++i) queues.push_back(std::make_unique<WorkQueue>(settings_.queue_batches));
  // Batches the sink is done with. Freeing a batch's records (every string and node of every
  // value) costs about as much as serializing them, and the sink's thread is the one every
  // record passes through, so the freeing happens on a thread of its own.
  WorkQueue finished(settings_.queue_batches);
  const auto abortAll = [&](Status status) {
    failure.set(std::move(status));
    for (auto& queue : queues) queue->abort();
    finished.abort();
  };

  std::vector<std::thread> threads;

  // The source: reads serially; decodes here unless decoding is parallel.
  threads.emplace_back([&] {
    StageContext& context = *source_.context;
    SourceStage* source = source_.instances[0].stage->asSource();
    std::uint64_t sequence = 0;
    for (bool more = true; more && !failure.failed();) {
      if (context.cancelled()) {
        abortAll(Status::cancelled());
        return;
      }
      Work work{sequence++, Batch(settings_.batch_size), {}};
      {
        const Stopwatch timer(context.counts);
        auto read = callPlugin(who(context), "read", [&] { return source->read(work.batch, context); });
        if (!read.ok()) {
          abortAll(labelled(context.stage(), read.error()));
          return;
        }
        more = *read;
        context.counts.in += work.batch.size() + work.batch.rejects().size();
      }
      if (!parallel_decode) {
        if (Status decoded = decodeWith(source_, 0, work); !decoded.isOk()) return abortAll(decoded);
      }
      if (progress_ != nullptr) progress_->records_read = context.counts.in.load();
      if (!queues[0]->push(std::move(work))) return;
    }
    queues[0]->close();
  });

  for (std::size_t s = 0; s < steps.size(); ++s) {
    if (!steps[s].parallel) {
      threads.emplace_back([&, s] {
        WorkQueue& in = *queues[s];
        WorkQueue& out = *queues[s + 1];
        ChainStage& stage = *steps[s].actions[0].stage;
        std::uint64_t sequence = 0;
        while (auto work = in.pop()) {
          work->sequence = sequence++;
          if (Status status = processWith(stage, 0, *work); !status.isOk()) return abortAll(status);
          if (stage.prepares) dropPrepared(work->batch);
          if (!out.push(std::move(*work))) return;
        }
        if (failure.failed()) return;
        Work tail{sequence, Batch(settings_.batch_size), {}};
        if (Status status = finishWith(stage, 0, tail); !status.isOk()) return abortAll(status);
        if (!tail.batch.empty() || !tail.rejects.empty()) out.push(std::move(tail));
        out.close();
      });
      continue;
    }

    // A parallel step: every worker runs the whole step on the batches it takes.
    auto resequencer = std::make_shared<Resequencer>(*queues[s + 1]);
    auto remaining = std::make_shared<std::atomic<unsigned>>(settings_.workers);
    for (unsigned worker = 0; worker < settings_.workers; ++worker) {
      threads.emplace_back([&, s, worker, resequencer, remaining] {
        const Step& my = steps[s];
        WorkQueue& in = *queues[s];
        WorkQueue& out = *queues[s + 1];
        while (auto work = in.pop()) {
          for (const Action& action : my.actions) {
            if (Status status = perform(action, worker, *work); !status.isOk()) return abortAll(status);
          }
          if (!resequencer->deliver(std::move(*work))) return;
        }
        if (failure.failed()) return;
        // The last worker to finish flushes every parallel stage's finish(), instance by
        // instance in a fixed order; what they emit goes through the step's later actions.
        if (remaining->fetch_sub(1) != 1) return;
        for (std::size_t k = 0; k < my.actions.size(); ++k) {
          if (my.actions[k].kind != Action::Kind::kProcess) continue;
          ChainStage& stage = *my.actions[k].stage;
          for (std::size_t instance = 0; instance < stage.instances.size(); ++instance) {
            Work tail{resequencer->next(), Batch(settings_.batch_size), {}};
            if (Status status = finishWith(stage, instance, tail); !status.isOk()) return abortAll(status);
            for (std::size_t later = k + 1; later < my.actions.size(); ++later) {
              if (Status status = perform(my.actions[later], instance, tail); !status.isOk()) return abortAll(status);
            }
            if (!tail.batch.empty() || !tail.rejects.empty()) {
              if (!out.push(std::move(tail))) return;
            }
          }
        }
        out.close();
      });
    }
  }

  threads.emplace_back([&] {
    while (finished.pop()) {
    }
  });

  // The sink: consumes in input order and writes every reject, also in input order.
  threads.emplace_back([&] {
    WorkQueue& in = *queues.back();
    StageContext& context = *sink_.context;
    SinkStage* sink = sink_.instances[0].stage->asSink();
    while (auto work = in.pop()) {
      if (!work->batch.empty()) {
        const Stopwatch timer(context.counts);
        context.counts.in += work->batch.size();
        Status status = labelled(context.stage(), callPlugin(who(context), "consume", [&] { return sink->consume(work->batch, context); }));
        context.counts.rejected += work->batch.rejects().size();
        collectRejects(context, *work);
        context.counts.out += work->batch.size();
        if (!status.isOk()) return abortAll(status);
      }
      for (const TaggedReject& tagged : work->rejects) {
        const auto& spec = *tagged.stage->stage().spec;
        if (Status status = rejects_.write(spec.id, spec.uses, tagged.reject); !status.isOk()) return abortAll(status);
      }
      if (progress_ != nullptr) {
        progress_->records_written = context.counts.out.load();
        progress_->records_rejected = rejects_.count();
      }
      if (!finished.push(std::move(*work))) return;
    }
    finished.close();
    if (failure.failed()) return;
    const Stopwatch timer(context.counts);
    Status status = labelled(context.stage(), callPlugin(who(context), "finish", [&] { return sink->finish(context); }));
    if (!status.isOk()) abortAll(status);
  });

  for (auto& thread : threads) thread.join();
  return failure.status();
}

}  // namespace ajuste
