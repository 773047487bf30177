// The connection front of the HTTP server. One thread polls every listener and every connection
// that is not being served: it accepts, runs the TLS handshake and reads the request head without
// blocking, and only a connection whose complete request is in hand goes to a worker thread, which
// runs cpp-httplib's request processing on it. A stalled or trickling client therefore only holds
// a poll slot, never a worker, and is cut off at one deadline for handshake plus head (not per
// read). Between requests a keep-alive connection goes back to the poll thread (bounded by an idle
// timeout). Beyond the connection limit the longest-waiting connection without a request is closed
// to make room; if every connection is being served, the new one is answered 503 by the poll thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace httplib {
class Server;
}

namespace rras {

// What the web flags bound. Defaults are the flags' defaults.
struct WebLimits {
  size_t max_connections = 1024;                               // --web.max-connections
  std::chrono::milliseconds request_head_timeout{5000};        // --web.request-head-timeout (handshake + head)
  size_t max_requests = 40;                                    // --web.max-requests: concurrent /metrics; 0 = no limit
  std::chrono::milliseconds idle_timeout{60000};               // a keep-alive connection between requests
  std::chrono::milliseconds write_timeout{60000};              // a worker's wait for the client to take more bytes
  static constexpr size_t kMaxHeadBytes = size_t{64} * 1024;   // a longer request head is answered 431
  static constexpr size_t kMaxBodyBytes = size_t{64} * 1024;   // the body read ahead (more is httplib's 413)
  static constexpr unsigned kMaxRequestsPerConnection = 1000;  // then the connection closes
};

class Acceptor {
 public:
  explicit Acceptor(WebLimits limits);
  ~Acceptor();
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  // Binds and listens on host:port (port 0 = any); requests are served by `server`'s handlers
  // (TLS when it is an httplib::SSLServer). Returns the bound port; throws std::runtime_error.
  // Call before start().
  int listen(const std::string& host, int port, httplib::Server& server);
  void start();
  // Closes the listeners and every waiting connection; requests in progress finish first.
  void stop();
  bool running() const { return running_; }

  // Open connections (waiting and being served), for tests.
  size_t openConnections() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> running_{false};
};

}  // namespace rras
