// Single-threaded throughput of the tokenizer, measured like the shared bench's count-tokens.mjs
// so the two can be compared on one file:
//   tokenizer_bench --encoding o200k_base --mode jsonl|text FILE
// jsonl: per line, parse JSON and count every messages[i].content (or prompt/completion) plus the
//        cookbook chat_total strings (role, name, tool_call_id, tool call name/arguments).
// text:  every raw line (without "\n") is encoded to ids, as count-tokens --text does.
// Prints one JSON summary line; MB/s = (line bytes + 1 per line) / 1e6 / seconds after loading
// the encoding, reading the file included.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/tokenizer/encoding.hpp"

namespace {

struct Totals {
  std::size_t lines = 0;
  std::size_t bytes = 0;
  std::size_t contentTokens = 0;
  std::size_t chatTokens = 0;
};

void countJsonLine(const ajuste::Encoding& enc, std::string_view line, Totals& t) {
  const auto rec = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!rec.is_object()) return;
  const auto messages = rec.find("messages");
  if (messages == rec.end()) {
    for (const char* key : {"prompt", "completion"}) {
      if (const auto it = rec.find(key); it != rec.end() && it->is_string()) {
        t.contentTokens += enc.countOrdinary(it->get_ref<const std::string&>());
      }
    }
    return;
  }
  if (!messages->is_array()) return;
  std::size_t chat = 3;
  for (const auto& m : *messages) {
    chat += 3;
    if (!m.is_object()) continue;
    for (const auto& [key, value] : m.items()) {
      if (value.is_string()) {
        const std::size_t n = enc.countOrdinary(value.get_ref<const std::string&>());
        if (key == "content") t.contentTokens += n;
        chat += n + (key == "name" ? 1 : 0);
      } else if (key == "tool_calls" && value.is_array()) {
        for (const auto& call : value) {
          const auto f = call.find("function");
          if (f == call.end() || !f->is_object()) continue;
          for (const char* k : {"name", "arguments"}) {
            if (const auto s = f->find(k); s != f->end() && s->is_string()) {
              chat += enc.countOrdinary(s->get_ref<const std::string&>());
            }
          }
        }
      }
    }
  }
  t.chatTokens += chat;
}

}  // namespace

int main(int argc, char** argv) {
  std::string encodingName = "o200k_base";
  std::string mode = "jsonl";
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--encoding" && i + 1 < argc) encodingName = argv[++i];
    else if (a == "--mode" && i + 1 < argc) mode = argv[++i];
    else path = std::string(a);
  }
  const auto name = ajuste::Encoding::parseName(encodingName);
  if (!name || path.empty() || (mode != "jsonl" && mode != "text")) {
    std::cerr << "usage: tokenizer_bench --encoding o200k_base|cl100k_base --mode jsonl|text FILE\n";
    return 2;
  }
  const auto loadStart = std::chrono::steady_clock::now();
  const ajuste::Encoding& enc = ajuste::Encoding::get(*name);
  const double loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count();

  const auto start = std::chrono::steady_clock::now();
  std::string data;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "tokenizer_bench: cannot read " << path << "\n";
      return 2;
    }
    std::vector<char> chunk(1 << 22);
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
      data.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    }
  }
  Totals t;
  std::vector<std::uint32_t> ids;
  for (std::size_t pos = 0; pos < data.size();) {
    std::size_t eol = data.find('\n', pos);
    if (eol == std::string::npos) eol = data.size();
    const std::string_view line(data.data() + pos, eol - pos);
    pos = eol + 1;
    ++t.lines;
    t.bytes += line.size() + 1;
    if (mode == "text") {
      ids.clear();
      enc.encodeOrdinary(line, ids);
      t.contentTokens += ids.size();
    } else {
      countJsonLine(enc, line, t);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "{\"peer\":\"ajuste\",\"encoding\":\"%s\",\"mode\":\"%s\",\"lines\":%zu,\"bytes\":%zu,\"content_tokens\":%zu,"
      "\"load_ms\":%.1f,\"seconds\":%.3f,\"mb_per_s\":%.2f}\n",
      encodingName.c_str(), mode.c_str(), t.lines, t.bytes, t.contentTokens, loadSeconds * 1000, seconds,
      static_cast<double>(t.bytes) / 1e6 / seconds);
  return 0;
}
