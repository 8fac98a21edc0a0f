#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include "faults.hpp"
#include "options.hpp"
#include "world.hpp"

namespace ajuste::emulator {

// The emulator as an object: constructing it binds the address and starts serving on a
// background thread; destroying it (or stop()) stops the server and joins the thread.
// Tests start one per test on port 0; main() starts one and waits for a signal.
// Throws std::runtime_error when the address cannot be bound or --state-dir cannot be read.
class Emulator {
 public:
  explicit Emulator(Options options);
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  [[nodiscard]] int port() const { return port_; }
  // http://HOST:PORT, the OpenAI base URL is this plus /v1.
  [[nodiscard]] std::string baseUrl() const;
  void stop();

  World& world() { return *world_; }
  FaultInjector& faults() { return faults_; }

 private:
  void handle(const httplib::Request& request, httplib::Response& response, const httplib::ContentReader* reader);

  Options options_;
  std::unique_ptr<World> world_;
  FaultInjector faults_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<std::uint64_t> request_sequence_{0};
  std::atomic<bool> stopped_{false};
};

}  // namespace ajuste::emulator
