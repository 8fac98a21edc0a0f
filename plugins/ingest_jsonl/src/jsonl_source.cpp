#include "jsonl_source.hpp"

#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utf8_check.hpp"

namespace ajuste::ingest_jsonl {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// How much of an over-long line is kept in the reject, so the rejects file stays small.
constexpr std::size_t kQuotedPrefixBytes = 256;
// The JSON parser's message is quoted in reasons; a token it echoes can be long.
constexpr std::size_t kMaxParserMessageBytes = 300;
// Lines up to this size are parsed with simdjson, whose parser keeps buffers sized for the
// largest document it has seen (several times its size); longer (rare) lines use nlohmann's
// parser, so that memory stays bounded per worker.
constexpr std::size_t kMaxFastParseBytes = std::size_t{1} << 20;
// Bytes simdjson may read past the end of a line (any value); the reader reserves them in
// Record::raw so the parser needs no copy of the line.
constexpr std::size_t kParsePadding = simdjson::SIMDJSON_PADDING;

constexpr std::string_view kSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "required": ["path"],
  "properties": {
    "path": {
      "type": "string",
      "minLength": 1,
      "description": "The JSON Lines file to read, one JSON object per line. A relative path starts from the folder of the pipeline file."
    },
    "blank_lines": {
      "type": "string",
      "enum": ["skip", "reject"],
      "default": "skip",
      "description": "What to do with empty or whitespace-only lines: skip them (counted as blank_lines_skipped) or reject them (kind blank_line)."
    },
    "max_line_bytes": {
      "type": "integer",
      "minimum": 1,
      "default": 67108864,
      "description": "Longest line accepted, in bytes without the line ending; a longer line is rejected (kind line_too_long) without being held in memory. Default 64 MiB."
    }
  }
})json";

std::string osReason(int error) { return std::error_code(error, std::generic_category()).message(); }

std::string describePath(const std::string& written, const std::filesystem::path& resolved) {
  std::string out = "'" + written + "'";
  if (resolved.string() != written) out += " (resolved to '" + resolved.string() + "')";
  return out;
}

bool isBlank(std::string_view text) {
  for (const char c : text) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

std::string jsonTypePhrase(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "JSON null";
    case nlohmann::json::value_t::array: return "a JSON array";
    case nlohmann::json::value_t::string: return "a JSON string";
    case nlohmann::json::value_t::boolean: return "a JSON boolean";
    default: return "a JSON number";
  }
}

// "[json.exception.parse_error.101] parse error at line 1, column 13: syntax error while
// parsing object - unexpected end of input; expected '}'" becomes "syntax error while
// parsing object - unexpected end of input; expected '}'", column 13.
std::string parserMessage(const nlohmann::json::exception& error, std::string* column) {
  std::string_view what = error.what();
  if (const auto bracket = what.find("] "); what.starts_with("[json.exception.") && bracket != std::string_view::npos) {
    what.remove_prefix(bracket + 2);
  }
  if (what.starts_with("parse error at line ")) {
    const auto at = what.find("column ");
    const auto colon = what.find(": ");
    if (at != std::string_view::npos && colon != std::string_view::npos && at < colon) {
      *column = std::string(what.substr(at + 7, colon - at - 7));
      what.remove_prefix(colon + 2);
    }
  }
  std::string message(utf8Prefix(what, kMaxParserMessageBytes));
  if (message.size() < what.size()) message += "...";
  return message;
}

// Builds from simdjson's DOM the value nlohmann::json::parse builds from the same text: objects
// keep the last of duplicate keys; integers are number_unsigned when non-negative and
// number_integer when negative, as nlohmann reads them. Sets `zero_integer` on an integer 0,
// which nlohmann keeps signed when written "-0" (simdjson cannot tell).
void buildValue(simdjson::dom::element element, nlohmann::json& out, bool& zero_integer) {
  using Type = simdjson::dom::element_type;
  switch (element.type()) {
    case Type::OBJECT: {
      out = nlohmann::json::object();
      auto& object = out.get_ref<nlohmann::json::object_t&>();
      for (const simdjson::dom::key_value_pair field : simdjson::dom::object(element)) {
        buildValue(field.value, object[std::string(field.key)], zero_integer);
      }
      return;
    }
    case Type::ARRAY: {
      out = nlohmann::json::array();
      auto& array = out.get_ref<nlohmann::json::array_t&>();
      const simdjson::dom::array items(element);
      array.reserve(items.size());
      for (const simdjson::dom::element item : items) buildValue(item, array.emplace_back(), zero_integer);
      return;
    }
    case Type::STRING: out = std::string(std::string_view(element)); return;
    case Type::INT64: {
      const std::int64_t value = element.get_int64().value_unsafe();
      if (value == 0) zero_integer = true;
      if (value >= 0) {
        out = static_cast<std::uint64_t>(value);
      } else {
        out = value;
      }
      return;
    }
    case Type::UINT64: out = element.get_uint64().value_unsafe(); return;
    case Type::DOUBLE: out = element.get_double().value_unsafe(); return;
    case Type::BOOL: out = element.get_bool().value_unsafe(); return;
    case Type::NULL_VALUE: out = nullptr; return;
  }
}

}  // namespace

class JsonlSource::FastParser {
 public:
  // The value of `line`, or nullopt when nlohmann must read it (simdjson refused it, or its
  // reading may differ). `line` must have kParsePadding bytes of capacity after its end, or it
  // is copied. A line simdjson accepts is valid UTF-8 (it validates every byte).
  std::optional<nlohmann::json> parse(const std::string& line) {
    if (line.size() > kMaxFastParseBytes) return std::nullopt;
    simdjson::dom::element root;
    const bool padded = line.capacity() - line.size() >= kParsePadding;
    if (parser_.parse(line.data(), line.size(), !padded).get(root) != simdjson::SUCCESS) return std::nullopt;
    nlohmann::json value;
    bool zero_integer = false;
    buildValue(root, value, zero_integer);
    if (zero_integer && line.find("-0") != std::string::npos) return std::nullopt;
    return value;
  }

 private:
  simdjson::dom::parser parser_{kMaxFastParseBytes};
};

FileHandle::~FileHandle() {
  if (fd_ >= 0) ::close(fd_);
}

FileHandle& FileHandle::operator=(FileHandle&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

namespace {

Result<std::unique_ptr<Stage>> makeJsonlSource(const nlohmann::json& with, Context& ctx) {
  JsonlOptions options;
  options.path = with.at("path").get<std::string>();
  options.blank_lines = with.value("blank_lines", "skip") == "reject" ? BlankLines::kReject : BlankLines::kSkip;
  options.max_line_bytes = with.value("max_line_bytes", options.max_line_bytes);
  const std::filesystem::path resolved = ctx.resolvePath(options.path);
  auto opened = JsonlSource::open(std::move(options), resolved);
  if (!opened.ok()) return opened.error();
  return std::unique_ptr<Stage>(std::move(opened).value());
}

}  // namespace

const StageInfo& JsonlSource::info() {
  static const StageInfo kInfo{
      .name = "ingest/jsonl",
      .kind = StageKind::kSource,
      .summary =
          "Reads a JSON Lines file: one JSON object per line, each becoming one record with its file, "
          "1-based line number, record index and byte offset as provenance. The file is streamed through a "
          "fixed buffer, so memory stays bounded by max_line_bytes whatever the file size. A UTF-8 byte order "
          "mark at the start, Windows line endings (\\r\\n) and a last line without a newline are accepted. "
          "Lines that are not UTF-8, not JSON, or not a JSON object are rejected with the byte or column "
          "that is wrong; blank lines are skipped (or rejected with blank_lines: reject).",
      .options_schema = std::string(kSchema),
      .consumes = {},
      .produces = {},
      .parallel = true,
      .make = &makeJsonlSource,
  };
  return kInfo;
}

Result<std::unique_ptr<JsonlSource>> JsonlSource::open(JsonlOptions options, const std::filesystem::path& resolved) {
  const std::string where = describePath(options.path, resolved);
  int fd = -1;
  do {
    fd = ::open(resolved.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int error = errno;
    const std::string hint =
        error == ENOENT   ? "check the 'path' option; a relative path starts from the folder of the pipeline file"
        : error == EACCES ? "make the file readable by the user running ajuste"
                          : "check that the file exists and is readable";
    std::string message = "cannot open input file " + where + ": " + osReason(error) + "; " + hint;
    // A path that names nothing is a mistake in the pipeline: located at the option, exit 2.
    // A file that exists but cannot be read is a problem of the machine: exit 4.
    if (error == ENOENT || error == ENOTDIR) return Status::configError("/path", std::move(message));
    return Status::ioError(std::move(message));
  }
  FileHandle file(fd);
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) {
    return Status::ioError("cannot inspect input file " + where + ": " + osReason(errno));
  }
  if (S_ISDIR(status.st_mode)) {
    return Status::configError("/path", "input " + where + " is a directory; set 'path' to a .jsonl file inside it");
  }
  const std::uint64_t size = S_ISREG(status.st_mode) ? static_cast<std::uint64_t>(status.st_size) : 0;
  return std::unique_ptr<JsonlSource>(new JsonlSource(std::move(options), resolved, std::move(file), size));
}

JsonlSource::JsonlSource(JsonlOptions options, std::filesystem::path resolved, FileHandle file, std::uint64_t file_size)
    : options_(std::move(options)),
      resolved_(std::move(resolved)),
      file_(std::move(file)),
      file_size_(file_size),
      buffer_(options_.read_buffer_bytes == 0 ? 1 : options_.read_buffer_bytes),
      parser_(std::make_unique<FastParser>()) {}

JsonlSource::~JsonlSource() = default;

Status JsonlSource::fill() {
  ssize_t got = 0;
  do {
    got = ::read(file_.get(), buffer_.data(), buffer_.size());
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    return Status::ioError("cannot read input file " + describePath(options_.path, resolved_) + " at byte " +
                           std::to_string(offset_) + ": " + osReason(errno));
  }
  buffer_pos_ = 0;
  buffer_end_ = static_cast<std::size_t>(got);
  eof_ = got == 0;
  return Status::ok();
}

void JsonlSource::append(const char* data, std::size_t size) {
  if (size == 0) return;
  // Keep one byte beyond the limit: it may be the '\r' of a "\r\n" ending.
  const std::uint64_t keep_limit = options_.max_line_bytes + 1;
  if (line_.size() < keep_limit) {
    const std::uint64_t room = keep_limit - line_.size();
    line_.append(data, static_cast<std::size_t>(room < size ? room : size));
  }
  line_bytes_ += size;
  line_last_byte_ = data[size - 1];
}

Result<bool> JsonlSource::read(Batch& batch, Context& ctx) {
  if (ctx.cancelled()) return Status::cancelled();
  while (!batch.full()) {
    if (buffer_pos_ == buffer_end_) {
      if (eof_) {
        if (hasPendingLine()) completeLine(batch, ctx);  // the last line has no '\n'
        ctx.progress(offset_, file_size_);
        return false;
      }
      if (Status status = fill(); !status.isOk()) return status;
      continue;
    }
    const char* begin = buffer_.data() + buffer_pos_;
    const std::size_t available = buffer_end_ - buffer_pos_;
    const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', available));
    const std::size_t length = newline != nullptr ? static_cast<std::size_t>(newline - begin) : available;
    // A line that ends in this buffer gets its one allocation here, with the parser's padding.
    if (newline != nullptr && !hasPendingLine() && length <= options_.max_line_bytes) line_.reserve(length + kParsePadding);
    append(begin, length);
    buffer_pos_ += length;
    offset_ += length;
    if (newline != nullptr) {
      ++buffer_pos_;
      ++offset_;
      completeLine(batch, ctx);
    }
  }
  ctx.progress(offset_, file_size_);
  return true;
}

void JsonlSource::completeLine(Batch& batch, Context& ctx) {
  ++line_number_;
  std::string text = std::exchange(line_, std::string());
  std::uint64_t length = std::exchange(line_bytes_, 0);
  std::uint64_t start = line_start_;
  line_start_ = offset_;
  if (line_last_byte_ == '\r' && length > 0) {
    if (text.size() == length) text.pop_back();
    --length;
  }
  line_last_byte_ = 0;
  if (line_number_ == 1 && std::string_view(text).starts_with(kBom)) {
    text.erase(0, kBom.size());
    length -= kBom.size();
    start += kBom.size();
  }

  if (text.capacity() - text.size() < kParsePadding && length <= options_.max_line_bytes) {
    text.reserve(text.size() + kParsePadding);  // a line that crossed a buffer refill
  }
  const bool blank = length <= options_.max_line_bytes && isBlank(text);
  if (blank && options_.blank_lines == BlankLines::kSkip) {
    ctx.count("blank_lines_skipped");
    return;
  }
  Provenance origin{options_.path, line_number_, next_index_++, start};
  if (length > options_.max_line_bytes) {
    std::string quoted(utf8Prefix(text, kQuotedPrefixBytes));
    batch.rejectInput(std::move(origin),
                      "line is " + std::to_string(length) + " bytes long, more than max_line_bytes (" +
                          std::to_string(options_.max_line_bytes) +
                          "); only its first bytes are kept here. Raise max_line_bytes if the line is a real "
                          "example, or check that the file really has one JSON object per line",
                      std::move(quoted), "line_too_long");
    return;
  }
  if (blank) {
    batch.rejectInput(std::move(origin),
                      "blank line; remove it or set blank_lines: skip to ignore blank lines", std::move(text),
                      "blank_line");
    return;
  }
  Record record;
  record.origin = std::move(origin);
  record.raw = std::move(text);
  batch.add(std::move(record));
}

Status JsonlSource::decode(Batch& batch, Context& /*ctx*/) {
  for (Record& record : batch) {
    if (auto fast = parser_->parse(record.raw); fast && fast->is_object()) {
      record.value = std::move(*fast);
      std::string().swap(record.raw);
      continue;
    }
    const std::uint64_t file_offset = record.origin.byte_offset;
    if (const auto bad = findInvalidUtf8(record.raw)) {
      batch.reject(record,
                   "invalid UTF-8 at byte offset " + std::to_string(bad->offset) + " of the line (file offset " +
                       std::to_string(file_offset + bad->offset) + "): " + bad->what +
                       "; the file must be UTF-8 (re-save it as UTF-8: Latin-1 or Windows-1252 text shows this)",
                   "invalid_utf8");
      continue;
    }
    nlohmann::json value;
    try {
      value = nlohmann::json::parse(record.raw);
    } catch (const nlohmann::json::exception& error) {
      std::string column;
      const std::string message = parserMessage(error, &column);
      batch.reject(record,
                   "invalid JSON" + (column.empty() ? std::string() : " at column " + column) + ": " + message +
                       "; each line must be one complete JSON object",
                   "invalid_json");
      continue;
    }
    if (!value.is_object()) {
      batch.reject(record,
                   "line is " + jsonTypePhrase(value) +
                       ", expected an object; each line must be one JSON object such as {\"messages\": [...]}",
                   "not_object");
      continue;
    }
    record.value = std::move(value);
    std::string().swap(record.raw);
  }
  return Status::ok();
}

}  // namespace ajuste::ingest_jsonl
