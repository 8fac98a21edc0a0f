// ajuste-emulator: serves a simulated OpenAI / Azure OpenAI fine-tuning API until SIGINT or
// SIGTERM. The first line on stdout names the address, for scripts started with --port 0.
#include <pthread.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "emulator.hpp"

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("cannot read fault file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int main(int argc, char** argv) {
  namespace emu = ajuste::emulator;
  emu::Options options;
  std::string state_dir;
  std::vector<std::string> fault_args;
  std::string faults_file;

  CLI::App app{"ajuste-emulator: a simulated OpenAI / Azure OpenAI files and fine-tuning API (nothing is trained; "
               "every answer is simulated). See docs/emulator.md."};
  app.add_option("--host", options.host, "Address to listen on")->capture_default_str();
  app.add_option("--port", options.port, "Port; 0 picks a free one and prints it")->capture_default_str()->check(CLI::Range(0, 65535));
  app.add_option("--state-dir", state_dir, "Keep objects and counters in this folder across restarts (default: memory only)");
  app.add_option("--time-scale", options.time_scale,
                 "Simulated seconds per real second (0 freezes time; move it with POST /_emulator/advance)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--start-time", options.start_time, "Simulated Unix time at start (default: the wall clock)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--seed", options.seed, "Seed for ids, metrics, answers and rate-based faults")->capture_default_str();
  app.add_option("--api-key", options.api_key, "The only key accepted (default: any non-empty key)");
  app.add_option("--fault", fault_args,
                 "A fault, as JSON or key=value,key=value (repeatable), e.g. 'path=/v1/files,method=POST,status=503,first=2'");
  app.add_option("--faults", faults_file, "A JSON file with a list of faults")->check(CLI::ExistingFile);
  app.add_option("--max-file-bytes", options.max_file_bytes, "Files API size limit per file")->capture_default_str();
  app.add_option("--max-part-bytes", options.max_part_bytes, "Uploads API size limit per part")->capture_default_str();
  app.add_flag("--log", options.log_requests, "Print one line per request on stderr");
  CLI11_PARSE(app, argc, argv);

  try {
    if (!state_dir.empty()) options.state_dir = state_dir;
    if (!faults_file.empty()) {
      for (auto& fault : emu::parseFaultList(nlohmann::json::parse(readFile(faults_file)))) options.faults.push_back(fault);
    }
    for (const auto& arg : fault_args) options.faults.push_back(emu::parseFaultArgument(arg));
  } catch (const std::exception& error) {
    std::cerr << "ajuste-emulator: " << error.what() << '\n';
    return 2;
  }

  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    emu::Emulator emulator(options);
    std::cout << "ajuste-emulator (simulated OpenAI/Azure API) listening on " << emulator.baseUrl() << std::endl;
    std::cout << "  OpenAI base URL: " << emulator.baseUrl() << "/v1   Azure endpoint: " << emulator.baseUrl()
              << "   control: " << emulator.baseUrl() << "/_emulator/health" << std::endl;
    int received = 0;
    sigwait(&stop_signals, &received);
    emulator.stop();
    std::cerr << "ajuste-emulator: stopped (signal " << received << ")\n";
  } catch (const std::exception& error) {
    std::cerr << "ajuste-emulator: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
