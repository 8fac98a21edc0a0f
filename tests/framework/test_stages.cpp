#include "test_stages.hpp"

#include <fstream>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace ajuste::test_stages {
namespace {

using StagePtr = Result<std::unique_ptr<Stage>>;

class Numbers final : public SourceStage {
 public:
  Numbers(std::uint64_t count, std::uint64_t bad_every, bool as_text)
      : count_(count), bad_every_(bad_every), as_text_(as_text) {}
  Result<bool> read(Batch& batch, Context& /*ctx*/) override {
    while (next_ < count_ && !batch.full()) {
      Record record;
      record.raw = (bad_every_ != 0 && (next_ + 1) % bad_every_ == 0) ? "x" : std::to_string(next_);
      record.origin = Provenance{"numbers", next_ + 1, next_, 0};
      batch.add(std::move(record));
      ++next_;
    }
    return next_ < count_;
  }
  Status decode(Batch& batch, Context& /*ctx*/) override {
    for (Record& record : batch) {
      if (record.raw == "x") {
        batch.reject(record, "not a number", "not_a_number");
        continue;
      }
      if (as_text_) {
        // Spaced out, so a test can tell the text as written from a value written back.
        keepTextOnly(record, "{ \"n\" : " + record.raw + " }");
      } else {
        record.value = {{"n", std::stoll(record.raw)}};
      }
      record.raw.clear();
    }
    return Status::ok();
  }

 private:
  std::uint64_t count_;
  std::uint64_t bad_every_;
  bool as_text_;
  std::uint64_t next_ = 0;
};

// Reads text: fails on a record held otherwise (the source made them all text only, and nothing
// before it needed values). Changes nothing.
class ExpectText final : public RecordStage {
 public:
  Status process(Batch& batch, Context& /*ctx*/) override {
    for (const Record& record : batch) {
      if (!isTextOnly(record)) return Status::internal("a record reached a text stage with its value built");
      if (record.text.find("\"n\"") == std::string::npos) return Status::internal("a record lost its text");
    }
    return Status::ok();
  }
};

// Needs values and changes nothing: fails on a record the runner did not build the value of.
class PeekValues final : public RecordStage {
 public:
  Status process(Batch& batch, Context& /*ctx*/) override {
    for (const Record& record : batch) {
      if (isTextOnly(record) || !record.value.contains("n")) return Status::internal("a record arrived without its value");
    }
    return Status::ok();
  }
};

class RejectMultiples final : public RecordStage {
 public:
  explicit RejectMultiples(std::int64_t of) : of_(of) {}
  Status process(Batch& batch, Context& /*ctx*/) override {
    for (Record& record : batch) {
      const auto n = record.value["n"].get<std::int64_t>();
      if (n % of_ == 0) batch.reject(record, std::to_string(n) + " is a multiple of " + std::to_string(of_), "multiple");
    }
    return Status::ok();
  }

 private:
  std::int64_t of_;
};

class Square final : public RecordStage {
 public:
  Status process(Batch& batch, Context& /*ctx*/) override {
    for (Record& record : batch) {
      const auto n = record.value["n"].get<std::int64_t>();
      record.value["square"] = n * n;
    }
    return Status::ok();
  }
};

class RunningTotal final : public RecordStage {
 public:
  Status process(Batch& batch, Context& /*ctx*/) override {
    for (Record& record : batch) {
      total_ += record.value["n"].get<std::int64_t>();
      record.value["total"] = total_;
    }
    return Status::ok();
  }
  Status finish(Batch& out, Context& ctx) override {
    Record record;
    record.value = {{"n", -1}, {"total", total_}};
    record.origin = Provenance{"running_total", 0, 0, 0};
    out.add(std::move(record));
    ctx.count("finished");
    return Status::ok();
  }

 private:
  std::int64_t total_ = 0;
};

class FailAt final : public RecordStage {
 public:
  FailAt(std::int64_t at, bool throws) : at_(at), throws_(throws) {}
  Status process(Batch& batch, Context& /*ctx*/) override {
    for (Record& record : batch) {
      if (record.value["n"].get<std::int64_t>() != at_) continue;
      if (throws_) throw std::runtime_error("boom at " + std::to_string(at_));
      return Status::ioError("disk full at " + std::to_string(at_));
    }
    return Status::ok();
  }

 private:
  std::int64_t at_;
  bool throws_;
};

// A sink writing lines to one file in the run folder.
class FileSink : public SinkStage {
 public:
  explicit FileSink(std::filesystem::path path) : path_(std::move(path)), out_(path_, std::ios::binary) {}
  Status finish(Context& ctx) final {
    out_.close();
    ctx.declareOutput("out", path_, written_);
    return ctx.publish("out_file", {{"path", path_.string()}, {"records", written_}});
  }

 protected:
  void writeLine(std::string_view line) {
    out_ << line;
    ++written_;
  }

 private:
  std::filesystem::path path_;
  std::ofstream out_;
  std::uint64_t written_ = 0;
};

class Write final : public FileSink {
 public:
  using FileSink::FileSink;
  Status consume(Batch& batch, Context& /*ctx*/) override {
    for (const Record& record : batch) writeLine(record.value.dump() + '\n');
    return Status::ok();
  }
};

// Serial, with its per-record work in prepare: prepare writes n*3 as text and rejects the
// multiples of 11; process fails unless every record it sees was prepared, in input order.
class PreparedTriple final : public RecordStage {
 public:
  Status prepare(Batch& batch, Context& /*ctx*/) const override {
    for (Record& record : batch) {
      if (!record.prepared.empty()) return Status::internal("an earlier stage's prepared bytes reached prepare");
      const auto n = record.value["n"].get<std::int64_t>();
      if (n % 11 == 0) {
        batch.reject(record, std::to_string(n) + " is a multiple of 11", "eleven");
        continue;
      }
      record.prepared = std::to_string(n * 3);
    }
    return Status::ok();
  }
  Status process(Batch& batch, Context& /*ctx*/) override {
    for (Record& record : batch) {
      const auto n = record.value["n"].get<std::int64_t>();
      if (record.prepared != std::to_string(n * 3)) return Status::internal("record " + std::to_string(n) + " was not prepared");
      if (n <= last_) return Status::internal("records out of order: " + std::to_string(n) + " after " + std::to_string(last_));
      last_ = n;
      record.value["triple"] = std::stoll(record.prepared);
    }
    return Status::ok();
  }

 private:
  std::int64_t last_ = -1;
};

// A sink that reads text: each record's text when it has one ("text <text>"), else its value.
class TextWrite final : public FileSink {
 public:
  using FileSink::FileSink;
  Status consume(Batch& batch, Context& /*ctx*/) override {
    for (const Record& record : batch) {
      writeLine(record.text.empty() ? "value " + record.value.dump() + "\n" : "text " + record.text + "\n");
    }
    return Status::ok();
  }
};

// A sink that serializes in prepare and only writes in consume (as split/random does).
class PreparedWrite final : public FileSink {
 public:
  using FileSink::FileSink;
  Status prepare(Batch& batch, Context& /*ctx*/) const override {
    for (Record& record : batch) {
      if (!record.prepared.empty()) return Status::internal("an earlier stage's prepared bytes reached the sink");
      record.prepared = record.value.dump() + '\n';
    }
    return Status::ok();
  }
  Status consume(Batch& batch, Context& /*ctx*/) override {
    for (const Record& record : batch) {
      if (record.prepared.empty()) return Status::internal("a record reached consume unprepared");
      writeLine(record.prepared);
    }
    return Status::ok();
  }
};

class Announce final : public ArtifactStage {
 public:
  explicit Announce(std::string message) : message_(std::move(message)) {}
  Status run(Context& ctx) override { return ctx.publish("announcement", {{"message", message_}}); }

 private:
  std::string message_;
};

class NeedsAnnouncement final : public ArtifactStage {
 public:
  Status run(Context& ctx) override {
    const auto announcement = ctx.artifact("announcement");
    if (!announcement) return Status::internal("announcement missing");
    ctx.report("heard", (*announcement)["message"]);
    return Status::ok();
  }
};

}  // namespace

const StageInfo& numbers() {
  static const StageInfo info{
      .name = "test/numbers", .kind = StageKind::kSource, .summary = "Numbers 0..count-1.",
      .options_schema = R"({"type":"object","additionalProperties":false,"required":["count"],
        "properties":{"count":{"type":"integer","minimum":0},"bad_every":{"type":"integer","minimum":0,"default":0},
                      "as_text":{"type":"boolean","default":false}}})",
      .consumes = {}, .produces = {}, .parallel = true,
      .make = [](const nlohmann::json& with, Context&) -> StagePtr {
        return std::unique_ptr<Stage>(std::make_unique<Numbers>(
            with["count"].get<std::uint64_t>(), with["bad_every"].get<std::uint64_t>(), with["as_text"].get<bool>()));
      }};
  return info;
}

const StageInfo& expectText() {
  static const StageInfo info{.name = "test/expect_text", .kind = StageKind::kRecords, .summary = "Reads text.",
                              .options_schema = "{}", .consumes = {}, .produces = {}, .parallel = true,
                              .reads_text = true, .keeps_text = true,
                              .make = [](const nlohmann::json&, Context&) -> StagePtr {
                                return std::unique_ptr<Stage>(std::make_unique<ExpectText>());
                              }};
  return info;
}

const StageInfo& peekValues() {
  static const StageInfo info{.name = "test/peek_values", .kind = StageKind::kRecords, .summary = "Reads values.",
                              .options_schema = "{}", .consumes = {}, .produces = {}, .parallel = false,
                              .keeps_text = true,
                              .make = [](const nlohmann::json&, Context&) -> StagePtr {
                                return std::unique_ptr<Stage>(std::make_unique<PeekValues>());
                              }};
  return info;
}

const StageInfo& textWrite() {
  static const StageInfo info{
      .name = "test/text_write", .kind = StageKind::kSink, .summary = "Writes texts, else values.",
      .options_schema = R"({"type":"object","additionalProperties":false,"properties":{"path":{"type":"string","default":"out.jsonl"}}})",
      .consumes = {}, .produces = {"out_file"}, .parallel = false, .reads_text = true,
      .make = [](const nlohmann::json& with, Context& ctx) -> StagePtr {
        const std::filesystem::path path = ctx.runDir() / with["path"].get<std::string>();
        return std::unique_ptr<Stage>(std::make_unique<TextWrite>(path));
      }};
  return info;
}

const StageInfo& rejectMultiples() {
  static const StageInfo info{
      .name = "test/reject_multiples", .kind = StageKind::kRecords, .summary = "Rejects multiples.",
      .options_schema = R"({"type":"object","additionalProperties":false,"properties":{"of":{"type":"integer","minimum":1,"default":7}}})",
      .consumes = {}, .produces = {}, .parallel = true,
      .make = [](const nlohmann::json& with, Context&) -> StagePtr {
        return std::unique_ptr<Stage>(std::make_unique<RejectMultiples>(with["of"].get<std::int64_t>()));
      }};
  return info;
}

const StageInfo& square() {
  static const StageInfo info{.name = "test/square", .kind = StageKind::kRecords, .summary = "Squares.",
                              .options_schema = "{}", .consumes = {}, .produces = {}, .parallel = true,
                              .make = [](const nlohmann::json&, Context&) -> StagePtr {
                                return std::unique_ptr<Stage>(std::make_unique<Square>());
                              }};
  return info;
}

const StageInfo& runningTotal() {
  static const StageInfo info{.name = "test/running_total", .kind = StageKind::kRecords, .summary = "Totals.",
                              .options_schema = "{}", .consumes = {}, .produces = {}, .parallel = false,
                              .make = [](const nlohmann::json&, Context&) -> StagePtr {
                                return std::unique_ptr<Stage>(std::make_unique<RunningTotal>());
                              }};
  return info;
}

const StageInfo& failAt() {
  static const StageInfo info{
      .name = "test/fail_at", .kind = StageKind::kRecords, .summary = "Fails.",
      .options_schema = R"({"type":"object","required":["at"],"properties":{"at":{"type":"integer"}}})",
      .consumes = {}, .produces = {}, .parallel = false,
      .make = [](const nlohmann::json& with, Context&) -> StagePtr {
        return std::unique_ptr<Stage>(std::make_unique<FailAt>(with["at"].get<std::int64_t>(), false));
      }};
  return info;
}

const StageInfo& throwAt() {
  static const StageInfo info{
      .name = "test/throw_at", .kind = StageKind::kRecords, .summary = "Throws.",
      .options_schema = R"({"type":"object","required":["at"],"properties":{"at":{"type":"integer"}}})",
      .consumes = {}, .produces = {}, .parallel = true,
      .make = [](const nlohmann::json& with, Context&) -> StagePtr {
        return std::unique_ptr<Stage>(std::make_unique<FailAt>(with["at"].get<std::int64_t>(), true));
      }};
  return info;
}

const StageInfo& write() {
  static const StageInfo info{
      .name = "test/write", .kind = StageKind::kSink, .summary = "Writes JSONL.",
      .options_schema = R"({"type":"object","additionalProperties":false,"properties":{"path":{"type":"string","default":"out.jsonl"}}})",
      .consumes = {}, .produces = {"out_file"}, .parallel = false,
      .make = [](const nlohmann::json& with, Context& ctx) -> StagePtr {
        const std::filesystem::path path = ctx.runDir() / with["path"].get<std::string>();
        return std::unique_ptr<Stage>(std::make_unique<Write>(path));
      }};
  return info;
}

const StageInfo& preparedTriple() {
  static const StageInfo info{.name = "test/prepared_triple", .kind = StageKind::kRecords, .summary = "Triples.",
                              .options_schema = "{}", .consumes = {}, .produces = {}, .parallel = false,
                              .prepares = true,
                              .make = [](const nlohmann::json&, Context&) -> StagePtr {
                                return std::unique_ptr<Stage>(std::make_unique<PreparedTriple>());
                              }};
  return info;
}

const StageInfo& preparedWrite() {
  static const StageInfo info{
      .name = "test/prepared_write", .kind = StageKind::kSink, .summary = "Writes JSONL, serializing in prepare.",
      .options_schema = R"({"type":"object","additionalProperties":false,"properties":{"path":{"type":"string","default":"out.jsonl"}}})",
      .consumes = {}, .produces = {"out_file"}, .parallel = false, .prepares = true,
      .make = [](const nlohmann::json& with, Context& ctx) -> StagePtr {
        const std::filesystem::path path = ctx.runDir() / with["path"].get<std::string>();
        return std::unique_ptr<Stage>(std::make_unique<PreparedWrite>(path));
      }};
  return info;
}

const StageInfo& announce() {
  static const StageInfo info{
      .name = "test/announce", .kind = StageKind::kArtifacts, .summary = "Announces.",
      .options_schema = R"({"type":"object","properties":{"message":{"type":"string","default":"hello"}}})",
      .consumes = {}, .produces = {"announcement"}, .parallel = false,
      .make = [](const nlohmann::json& with, Context&) -> StagePtr {
        return std::unique_ptr<Stage>(std::make_unique<Announce>(with["message"].get<std::string>()));
      }};
  return info;
}

const StageInfo& needsAnnouncement() {
  static const StageInfo info{.name = "test/needs_announcement", .kind = StageKind::kArtifacts, .summary = "Listens.",
                              .options_schema = "{}", .consumes = {"announcement"}, .produces = {}, .parallel = false,
                              .make = [](const nlohmann::json&, Context&) -> StagePtr {
                                return std::unique_ptr<Stage>(std::make_unique<NeedsAnnouncement>());
                              }};
  return info;
}

}  // namespace ajuste::test_stages
