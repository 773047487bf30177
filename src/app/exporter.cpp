#include "app/exporter.h"

#include <prometheus/gauge.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <stdexcept>
#include <utility>

#include "build_info.h"
#include "log/logger.h"
#include "sources/source_table.h"

namespace rras {

WallClock systemClock() {
  return [] { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); };
}

void checkSourcesAvailable(const Config& config) {
  for (const auto& r : config.routers) {
    if (auto why = sourceUnavailableReason(r.source); !why.empty()) {
      throw std::runtime_error(r.location + ": router " + r.name + ": " + why);
    }
  }
  for (const auto& m : config.modules) {
    if (auto why = sourceUnavailableReason(m.router.source); !why.empty()) {
      throw std::runtime_error(m.router.location + ": module " + m.name + ": " + why);
    }
  }
}

namespace {

std::vector<std::string> routerNames(const Config& config) {
  std::vector<std::string> names;
  for (const auto& r : config.routers) names.push_back(r.name);
  return names;
}

std::shared_ptr<prometheus::Registry> exporterRegistry() {
  auto registry = std::make_shared<prometheus::Registry>();
  prometheus::BuildGauge()
      .Name("rras_exporter_build_info")
      .Help("Version and revision of rras_exporter (always 1).")
      .Register(*registry)
      .Add({{"version", build::kVersion}, {"revision", build::kRevision}})
      .Set(1);
  return registry;
}

prometheus::Gauge& registryGauge(prometheus::Registry& registry, const std::string& name, const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add({});
}

std::shared_ptr<Renderer> makeRenderer(const Config& config, MetricsStore& store) {
  const GlobalConfig& global = config.global;
  std::map<std::string, ConnectionFamilies, std::less<>> families;
  for (const auto& r : config.routers) families.emplace(r.name, r.per_connection_families);
  return std::make_shared<Renderer>(
      ConnectionRenderOptions{global.max_connections_per_router, global.per_connection_families},
      Privacy(global.privacy), store, std::move(families));
}

std::vector<PollTarget> pollTargets(const std::vector<RouterConfig>& routers, const WallClock& clock) {
  std::vector<PollTarget> targets;
  targets.reserve(routers.size());
  for (const auto& r : routers) targets.push_back(PollTarget{r, makeRouterApi(r, clock)});
  return targets;
}

// The /probe targets of the configuration's modules; null without modules.
std::shared_ptr<ProbeTargets> makeProbes(const Config& config, const MetricsStore& store, const WallClock& clock) {
  if (config.modules.empty()) return nullptr;
  // Probed targets render with the global settings: no static router's families apply to them.
  Config global_only;
  global_only.global = config.global;
  return std::make_shared<ProbeTargets>(
      config.modules, config.global.max_probe_targets, config.routers, store,
      [global_only](MetricsStore& probe_store) { return makeRenderer(global_only, probe_store); }, clock);
}

}  // namespace

Exporter::Exporter(const Config& config, const WallClock& clock)
    : config_(config),
      clock_(clock),
      store_(routerNames(config)),
      registry_(exporterRegistry()),
      reload_successful_(&registryGauge(*registry_, "rras_exporter_config_last_reload_successful",
                                        "Whether the last configuration reload succeeded (1) or failed (0).")),
      reload_success_time_(
          &registryGauge(*registry_, "rras_exporter_config_last_reload_success_timestamp_seconds",
                         "When the configuration was last loaded successfully, in seconds since the epoch.")),
      renderer_(makeRenderer(config, store_)),
      exposition_(store_, registry_) {
  checkSourcesAvailable(config);
  poller_ = std::make_unique<Poller>(
      pollTargets(config.routers, clock), [this](RouterSnapshot s) { publish(std::move(s)); }, clock);
  probes_ = makeProbes(config, store_, clock);
  reloadSucceeded();
}

Exporter::~Exporter() { stop(); }

void Exporter::publish(RouterSnapshot snapshot) {
  std::shared_ptr<Renderer> renderer;
  {
    std::lock_guard lock(renderer_mu_);
    renderer = renderer_;
  }
  renderer->publish(std::move(snapshot));
}

std::string Exporter::pollOnce(bool& all_up) {
  poller_->runOnce();
  all_up = true;
  for (const auto& r : store_.current()) all_up = all_up && r && r->snapshot.up;
  return exposition_.build(false)->str();
}

void Exporter::serve(const std::vector<std::string>& listen_addresses, std::shared_ptr<WebSecurity> security,
                     WebLimits limits) {
  http_ = std::make_unique<HttpServer>(exposition_, store_, std::move(security), limits);
  http_->setProbes(probes_);
  http_->start(listen_addresses);
  poller_->start();
}

void Exporter::reload(const Config& config) {
  try {
    checkSourcesAvailable(config);
    const bool same_global = config.global == config_.global;
    std::vector<std::string> kept;
    std::vector<RouterConfig> started;
    for (const auto& r : config.routers) {
      const auto old = std::find_if(config_.routers.begin(), config_.routers.end(),
                                    [&](const RouterConfig& o) { return o.name == r.name; });
      if (same_global && old != config_.routers.end() && old->sameSettings(r)) {
        kept.push_back(r.name);
      } else {
        started.push_back(r);
      }
    }
    // Every new source is created before anything stops, so a failure here changes nothing.
    auto targets = pollTargets(started, clock_);
    std::vector<std::string> stopped;
    for (const auto& o : config_.routers) {
      if (std::find(kept.begin(), kept.end(), o.name) == kept.end()) stopped.push_back(o.name);
    }
    poller_->remove(stopped);
    // Always: a router's per_connection_families may have changed (it is restarted then too).
    {
      std::lock_guard lock(renderer_mu_);
      renderer_ = makeRenderer(config, store_);
    }
    store_.reconfigure(routerNames(config), kept);
    poller_->add(std::move(targets));
    // Probed targets restart (and are probed again) only when what they are made from changed.
    if (!same_global || config.modules != config_.modules) {
      auto old = std::exchange(probes_, makeProbes(config, store_, clock_));
      if (http_) http_->setProbes(probes_);
      if (old) old->stop();
    } else if (probes_) {
      probes_->setStaticRouters(config.routers);
    }
    config_ = config;
    logging::info("configuration reloaded", {{"routers", std::to_string(config.routers.size())},
                                             {"unchanged", std::to_string(kept.size())},
                                             {"restarted_or_added", std::to_string(started.size())},
                                             {"stopped", std::to_string(stopped.size())}});
  } catch (...) {
    reloadFailed();
    throw;
  }
  reloadSucceeded();
}

void Exporter::reloadSucceeded() {
  reload_successful_->Set(1);
  reload_success_time_->Set(clock_());
}

void Exporter::reloadFailed() { reload_successful_->Set(0); }

bool Exporter::healthy() const { return http_ && http_->serving() && poller_->secondsSinceHeartbeat() < 10; }

void Exporter::stop() {
  if (http_) http_->stop();
  if (probes_) probes_->stop();
  if (poller_) poller_->stop();
}

}  // namespace rras
