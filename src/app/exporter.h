// Wires the parts together from a validated configuration: sources -> poller -> renderer ->
// store -> exposition -> HTTP. Config only sets the parts up; data flows one way.
#pragma once

#include <prometheus/gauge.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/config.h"
#include "http/http_server.h"
#include "metrics/exposition.h"
#include "metrics/metrics_store.h"
#include "poller/poller.h"
#include "probe/probe_targets.h"

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
  // `security`: --web.config.file (TLS, basic auth); nullptr = plain HTTP. `limits`: the --web.* bounds.
  void serve(const std::vector<std::string>& listen_addresses, std::shared_ptr<WebSecurity> security = nullptr,
             WebLimits limits = {});
  // Applies a new configuration while running. Routers whose settings did not change keep polling
  // (their series and counters continue); removed or changed routers stop and their series go;
  // new ones start. A change under `global` restarts every router. Throws std::runtime_error and
  // changes nothing when the new configuration cannot be used. Not concurrent with stop().
  void reload(const Config& config);
  // Records a reload that failed before reaching reload() (the file did not load).
  void reloadFailed();
  void stop();
  // Serving and polling machinery alive: every listener accepts and the poller's watchdog runs.
  bool healthy() const;
  const HttpServer* http() const { return http_.get(); }

 private:
  void publish(RouterSnapshot snapshot);
  void reloadSucceeded();

  Config config_;
  WallClock clock_;
  MetricsStore store_;
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Gauge* reload_successful_;
  prometheus::Gauge* reload_success_time_;
  std::mutex renderer_mu_;
  std::shared_ptr<Renderer> renderer_;  // replaced when a reload changes the global settings
  Exposition exposition_;
  std::unique_ptr<Poller> poller_;
  std::shared_ptr<ProbeTargets> probes_;  // /probe (config modules); null without modules
  std::unique_ptr<HttpServer> http_;
};

}  // namespace rras
