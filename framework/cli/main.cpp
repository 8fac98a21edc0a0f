// ajuste: the command line. Each subcommand's work lives in its own file; this one only
// parses arguments, installs the interrupt handler and maps results to exit codes.
#include <atomic>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "cli/check_command.hpp"
#include "cli/cost_command.hpp"
#include "cli/exit_codes.hpp"
#include "cli/pipeline_commands.hpp"
#include "cli/plugins_command.hpp"
#include "cli/tokens_command.hpp"
#include "common/logger.hpp"

namespace {

std::atomic<bool> g_interrupted{false};

// First Ctrl-C: stop at the next batch boundary and write the summary. Second: leave now.
void onInterrupt(int /*signal*/) {
  if (g_interrupted.exchange(true)) _exit(ajuste::kExitInterrupted);
  constexpr char kMessage[] = "\najuste: interrupting after the current batch (Ctrl-C again to quit at once)\n";
  [[maybe_unused]] const auto ignored = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
}

void installInterruptHandler() {
  struct sigaction action {};
  action.sa_handler = onInterrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void addPipelineOptions(CLI::App& command, ajuste::PipelineCommandOptions& options) {
  command.add_option("pipeline", options.pipeline, "Pipeline YAML file")->required();
  command.add_option("--set", options.overrides, "Override an option: STAGE.OPTION=VALUE or run.SETTING=VALUE")
      ->type_name("STAGE.OPTION=VALUE");
  command.add_option("--plugin-path", options.plugin_paths, "Folder or .so file to load plugins from (repeatable)")
      ->type_name("PATH");
  command.add_option("--run-dir", options.run_dir, "Run folder (default: run.dir of the pipeline, or runs/<name>)")
      ->type_name("DIR");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ajuste: turns raw examples into a fine-tuned model, through a pipeline of stage plugins.\n"
               "Exit codes: 0 ok, 1 data failed a gate, 2 usage or pipeline error, 3 plugin error,\n"
               "4 provider or I/O error, 70 internal error, 130 interrupted.",
               "ajuste"};
  app.set_version_flag("--version", "ajuste 0.1.0");
  app.require_subcommand(1);
  bool verbose = false;
  bool quiet = false;
  app.add_flag("-v,--verbose", verbose, "Also print debug messages");
  app.add_flag("-q,--quiet", quiet, "Print only warnings and errors");

  ajuste::PipelineCommandOptions run_options;
  CLI::App* run = app.add_subcommand("run", "Run a pipeline");
  addPipelineOptions(*run, run_options);
  run->add_option("--threads", run_options.threads, "Worker threads (0 = all cores; default: the pipeline's)")
      ->check(CLI::Range(0, 1024));
  run->add_option("--progress", run_options.progress, "Progress display")
      ->check(CLI::IsMember({"auto", "live", "lines", "off"}));
  run->add_flag("--json", run_options.json, "Print summary.json on stdout instead of the table");
  run->add_flag("--resume", run_options.resume,
                "Continue the run in its run folder: adopt what its providers already uploaded or started");

  ajuste::PipelineCommandOptions validate_options;
  CLI::App* validate = app.add_subcommand("validate", "Check a pipeline without running it");
  addPipelineOptions(*validate, validate_options);

  ajuste::PluginsCommandOptions plugins_options;
  CLI::App* plugins = app.add_subcommand("plugins", "Show the installed stage plugins");
  plugins->require_subcommand(1);
  CLI::App* list = plugins->add_subcommand("list", "List every stage, its kind, plugin and file");
  CLI::App* describe = plugins->add_subcommand("describe", "Describe one stage and its options");
  for (CLI::App* command : {list, describe}) {
    command->add_option("--plugin-path", plugins_options.plugin_paths, "Folder or .so file to load plugins from")
        ->type_name("PATH");
    command->add_flag("--json", plugins_options.json, "Print JSON");
  }
  describe->add_option("stage", plugins_options.stage, "Stage name, e.g. split/random")->required();

  ajuste::CheckCommandOptions check_options;
  CLI::App* check = app.add_subcommand(
      "check", "Check a fine-tuning dataset like OpenAI's prepare_data, with exact token counts and the cost");
  check->add_option("file", check_options.file, "Dataset (JSONL)")->required();
  check->add_option("--model", check_options.model, "Base model to check limits and prices for")
      ->capture_default_str();
  check->add_option("--method", check_options.method, "Fine-tuning method")
      ->check(CLI::IsMember({"supervised", "dpo"}))
      ->capture_default_str();
  check->add_option("--provider", check_options.provider, "Where the job will run: limits, availability, retirement")
      ->check(CLI::IsMember({"openai", "azure"}))
      ->capture_default_str();
  check->add_option("--format", check_options.format, "Output: text, json (the run summary) or github (annotations)")
      ->check(CLI::IsMember({"text", "json", "github"}))
      ->capture_default_str();
  check->add_option("--max-cost", check_options.max_cost, "Budget in USD: not ready when the estimate is above it");
  check->add_option("--epochs", check_options.epochs, "Epochs (default: OpenAI's automatic choice)")
      ->check(CLI::Range(1, 50));
  check->add_option("--fail-on", check_options.fail_on, "Warning kinds to treat as errors (or all_warnings)")
      ->delimiter(',');
  check->add_option("--catalogue", check_options.catalogue, "Model catalogue YAML overriding the built-in one");
  check->add_option("--out", check_options.out, "Write the accepted examples to this file");
  check->add_option("--run-dir", check_options.run_dir, "Keep rejects.jsonl and summary.json in this folder");
  check->add_option("--plugin-path", check_options.plugin_paths, "Folder or .so file to load plugins from");
  check->add_option("--threads", check_options.threads, "Worker threads (0 = all cores)")->check(CLI::Range(0, 1024));

  ajuste::CostCommandOptions cost_options;
  CLI::App* cost = app.add_subcommand(
      "cost", "What-if: a prompted base model against a fine-tuned one, per request, per month and at break-even");
  cost->add_option("--model", cost_options.model, "Catalogue model (fine-tuned inference and training rates)")
      ->required();
  cost->add_option("--provider", cost_options.provider, "openai, or azure (hosting per hour of a fine-tuned deployment)")
      ->check(CLI::IsMember({"openai", "azure"}))
      ->capture_default_str();
  const auto tokens_option = [&](const std::string& name, double& value, const std::string& what, bool required) {
    CLI::Option* option = cost->add_option(name, value, what)->check(CLI::NonNegativeNumber)->type_name("N");
    if (required) option->required();
  };
  tokens_option("--base-input-tokens", cost_options.base.input,
                "Prompt tokens of one base-model request (instructions, few-shot examples, input)", true);
  tokens_option("--base-cached-tokens", cost_options.base.cached, "Of those, tokens billed at the cached rate", false);
  tokens_option("--base-output-tokens", cost_options.base.output, "Completion tokens of one base-model request", true);
  tokens_option("--tuned-input-tokens", cost_options.tuned.input, "Prompt tokens of one fine-tuned request", true);
  tokens_option("--tuned-cached-tokens", cost_options.tuned.cached, "Of those, tokens billed at the cached rate", false);
  tokens_option("--tuned-output-tokens", cost_options.tuned.output, "Completion tokens of one fine-tuned request", true);
  cost->add_option("--requests-per-day", cost_options.requests_per_day, "Expected volume")
      ->required()
      ->check(CLI::PositiveNumber);
  CLI::Option* training_tokens =
      cost->add_option("--training-tokens", cost_options.training_tokens, "Tokens of the training file (one epoch)")
          ->check(CLI::NonNegativeNumber);
  CLI::Option* epochs = cost->add_option("--epochs", cost_options.epochs, "Epochs billed")->check(CLI::Range(1, 50));
  training_tokens->needs(epochs);
  cost->add_option("--training-usd", cost_options.training_usd, "Training cost, instead of tokens x epochs x rate")
      ->check(CLI::NonNegativeNumber)
      ->excludes(training_tokens);
  cost->add_option("--base-input-price", cost_options.base_input_price, "Base model's own USD per 1M input tokens")
      ->check(CLI::NonNegativeNumber);
  cost->add_option("--base-cached-price", cost_options.base_cached_price, "Base model's USD per 1M cached input tokens")
      ->check(CLI::NonNegativeNumber);
  cost->add_option("--base-output-price", cost_options.base_output_price, "Base model's own USD per 1M output tokens")
      ->check(CLI::NonNegativeNumber);
  cost->add_option("--base-accuracy", cost_options.base_accuracy, "Measured accuracy of the prompt, 0-1")
      ->check(CLI::Range(0.0, 1.0));
  cost->add_option("--tuned-accuracy", cost_options.tuned_accuracy, "Measured accuracy of the fine-tuned model, 0-1")
      ->check(CLI::Range(0.0, 1.0));
  cost->add_option("--horizon-months", cost_options.horizon_months, "Months the training cost is spread over")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cost->add_option("--tie-points", cost_options.tie_points, "Accuracy gap (points) within which cost decides")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cost->add_option("--catalogue", cost_options.catalogue, "Model catalogue YAML overriding the built-in one");
  cost->add_flag("--json", cost_options.json, "Print JSON");

  ajuste::TokensCommandOptions tokens_options;
  CLI::App* tokens = app.add_subcommand("tokens", "Count tokens (or print token ids) of texts, one per line");
  tokens->add_option("--encoding", tokens_options.encoding, "o200k_base or cl100k_base");
  tokens->add_flag("--ids", tokens_options.ids, "Print the token ids as a JSON array instead of the count");
  tokens->add_flag("--json-lines", tokens_options.json_lines, "Each line is a JSON string (texts may hold newlines)");
  tokens->add_option("file", tokens_options.file, "Input file (default: standard input)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return ajuste::kExitUsage;
  }

  ajuste::Logger::instance().setMinimumLevel(verbose ? ajuste::LogLevel::kDebug
                                             : quiet ? ajuste::LogLevel::kWarn
                                                     : ajuste::LogLevel::kInfo);
  try {
    if (*run) {
      if (quiet && run_options.progress == "auto") run_options.progress = "off";
      installInterruptHandler();
      return ajuste::runRunCommand(run_options, std::cout, std::cerr, g_interrupted);
    }
    if (*check) {
      installInterruptHandler();
      return ajuste::runCheckCommand(check_options, std::cout, std::cerr, g_interrupted);
    }
    if (*cost) return ajuste::runCostCommand(cost_options, std::cout, std::cerr);
    if (*validate) return ajuste::runValidateCommand(validate_options, std::cout, std::cerr);
    if (*list) return ajuste::runPluginsList(plugins_options, std::cout, std::cerr);
    if (*describe) return ajuste::runPluginsDescribe(plugins_options, std::cout, std::cerr);
    if (*tokens) {
      if (tokens_options.file.empty() || tokens_options.file == "-") {
        return ajuste::runTokensCommand(tokens_options, std::cin, std::cout, std::cerr);
      }
      std::ifstream in(tokens_options.file, std::ios::binary);
      if (!in) {
        std::cerr << "ajuste tokens: cannot read " << tokens_options.file << ": " << std::strerror(errno) << '\n';
        return ajuste::kExitUsage;
      }
      return ajuste::runTokensCommand(tokens_options, in, std::cout, std::cerr);
    }
  } catch (const std::exception& e) {
    std::cerr << "ajuste: internal error: " << e.what() << " (please report this bug)\n";
    return ajuste::kExitInternal;
  }
  return ajuste::kExitUsage;
}
