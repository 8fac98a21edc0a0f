// Command-line wrapper around runTokensCommand for the differential test and for manual use:
//   tokenizer_tokens_tool [--encoding E] [--ids] [--json-lines] [FILE|-]
#include <cstring>
#include <iostream>
#include <string_view>

#include "tokens_command.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  ajuste::TokensCommandOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--encoding" && i + 1 < argc) {
      options.encoding = argv[++i];
    } else if (arg == "--ids") {
      options.ids = true;
    } else if (arg == "--json-lines") {
      options.json_lines = true;
    } else if (!arg.starts_with("--") || arg == "-") {
      options.file = std::string(arg);
    } else {
      std::cerr << "usage: tokenizer_tokens_tool [--encoding E] [--ids] [--json-lines] [FILE|-]\n";
      return 2;
    }
  }
  return ajuste::runTokensCommand(options, std::cin, std::cout, std::cerr);
}
