// Multi-target /probe (issue 17), as blackbox_exporter and snmp_exporter do it: Prometheus
// discovers the RRAS servers and scrapes /probe?module=<m>&target=<server>; the first probe of a
// target starts a poll worker for it from the module's template, later probes answer from its
// latest snapshot, and a target nobody probes for the module's idle time is stopped and forgotten.
// Probes of one target from several Prometheus servers share its worker (the router is polled
// once per interval), and a target that a static router already polls is answered from it.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "config/target_allow_list.h"
#include "metrics/exposition.h"
#include "metrics/metrics_store.h"
#include "poller/poller.h"

namespace rras {

struct ProbeResult {
  int status = 200;                  // 200, or 400/403/409/503/504 with `message` as the body
  std::string message;               // why not 200, for the client and the log
  std::shared_ptr<const Body> body;  // the target's exposition when 200
};

// A target being polled, for the landing page.
struct ProbedTarget {
  std::string module, target;
  double seconds_since_probe = 0;
};

class ProbeTargets {
 public:
  using RendererFactory = std::function<std::shared_ptr<Renderer>(MetricsStore& store)>;
  using SteadyClock = std::function<double()>;  // seconds; idle times (tests pass their own)

  // `static_routers` and `static_store`: the configured routers and what they published, so a
  // probe of a server they already poll is answered from them.
  ProbeTargets(std::vector<ModuleConfig> modules, uint32_t max_targets, std::vector<RouterConfig> static_routers,
               const MetricsStore& static_store, const RendererFactory& make_renderer, WallClock clock,
               SteadyClock steady = nullptr);
  ~ProbeTargets();
  ProbeTargets(const ProbeTargets&) = delete;
  ProbeTargets& operator=(const ProbeTargets&) = delete;

  // Answers one probe; waits up to `timeout_seconds` for a new target's first poll. Thread-safe.
  ProbeResult probe(const std::string& module, const std::string& target, double timeout_seconds, bool gzip);
  // Stops and forgets targets not probed for their module's idle time (also done every second by
  // a thread of its own); returns how many went.
  size_t expireIdle();
  // Stops every worker; nothing is published once it returns.
  void stop();

  // A reload that changed only the static routers.
  void setStaticRouters(std::vector<RouterConfig> routers);

  std::vector<std::string> moduleNames() const;
  std::vector<ProbedTarget> targets() const;

 private:
  struct Module {
    ModuleConfig config;
    TargetAllowList allow;
  };
  struct Target {
    std::string module;
    double last_probe = 0;  // steady seconds
  };

  void publish(RouterSnapshot snapshot);
  // Starts the target's worker, or notes the probe of a live one; a result when refused.
  std::optional<ProbeResult> startOrTouch(const Module& module, RouterConfig router);
  std::shared_ptr<const PublishedRouter> staticRouterFor(const RouterConfig& router) const;
  std::vector<std::string> liveNamesLocked() const;

  std::vector<Module> modules_;
  uint32_t max_targets_;
  std::vector<RouterConfig> static_routers_;
  const MetricsStore& static_store_;
  SteadyClock steady_;
  MetricsStore store_;  // one entry per live target, named by the target
  std::shared_ptr<Renderer> renderer_;
  Exposition exposition_;  // no exporter or process families: those are /metrics'
  std::unique_ptr<Poller> poller_;
  WallClock clock_;

  std::mutex workers_mu_;  // starting and stopping workers (before mu_)
  mutable std::mutex mu_;
  std::condition_variable published_;
  std::map<std::string, Target> targets_;  // by target name (the router label)
  bool stopping_ = false;
  std::condition_variable stop_cv_;
  std::thread reaper_;
};

}  // namespace rras
