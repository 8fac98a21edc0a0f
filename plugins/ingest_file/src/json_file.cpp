#include "json_file.hpp"

#include <utility>

#include "ingest_common/open_input.hpp"
#include "ingest_common/utf8.hpp"

namespace ajuste::ingest_file {
namespace {

// How much of a too-long element is kept in its reject.
constexpr std::size_t kQuotedPrefixBytes = 256;

}  // namespace

Result<std::unique_ptr<JsonFile>> JsonFile::open(const ingest::InputFile& file, JsonArrayFormat format,
                                                 std::size_t buffer_bytes) {
  auto opened = ingest::openInput(file);
  if (!opened.ok()) return opened.error();
  return std::unique_ptr<JsonFile>(
      new JsonFile(file.display, opened->compression,
                   std::make_unique<ingest::TextInput>(std::move(opened->stream), buffer_bytes), format));
}

Result<std::unique_ptr<JsonFile>> JsonFile::open(std::unique_ptr<ingest::ByteStream> raw, std::string name,
                                                 JsonArrayFormat format, std::size_t buffer_bytes) {
  auto opened = ingest::openStream(std::move(raw), name);
  if (!opened.ok()) return opened.error();
  return std::unique_ptr<JsonFile>(
      new JsonFile(std::move(name), opened->compression,
                   std::make_unique<ingest::TextInput>(std::move(opened->stream), buffer_bytes), format));
}

JsonFile::JsonFile(std::string name, ingest::Compression compression, std::unique_ptr<ingest::TextInput> input,
                   JsonArrayFormat format)
    : name_(std::move(name)), compression_(compression), input_(std::move(input)), reader_(*input_, format) {}

Result<std::optional<JsonItem>> JsonFile::next() {
  std::optional<JsonElement> element = reader_.next();
  if (!element) {
    if (!input_->status().isOk()) return input_->status();
    return std::optional<JsonItem>();
  }
  JsonItem item;
  item.origin = Provenance{name_, element->line, next_index_++, element->offset};
  item.column = element->column;
  if (element->problem) {
    item.reject_kind = std::move(element->problem->kind);
    item.reject_reason = std::move(element->problem->message);
    item.text = std::string(ingest::utf8Prefix(element->text, kQuotedPrefixBytes));
  } else {
    item.text = std::move(element->text);
  }
  return std::optional<JsonItem>(std::move(item));
}

}  // namespace ajuste::ingest_file
