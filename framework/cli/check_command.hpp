#pragma once

#include <atomic>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace ajuste {

struct CheckCommandOptions {
  std::string file;                        // the dataset (JSONL)
  std::string model = "gpt-4o-mini-2024-07-18";
  std::string format = "text";             // text | json | github
  std::string method = "supervised";       // supervised | dpo
  std::string provider = "openai";         // openai | azure: availability and retirement dates differ
  std::optional<double> max_cost;          // USD budget
  std::optional<int> epochs;               // default: OpenAI's automatic rule
  std::vector<std::string> fail_on;        // warning kinds to treat as errors
  std::string catalogue;                   // a model catalogue overriding the built-in one
  std::string out;                         // write the accepted examples here
  std::string run_dir;                     // keep rejects and summary here (default: a temporary folder)
  std::vector<std::string> plugin_paths;
  int threads = 0;
};

// `ajuste check FILE`: the job OpenAI's prepare_data did, in one command. Exit 0 when the
// file is ready for upload, 1 when it is not (a rejected example, an error finding, a
// promoted warning, over the budget), 2 on usage errors; 3 and 4 as for `run`.
int runCheckCommand(const CheckCommandOptions& options, std::ostream& out, std::ostream& err,
                    const std::atomic<bool>& interrupted);

// GitHub Actions workflow-command escaping of a message (%, CR, LF) and of a property (also : and ,).
std::string githubEscapeMessage(std::string_view text);
std::string githubEscapeProperty(std::string_view text);

}  // namespace ajuste
