#include "http/curl_http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

namespace ajuste {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// An httplib server on a free loopback port, serving on its own thread.
class LocalServer {
 public:
  LocalServer() = default;
  ~LocalServer() { stop(); }
  httplib::Server& server() { return server_; }
  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  void stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  [[nodiscard]] std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

// A server that answers the first `answer_first` requests (keeping the connection open) and
// then reads each request whole and hangs up without answering: the lost response after a
// create, as a network failure or a crashed proxy produces it.
class HangUpServer {
 public:
  explicit HangUpServer(int answer_first = 0) : answer_first_(answer_first) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(fd_, 16);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0) return;
        // One thread per connection: the client may keep one open while it opens another.
        connections_.emplace_back([this, client] {
          serve(client);
          ::close(client);
        });
      }
    });
  }
  // Destroy the client first: a connection it keeps open would keep its thread reading.
  ~HangUpServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
    for (auto& connection : connections_) connection.join();
  }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1/fine_tuning/jobs"; }
  std::atomic<int> accepted{0};  // requests read in full
  std::atomic<int> posts{0};

 private:
  void serve(int client) {
    std::string buffer;
    char chunk[4096];
    for (;;) {
      // One request: headers, then a Content-Length body.
      std::size_t end = std::string::npos;
      std::size_t body = 0;
      for (;;) {
        end = buffer.find("\r\n\r\n");
        if (end != std::string::npos) {
          if (const auto at = buffer.find("Content-Length: "); at != std::string::npos && at < end) {
            body = std::stoul(buffer.substr(at + 16));
          }
          if (buffer.size() >= end + 4 + body) break;
        }
        const auto n = ::read(client, chunk, sizeof chunk);
        if (n <= 0) return;
        buffer.append(chunk, static_cast<std::size_t>(n));
      }
      if (buffer.starts_with("POST")) ++posts;
      buffer.erase(0, end + 4 + body);
      if (++accepted > answer_first_) return;  // hang up without a word
      const std::string answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
      if (::write(client, answer.data(), answer.size()) < 0) return;
    }
  }

  int answer_first_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::vector<std::thread> connections_;  // touched by the accepting thread only, until joined
};

struct Logged {
  std::mutex mutex;
  std::vector<std::string> lines;
  std::string all() {
    const std::lock_guard lock(mutex);
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
  }
};

HttpClientSettings fastSettings() {
  HttpClientSettings settings;
  settings.retry.max_retries = 3;
  settings.retry.initial_delay = std::chrono::milliseconds(5);
  settings.retry.max_delay = std::chrono::milliseconds(20);
  settings.connect_timeout = std::chrono::milliseconds(2000);
  settings.timeout = std::chrono::milliseconds(5000);
  return settings;
}

class CurlHttpClientTest : public ::testing::Test {
 protected:
  CurlHttpClient makeClient(HttpClientSettings settings = fastSettings()) {
    return CurlHttpClient(settings, [this](LogLevel, std::string_view line) {
      const std::lock_guard lock(logged.mutex);
      logged.lines.emplace_back(line);
    }, &interrupted);
  }
  LocalServer local;
  Logged logged;
  std::atomic<bool> interrupted{false};
};

TEST_F(CurlHttpClientTest, RidesOutRateLimitsHonouringRetryAfterMs) {
  std::atomic<int> calls{0};
  local.server().Get("/v1/models", [&](const httplib::Request&, httplib::Response& response) {
    if (++calls <= 2) {
      response.status = 429;
      response.set_header("retry-after-ms", "30");
      response.set_header("x-request-id", "req_limited");
      response.set_content(R"({"error":{"message":"Rate limit reached","type":"requests"}})", "application/json");
      return;
    }
    response.set_header("x-request-id", "req_ok");
    response.set_content(R"({"data":[]})", "application/json");
  });
  local.start();
  auto client = makeClient();
  HttpRequest request;
  request.url = local.url("/v1/models");
  const auto started = std::chrono::steady_clock::now();
  auto response = client.send(request);
  ASSERT_TRUE(response.ok()) << response.error().toString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->attempts, 3);
  EXPECT_EQ(response->requestId(), "req_ok");
  EXPECT_EQ(response->body, R"({"data":[]})");
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(60));
  const std::string log = logged.all();
  EXPECT_THAT(log, HasSubstr("HTTP 429 (x-request-id req_limited); retry 1/3 in 0.0 s"));
  EXPECT_THAT(log, HasSubstr("-> 200"));
  EXPECT_THAT(log, HasSubstr("x-request-id req_ok"));
}

TEST_F(CurlHttpClientTest, RetriesServerErrorsEvenOnCreatesBecauseTheServerAnswered) {
  std::atomic<int> calls{0};
  local.server().Post("/v1/fine_tuning/jobs", [&](const httplib::Request&, httplib::Response& response) {
    response.status = ++calls <= 2 ? 503 : 200;
    response.set_content("{}", "application/json");
  });
  local.start();
  auto client = makeClient();
  HttpRequest request;
  request.method = "POST";
  request.url = local.url("/v1/fine_tuning/jobs");
  request.body = R"({"model":"gpt-4o-mini"})";
  auto response = client.send(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(calls.load(), 3);
}

TEST_F(CurlHttpClientTest, GivesBackTheLastResponseWhenRetriesAreSpentAndNeverRetriesA400) {
  std::atomic<int> busy{0};
  std::atomic<int> bad{0};
  local.server().Get("/busy", [&](const httplib::Request&, httplib::Response& response) {
    ++busy;
    response.status = 500;
  });
  local.server().Get("/bad", [&](const httplib::Request&, httplib::Response& response) {
    ++bad;
    response.status = 400;
    response.set_content(R"({"error":{"message":"bad"}})", "application/json");
  });
  local.start();
  auto client = makeClient();
  HttpRequest request;
  request.url = local.url("/busy");
  auto response = client.send(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->attempts, 4);
  EXPECT_EQ(busy.load(), 4);

  request.url = local.url("/bad");
  response = client.send(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(bad.load(), 1);
  EXPECT_THAT(response->body, HasSubstr("bad"));
}

TEST_F(CurlHttpClientTest, ALostResponseToACreateIsAnUnknownOutcomeAndIsNotRepeated) {
  HangUpServer server;
  auto client = makeClient();
  HttpRequest create;
  create.method = "POST";
  create.url = server.url();
  create.headers = {{"Content-Type", "application/json"}};
  create.body = R"({"model":"gpt-4o-mini","training_file":"file-abc"})";
  auto response = client.send(create);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code(), StatusCode::kUnknownOutcome);
  EXPECT_THAT(response.error().message(), HasSubstr("may or may not have been carried out"));
  EXPECT_EQ(server.accepted.load(), 1);

  // The same loss on a read is simply retried.
  HttpRequest read;
  read.url = server.url();
  response = client.send(read);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code(), StatusCode::kProviderError);
  EXPECT_THAT(response.error().message(), HasSubstr("failed after 4 attempts"));
  EXPECT_EQ(server.accepted.load(), 5);
}

TEST_F(CurlHttpClientTest, ACreateNeverRidesOnAReusedConnectionThatLibcurlWouldSilentlyResend) {
  // The first request is answered on a kept-alive connection; the server then hangs up on the
  // create. Over the reused connection libcurl would resend the create by itself (two jobs).
  HangUpServer server(/*answer_first=*/1);
  auto client = makeClient();
  HttpRequest read;
  read.url = server.url();
  auto listed = client.send(read);
  ASSERT_TRUE(listed.ok()) << listed.error().toString();
  EXPECT_EQ(listed->status, 200);

  HttpRequest create;
  create.method = "POST";
  create.url = server.url();
  create.body = R"({"model":"gpt-4o-mini"})";
  auto created = client.send(create);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code(), StatusCode::kUnknownOutcome);
  EXPECT_EQ(server.posts.load(), 1);
}

TEST_F(CurlHttpClientTest, ARequestMarkedSendWhenInterruptedGoesOutAfterCtrlC) {
  std::atomic<int> cancels{0};
  local.server().Post("/v1/fine_tuning/jobs/ftjob-1/cancel", [&](const httplib::Request&, httplib::Response& response) {
    ++cancels;
    response.set_content(R"({"status":"cancelled"})", "application/json");
  });
  local.start();
  auto client = makeClient();
  interrupted = true;
  HttpRequest cancel;
  cancel.method = "POST";
  cancel.url = local.url("/v1/fine_tuning/jobs/ftjob-1/cancel");
  auto refused = client.send(cancel);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), StatusCode::kCancelled);
  cancel.send_when_interrupted = true;
  auto sent = client.send(cancel);
  ASSERT_TRUE(sent.ok()) << sent.error().toString();
  EXPECT_EQ(sent->status, 200);
  EXPECT_EQ(cancels.load(), 1);
}

TEST_F(CurlHttpClientTest, ACreateThatNeverReachedTheServerIsRetried) {
  local.start();
  const std::string url = local.url("/v1/files");
  local.stop();  // the port is closed now: connections are refused before anything is sent
  auto client = makeClient();
  HttpRequest create;
  create.method = "POST";
  create.url = url;
  create.body = "{}";
  auto response = client.send(create);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code(), StatusCode::kProviderError);
  EXPECT_THAT(response.error().message(), HasSubstr("failed after 4 attempts"));
  EXPECT_THAT(logged.all(), HasSubstr("retry 3/3"));
}

TEST_F(CurlHttpClientTest, StreamsAByteRangeOfAFileAsAMultipartField) {
  const auto path = std::filesystem::temp_directory_path() / ("ajuste-http-" + std::to_string(::getpid()) + ".jsonl");
  {
    std::ofstream out(path, std::ios::binary);
    out << "0123456789abcdefghij";
  }
  std::string received_data;
  std::string received_filename;
  std::string received_purpose;
  local.server().Post("/v1/uploads/up_1/parts", [&](const httplib::Request& request, httplib::Response& response) {
    const auto data = request.get_file_value("data");
    received_data = data.content;
    received_filename = data.filename;
    received_purpose = request.get_file_value("purpose").content;
    response.set_content(R"({"id":"part_1"})", "application/json");
  });
  local.start();
  auto client = makeClient();
  HttpRequest request;
  request.method = "POST";
  request.url = local.url("/v1/uploads/up_1/parts");
  request.multipart = {{"purpose", "fine-tune", {}, 0, std::nullopt, "", ""},
                       {"data", "", path, 5, 7, "train.jsonl", ""}};
  auto response = client.send(request);
  std::filesystem::remove(path);
  ASSERT_TRUE(response.ok()) << response.error().toString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(received_data, "56789ab");
  EXPECT_EQ(received_filename, "train.jsonl");
  EXPECT_EQ(received_purpose, "fine-tune");
}

TEST_F(CurlHttpClientTest, AMissingUploadFileIsALocalErrorNotARetry) {
  local.start();
  auto client = makeClient();
  HttpRequest request;
  request.method = "POST";
  request.url = local.url("/v1/files");
  request.multipart = {{"file", "", "/nonexistent/train.jsonl", 0, std::nullopt, "", ""}};
  auto response = client.send(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code(), StatusCode::kIoError);
  EXPECT_THAT(response.error().message(), HasSubstr("/nonexistent/train.jsonl"));
}

TEST_F(CurlHttpClientTest, DownloadsASuccessfulBodyToAFileAndKeepsAnErrorBodyInMemory) {
  local.server().Get("/v1/files/file-1/content", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("step,train_loss\n1,2.5\n", "application/octet-stream");
  });
  local.server().Get("/v1/files/missing/content", [](const httplib::Request&, httplib::Response& response) {
    response.status = 404;
    response.set_content(R"({"error":{"message":"No such File object: missing"}})", "application/json");
  });
  local.start();
  auto client = makeClient();
  const auto target = std::filesystem::temp_directory_path() / ("ajuste-dl-" + std::to_string(::getpid()) + ".csv");
  HttpRequest request;
  request.url = local.url("/v1/files/file-1/content");
  request.download_to = target;
  auto response = client.send(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(response->body.empty());
  std::ifstream in(target);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "step,train_loss\n1,2.5\n");
  std::filesystem::remove(target);

  request.url = local.url("/v1/files/missing/content");
  response = client.send(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 404);
  EXPECT_THAT(response->body, HasSubstr("No such File object"));
  EXPECT_FALSE(std::filesystem::exists(target));
  EXPECT_FALSE(std::filesystem::exists(target.string() + ".part"));
}

TEST_F(CurlHttpClientTest, SendsHeadersButNeverLogsTheirValues) {
  std::string authorization;
  local.server().Get("/v1/models", [&](const httplib::Request& request, httplib::Response& response) {
    authorization = request.get_header_value("Authorization");
    response.status = 503;
  });
  local.start();
  auto client = makeClient();
  HttpRequest request;
  request.url = local.url("/v1/models");
  request.headers = {{"Authorization", "Bearer sk-test-DO-NOT-LOG"}};
  ASSERT_TRUE(client.send(request).ok());
  EXPECT_EQ(authorization, "Bearer sk-test-DO-NOT-LOG");
  EXPECT_THAT(logged.all(), Not(HasSubstr("sk-test")));
}

TEST_F(CurlHttpClientTest, AnInterruptStopsTheWaitBetweenRetries) {
  local.server().Get("/slow-limit", [](const httplib::Request&, httplib::Response& response) {
    response.status = 429;
    response.set_header("retry-after", "30");
  });
  local.start();
  auto client = makeClient();
  std::thread interrupter([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    interrupted = true;
  });
  HttpRequest request;
  request.url = local.url("/slow-limit");
  const auto started = std::chrono::steady_clock::now();
  auto response = client.send(request);
  interrupter.join();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code(), StatusCode::kCancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST_F(CurlHttpClientTest, ATimedOutCreateIsAnUnknownOutcome) {
  local.server().Post("/v1/fine_tuning/jobs", [](const httplib::Request&, httplib::Response& response) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    response.set_content("{}", "application/json");
  });
  local.start();
  auto client = makeClient();
  HttpRequest create;
  create.method = "POST";
  create.url = local.url("/v1/fine_tuning/jobs");
  create.body = "{}";
  create.timeout = std::chrono::milliseconds(150);
  auto response = client.send(create);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code(), StatusCode::kUnknownOutcome);
}

}  // namespace
}  // namespace ajuste
