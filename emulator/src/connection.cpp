#include "connection.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace ajuste::emulator {
namespace {

int portOf(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, &address, sizeof in);
    return ntohs(in.sin_port);
  }
  if (address.ss_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &address, sizeof in6);
    return ntohs(in6.sin6_port);
  }
  return -1;
}

// True when `fd` is a TCP socket whose local port is `local` and peer port is `remote`.
bool isConnection(int fd, int local, int remote) {
  sockaddr_storage self{};
  sockaddr_storage peer{};
  socklen_t self_size = sizeof self;
  socklen_t peer_size = sizeof peer;
  // The casts are what the sockets API is declared with.
  if (getsockname(fd, static_cast<sockaddr*>(static_cast<void*>(&self)), &self_size) != 0) return false;
  if (getpeername(fd, static_cast<sockaddr*>(static_cast<void*>(&peer)), &peer_size) != 0) return false;
  return portOf(self) == local && portOf(peer) == remote;
}

}  // namespace

bool dropConnection(const httplib::Request& request) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return false;
  bool dropped = false;
  while (const dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0') continue;
    if (isConnection(static_cast<int>(fd), request.local_port, request.remote_port)) {
      // SHUT_RDWR sends FIN now; the client sees the connection end with no response.
      dropped = shutdown(static_cast<int>(fd), SHUT_RDWR) == 0;
      break;
    }
  }
  closedir(dir);
  return dropped;
}

}  // namespace ajuste::emulator
