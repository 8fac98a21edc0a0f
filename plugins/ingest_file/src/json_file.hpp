#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "ajuste/provenance.hpp"
#include "ajuste/status.hpp"
#include "ingest_common/byte_stream.hpp"
#include "ingest_common/decompress.hpp"
#include "ingest_common/input_files.hpp"
#include "ingest_common/text_input.hpp"
#include "json_array_reader.hpp"

namespace ajuste::ingest_file {

// What one element became: its text to decode (a record), or a reject found while framing.
struct JsonItem {
  Provenance origin;         // file, line of the element's first byte, 0-based element index, byte offset
  std::uint64_t column = 0;  // of the element's first byte, so decode can place errors in the file
  std::string text;          // the element's JSON text, or for a reject what is kept of it
  std::string reject_kind;   // empty for an element to decode
  std::string reject_reason;
};

// One JSON array input being read.
class JsonFile {
 public:
  [[nodiscard]] static Result<std::unique_ptr<JsonFile>> open(const ingest::InputFile& file, JsonArrayFormat format,
                                                              std::size_t buffer_bytes);
  [[nodiscard]] static Result<std::unique_ptr<JsonFile>> open(std::unique_ptr<ingest::ByteStream> raw, std::string name,
                                                              JsonArrayFormat format, std::size_t buffer_bytes);

  // The next element, or nullopt at the end of the input. Errors: the input cannot be read.
  [[nodiscard]] Result<std::optional<JsonItem>> next();

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] bool unterminated() const { return reader_.unterminated(); }
  [[nodiscard]] bool empty() const { return reader_.empty(); }
  [[nodiscard]] ingest::Compression compression() const { return compression_; }
  [[nodiscard]] std::uint64_t consumed() const { return input_->consumed(); }

 private:
  JsonFile(std::string name, ingest::Compression compression, std::unique_ptr<ingest::TextInput> input,
           JsonArrayFormat format);

  std::string name_;
  ingest::Compression compression_;
  std::unique_ptr<ingest::TextInput> input_;
  JsonArrayReader reader_;
  std::uint64_t next_index_ = 0;
};

}  // namespace ajuste::ingest_file
