// The built ajuste-emulator binary, as a script would run it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <regex>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

extern char** environ;

namespace {

using ::testing::HasSubstr;

// A child process with its stdout on a pipe; killed and reaped on destruction.
class Child {
 public:
  explicit Child(std::vector<std::string> args) {
    int fds[2];
    if (pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    out_ = fdopen(fds[0], "r");
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ != nullptr) fclose(out_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  std::string readLine() {
    char buffer[512];
    return out_ != nullptr && std::fgets(buffer, sizeof buffer, out_) != nullptr ? buffer : "";
  }
  // Sends `signal` and returns the exit status.
  int stop(int signal) {
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  int wait() { return stop(0); }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
};

TEST(Binary, PrintsItsPortServesAndStopsOnSigterm) {
  Child child({EMULATOR_BIN, "--host", "127.0.0.1", "--port", "0", "--seed", "3"});
  const std::string line = child.readLine();
  EXPECT_THAT(line, HasSubstr("ajuste-emulator (simulated OpenAI/Azure API)"));
  std::smatch match;
  ASSERT_TRUE(std::regex_search(line, match, std::regex(R"(listening on (http://127\.0\.0\.1:(\d+)))"))) << line;
  httplib::Client client(match[1].str());
  const auto health = client.Get("/_emulator/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(nlohmann::json::parse(health->body)["seed"], 3);
  const auto models = client.Get("/v1/models", {{"Authorization", "Bearer k"}});
  ASSERT_TRUE(models);
  EXPECT_EQ(models->status, 200);
  EXPECT_EQ(models->get_header_value("x-ajuste-emulator"), "simulated");
  EXPECT_EQ(child.stop(SIGTERM), 0);
}

std::string baseUrlOf(Child& child) {
  const std::string line = child.readLine();
  std::smatch match;
  return std::regex_search(line, match, std::regex(R"(listening on (http://127\.0\.0\.1:\d+))")) ? match[1].str() : "";
}

// The shipped binary answers chat completions as a pure function of the request, labelled
// simulated: two separate processes give the same answer and the same usage.
TEST(Binary, ServesChatCompletionsDeterministicallyAndLabelledSimulated) {
  const nlohmann::json request = {
      {"model", "gpt-4o-mini"},
      {"messages", {{{"role", "system"}, {"content", "Rate the review from 1 to 5 stars."}},
                    {{"role", "user"}, {"content", "Terrible kettle. It arrived damaged."}}}}};
  std::vector<nlohmann::json> bodies;
  for (int process = 0; process < 2; ++process) {
    Child child({EMULATOR_BIN, "--host", "127.0.0.1", "--port", "0", "--seed", std::to_string(process)});
    const std::string base = baseUrlOf(child);
    ASSERT_FALSE(base.empty());
    httplib::Client client(base);
    for (int ask = 0; ask < 2; ++ask) {
      const auto answer = client.Post("/v1/chat/completions", {{"Authorization", "Bearer k"}}, request.dump(),
                                      "application/json");
      ASSERT_TRUE(answer);
      ASSERT_EQ(answer->status, 200) << answer->body;
      EXPECT_EQ(answer->get_header_value("x-ajuste-emulator"), "simulated");
      bodies.push_back(nlohmann::json::parse(answer->body));
    }
    const auto counted = client.Get("/_emulator/chat-requests");
    ASSERT_TRUE(counted);
    const auto requests = nlohmann::json::parse(counted->body);
    EXPECT_EQ(requests["distinct"], 1);
    EXPECT_EQ(requests["served"], 2);
    EXPECT_EQ(child.stop(SIGTERM), 0);
  }
  ASSERT_EQ(bodies.size(), 4U);
  EXPECT_THAT(bodies[0]["choices"][0]["message"]["content"].get<std::string>(),
              ::testing::MatchesRegex("I would rate this review [1-5] out of 5 stars\\."));
  EXPECT_EQ(bodies[0]["system_fingerprint"], "fp_ajuste_emulator");
  for (const auto& body : bodies) {
    EXPECT_EQ(body["choices"], bodies[0]["choices"]);
    EXPECT_EQ(body["usage"], bodies[0]["usage"]);
  }
}

TEST(Binary, RejectsABadFaultWithItsReason) {
  Child child({EMULATOR_BIN, "--port", "0", "--fault", "status=503,colour=red"});
  EXPECT_EQ(child.readLine(), "");
  EXPECT_EQ(child.wait(), 2);
}

}  // namespace
