#include "tokens_command.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <istream>
#include <ostream>
#include <string_view>
#include <vector>

#include "ajuste/tokenizer/encoding.hpp"

namespace ajuste {

namespace {

bool isJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void appendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Four hex digits at line[pos]; -1 if they are not.
long hex4(std::string_view line, std::size_t pos) {
  if (pos + 4 > line.size()) return -1;
  long v = 0;
  for (std::size_t i = pos; i < pos + 4; ++i) {
    const char c = line[i];
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

// Parses a line holding exactly one JSON string (RFC 8259) into UTF-8. Our own parser instead
// of a JSON library because lone surrogate escapes must become U+FFFD (as in tiktoken's JS
// binding) where libraries reject the line. Raw bytes are copied as they are.
bool parseJsonStringLine(std::string_view line, std::string& out, std::string& error) {
  out.clear();
  std::size_t i = 0;
  while (i < line.size() && isJsonSpace(line[i])) ++i;
  if (i == line.size()) {
    error = "empty line, expected a JSON string";
    return false;
  }
  if (line[i] != '"') {
    error = "expected a JSON string (starting with '\"')";
    return false;
  }
  ++i;
  for (;;) {
    if (i >= line.size()) {
      error = "unterminated JSON string";
      return false;
    }
    const char c = line[i];
    if (c == '"') {
      ++i;
      break;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
      error = "unescaped control character in JSON string at column " + std::to_string(i + 1);
      return false;
    }
    if (c != '\\') {
      out.push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= line.size()) {
      error = "unterminated JSON string";
      return false;
    }
    const char e = line[i + 1];
    i += 2;
    switch (e) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case '/': out.push_back('/'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        const long u = hex4(line, i);
        if (u < 0) {
          error = "bad \\u escape at column " + std::to_string(i - 1);
          return false;
        }
        i += 4;
        auto cp = static_cast<char32_t>(u);
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < line.size() && line[i] == '\\' && line[i + 1] == 'u') {
          const long low = hex4(line, i + 2);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<char32_t>(low) - 0xDC00);
            i += 6;
          }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // lone surrogate
        appendUtf8(cp, out);
        break;
      }
      default:
        error = std::string("bad escape '\\") + e + "' at column " + std::to_string(i - 1);
        return false;
    }
  }
  while (i < line.size() && isJsonSpace(line[i])) ++i;
  if (i != line.size()) {
    error = "unexpected characters after the JSON string at column " + std::to_string(i + 1);
    return false;
  }
  return true;
}

void appendIds(const std::vector<std::uint32_t>& ids, std::string& out) {
  out.push_back('[');
  char digits[16];
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (k > 0) out.push_back(',');
    std::uint32_t v = ids[k];
    std::size_t n = 0;
    do {
      digits[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n > 0) out.push_back(digits[--n]);
  }
  out.push_back(']');
}

}  // namespace

int runTokensCommand(const TokensCommandOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  const auto name = Encoding::parseName(options.encoding);
  if (!name) {
    err << "ajuste tokens: unknown encoding '" << options.encoding << "'; expected o200k_base or cl100k_base\n";
    return 2;
  }
  std::ifstream file;
  std::istream* input = &in;
  if (!options.file.empty() && options.file != "-") {
    file.open(options.file, std::ios::binary);
    if (!file) {
      err << "ajuste tokens: cannot read '" << options.file << "': " << std::strerror(errno) << "\n";
      return 2;
    }
    input = &file;
  }
  const Encoding& encoding = Encoding::get(*name);

  int status = 0;
  std::string line;
  std::string text;
  std::string error;
  std::string pending;  // output is flushed in blocks: one stream call per line is slow
  std::vector<std::uint32_t> ids;
  std::uint64_t lineNo = 0;
  while (std::getline(*input, line)) {
    ++lineNo;
    std::string_view piece = line;
    if (options.json_lines) {
      if (!parseJsonStringLine(line, text, error)) {
        err << "ajuste tokens: line " << lineNo << ": " << error << "\n";
        pending += "null\n";
        status = 1;
        continue;
      }
      piece = text;
    } else if (!piece.empty() && piece.back() == '\r') {
      piece.remove_suffix(1);
    }
    if (options.ids) {
      ids.clear();
      encoding.encodeOrdinary(piece, ids);
      appendIds(ids, pending);
    } else {
      pending += std::to_string(encoding.countOrdinary(piece));
    }
    pending.push_back('\n');
    if (pending.size() >= (1u << 16)) {
      out.write(pending.data(), static_cast<std::streamsize>(pending.size()));
      pending.clear();
    }
  }
  out.write(pending.data(), static_cast<std::streamsize>(pending.size()));
  if (input->bad()) {
    err << "ajuste tokens: read error after line " << lineNo << "\n";
    return 2;
  }
  out.flush();
  return status;
}

}  // namespace ajuste
