// The HTTP side: /metrics (gzip when asked, from pieces compressed at poll time), /probe
// (multi-target, config modules), / (landing page), /-/healthy, /-/ready; one listener per
// --web.listen-address. Connections are accepted and read up to a complete request by the
// Acceptor; cpp-httplib parses, routes and writes the response.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/acceptor.h"
#include "http/web_security.h"
#include "metrics/exposition.h"
#include "metrics/metrics_store.h"
#include "probe/probe_targets.h"

namespace httplib {
class Server;
}

namespace rras {

struct ListenAddress {
  std::string host;  // "" = every IPv4 interface
  int port = 0;
};

// "host:port", ":port", "[::1]:port"; throws std::invalid_argument naming the problem.
ListenAddress parseListenAddress(const std::string& text);

// True when the request's Accept-Encoding allows gzip (q > 0).
bool acceptsGzip(const std::string& accept_encoding);

class HttpServer {
 public:
  // `security` (--web.config.file): TLS and basic auth on every listener; nullptr = plain HTTP.
  HttpServer(const Exposition& exposition, const MetricsStore& store, std::shared_ptr<WebSecurity> security = nullptr,
             WebLimits limits = {});
  ~HttpServer();
  // Binds every address or throws std::runtime_error naming the one that failed.
  void start(const std::vector<std::string>& addresses);
  void stop();
  // Every listener still accepts connections (for the service manager's watchdog).
  bool serving() const;
  // The /probe targets (config modules); nullptr: /probe answers 404. Replaced on reload.
  void setProbes(std::shared_ptr<ProbeTargets> probes);
  // The ports actually bound (for port 0 in tests).
  const std::vector<int>& boundPorts() const { return ports_; }
  // Open client connections, waiting or being served (for tests).
  size_t openConnections() const { return acceptor_ ? acceptor_->openConnections() : 0; }

 private:
  void install(httplib::Server& server);
  // A --web.max-requests slot for a /metrics or /probe request, or null after answering 503.
  std::shared_ptr<void> requestSlot(httplib::Response& res);

  const Exposition& exposition_;
  const MetricsStore& store_;
  std::shared_ptr<WebSecurity> security_;
  mutable std::mutex probes_mu_;
  std::shared_ptr<ProbeTargets> probes_;
  WebLimits limits_;
  std::atomic<size_t> metrics_in_flight_{0};               // /metrics requests being served (--web.max-requests)
  std::vector<std::unique_ptr<httplib::Server>> servers_;  // one per listener: handlers and TLS context
  std::unique_ptr<Acceptor> acceptor_;
  std::vector<int> ports_;
};

}  // namespace rras
