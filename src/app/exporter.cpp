#include "app/exporter.h"

#include <prometheus/gauge.h>

#include <chrono>
#include <stdexcept>

#include "build_info.h"
#include "sources/source_factory.h"

namespace rras {

WallClock systemClock() {
  return [] {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  };
}

void checkSourcesAvailable(const Config& config) {
  for (const auto& r : config.routers) {
    if (auto why = sourceUnavailableReason(r.source); !why.empty()) {
      throw std::runtime_error(r.location + ": router " + r.name + ": " + why);
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

}  // namespace

Exporter::Exporter(const Config& config, const WallClock& clock)
    : names_(routerNames(config)),
      store_(config.routers.size()),
      registry_(exporterRegistry()),
      renderer_(ConnectionRenderOptions{config.global.per_connection_metrics,
                                        config.global.max_connections_per_router},
                Privacy(config.global.privacy), store_),
      exposition_(store_, registry_) {
  checkSourcesAvailable(config);
  std::vector<PollTarget> targets;
  for (const auto& r : config.routers) targets.push_back(PollTarget{r, makeRouterApi(r, clock)});
  poller_ = std::make_unique<Poller>(
      std::move(targets), [this](RouterSnapshot s) { renderer_.publish(std::move(s)); }, clock);
}

Exporter::~Exporter() { stop(); }

std::string Exporter::pollOnce(bool& all_up) {
  poller_->runOnce();
  all_up = true;
  for (const auto& r : store_.current()) all_up = all_up && r && r->snapshot.up;
  return exposition_.build(false)->str();
}

void Exporter::serve(const std::vector<std::string>& listen_addresses) {
  http_ = std::make_unique<HttpServer>(exposition_, store_, names_);
  http_->start(listen_addresses);
  poller_->start();
}

void Exporter::stop() {
  if (http_) http_->stop();
  if (poller_) poller_->stop();
}

}  // namespace rras
