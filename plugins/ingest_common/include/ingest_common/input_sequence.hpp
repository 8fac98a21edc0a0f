#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ajuste/batch.hpp"
#include "ajuste/context.hpp"
#include "ajuste/status.hpp"
#include "ingest_common/decompress.hpp"
#include "ingest_common/input_files.hpp"

namespace ajuste::ingest {

// The walk every ingest source makes over its inputs: one file after another, in the order
// expandInputs gave them, each opened only when the one before it has ended, so a single file is
// open at a time. The source supplies how to open a file and how to read one item of it; the
// sequence does the rest a user sees the same way for every format: cancellation, the
// `files_read` counter, the "reading 'x' (gzip)" debug line and progress in on-disk bytes.
//
// `File` is the source's reader of one input; it needs `std::uint64_t consumed() const` (bytes
// taken from the file on disk so far). Not thread-safe: a source's serial `read` owns it.
template <class File>
class InputSequence {
 public:
  struct Opened {
    std::unique_ptr<File> file;
    Compression compression = Compression::kNone;  // for the debug line only
  };
  // Opens one input. The factory opened every input already, so an error here means the file
  // changed since; it stops the source.
  using Open = std::function<Result<Opened>(const InputFile&)>;
  InputSequence(std::vector<InputFile> inputs, Open open) : inputs_(std::move(inputs)), open_(std::move(open)) {
    for (const InputFile& input : inputs_) total_bytes_ += input.size;
  }

  // Fills `batch` with items of the inputs until it is full or every input has ended, then
  // reports progress. `read_one(File&)` -> Result<bool> adds one item (a record or a reject) of
  // the file to the batch and returns true, or returns false when the file has no more items
  // (end-of-file counters and warnings belong there). A template, not std::function: it runs
  // once per record on the serial thread. Returns whether any input is left to read; false may
  // come with a batch that still holds the last items.
  template <class ReadOne>
  [[nodiscard]] Result<bool> fill(Batch& batch, Context& ctx, ReadOne&& read_one) {
    if (ctx.cancelled()) return Status::cancelled();
    bool more = true;
    while (!batch.full()) {
      if (!current_) {
        if (next_input_ == inputs_.size()) {
          more = false;
          break;
        }
        if (Status status = openNext(ctx); !status.isOk()) return status;
      }
      Result<bool> took = read_one(*current_);
      if (!took.ok()) return took.error();
      if (!*took) endCurrent();
    }
    ctx.progress(finished_bytes_ + (current_ ? current_->consumed() : 0), total_bytes_);
    return more;
  }

 private:
  [[nodiscard]] Status openNext(Context& ctx) {
    const InputFile& input = inputs_[next_input_];
    auto opened = open_(input);
    if (!opened.ok()) return opened.error();
    current_ = std::move(opened->file);
    ctx.debug("reading '" + input.display + "' (" + std::string(toString(opened->compression)) + ")");
    ctx.count("files_read");
    return Status::ok();
  }

  void endCurrent() {
    finished_bytes_ += inputs_[next_input_].size;
    current_.reset();
    ++next_input_;
  }

  const std::vector<InputFile> inputs_;
  const Open open_;
  std::uint64_t total_bytes_ = 0;

  std::size_t next_input_ = 0;
  std::unique_ptr<File> current_;     // of inputs_[next_input_]; null between files
  std::uint64_t finished_bytes_ = 0;  // on-disk bytes of the inputs that ended
};

}  // namespace ajuste::ingest
