#pragma once

#include <iosfwd>
#include <string>

namespace ajuste {

struct TokensCommandOptions {
  std::string encoding = "o200k_base";  // o200k_base | cl100k_base
  bool ids = false;                     // print the JSON array of token ids instead of the count
  bool json_lines = false;              // each input line is a JSON string (so a text may hold "\n")
  std::string file;                     // empty or "-" = read `in`
};

// `ajuste tokens`: tokenizes texts, one per input line, with tiktoken's encode_ordinary rules,
// and prints one output line per input line: the token count, or with `ids` the ids as a JSON
// array ("[1,2,3]").
//
// Lines: split on "\n"; a final line without "\n" counts, and no empty text is invented after a
// final "\n". Plain mode drops one "\r" before the "\n" (a CRLF file's line ending is not text);
// any other "\r" is kept. To tokenize text ending in "\r" exactly, use json_lines.
// json_lines: each line must be one JSON string, with optional JSON whitespace around it. Escaped
// lone surrogates ("\ud800") become U+FFFD, as they do on their way into tiktoken's bindings. A
// line that is not a JSON string prints "null" (so output lines stay aligned with input lines),
// an error naming its line number goes to `err`, and processing continues.
//
// Returns the exit code: 0 ok; 1 if any json_lines line was not a JSON string; 2 for usage
// errors (unknown encoding, unreadable file), reported on `err` before any output, and for a
// read error part-way through the input.
// Threads: reentrant; the encoding is shared, read-only.
int runTokensCommand(const TokensCommandOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace ajuste
