// Wires the parts together from a validated configuration: sources -> poller -> renderer ->
// store -> exposition -> HTTP. Config only sets the parts up; data flows one way.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "http/http_server.h"
#include "metrics/exposition.h"
#include "metrics/metrics_store.h"
#include "poller/poller.h"

namespace rras {

WallClock systemClock();

// Throws std::runtime_error naming the router whose source is not available in this build.
void checkSourcesAvailable(const Config& config);

class Exporter {
 public:
  explicit Exporter(const Config& config, const WallClock& clock = systemClock());
  ~Exporter();

  // Polls every router once and returns the exposition text; `all_up` tells whether every
  // router succeeded.
  std::string pollOnce(bool& all_up);
  // Starts polling and serving; returns once the listeners are bound (throws if one fails).
  void serve(const std::vector<std::string>& listen_addresses);
  void stop();
  const HttpServer* http() const { return http_.get(); }

 private:
  std::vector<std::string> names_;
  MetricsStore store_;
  std::shared_ptr<prometheus::Registry> registry_;
  Renderer renderer_;
  Exposition exposition_;
  std::unique_ptr<Poller> poller_;
  std::unique_ptr<HttpServer> http_;
};

}  // namespace rras
