#include "probe/probe_targets.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "log/logger.h"
#include "model/duration_text.h"
#include "sources/source_table.h"

namespace rras {

namespace {

double steadyNow() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

ProbeTargets::ProbeTargets(std::vector<ModuleConfig> modules, uint32_t max_targets,
                           std::vector<RouterConfig> static_routers, const MetricsStore& static_store,
                           const RendererFactory& make_renderer, WallClock clock, SteadyClock steady)
    : max_targets_(max_targets),
      static_routers_(std::move(static_routers)),
      static_store_(static_store),
      steady_(steady ? std::move(steady) : SteadyClock(steadyNow)),
      store_({}),
      renderer_(make_renderer(store_)),
      exposition_(store_, nullptr),
      clock_(std::move(clock)) {
  for (auto& m : modules) {
    TargetAllowList allow(m.allowed_targets, TargetAllowList::widthFor(m.router));
    modules_.push_back(Module{std::move(m), std::move(allow)});
  }
  poller_ = std::make_unique<Poller>(
      std::vector<PollTarget>{}, [this](RouterSnapshot s) { publish(std::move(s)); }, clock_);
  poller_->start();
  reaper_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      stop_cv_.wait_for(lock, std::chrono::seconds(1));
      if (stopping_) break;
      lock.unlock();
      expireIdle();
      lock.lock();
    }
  });
}

ProbeTargets::~ProbeTargets() { stop(); }

void ProbeTargets::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  stop_cv_.notify_all();
  published_.notify_all();
  if (reaper_.joinable()) reaper_.join();
  poller_->stop();
}

void ProbeTargets::publish(RouterSnapshot snapshot) {
  renderer_->publish(std::move(snapshot));
  // Without mu_: a worker being removed must never wait for it. A probe that misses this wake-up
  // sees the snapshot at its next look (it looks every 50 ms).
  published_.notify_all();
}

std::vector<std::string> ProbeTargets::liveNamesLocked() const {
  std::vector<std::string> names;
  for (const auto& [name, target] : targets_) names.push_back(name);
  return names;
}

void ProbeTargets::setStaticRouters(std::vector<RouterConfig> routers) {
  std::lock_guard lock(mu_);
  static_routers_ = std::move(routers);
}

std::shared_ptr<const PublishedRouter> ProbeTargets::staticRouterFor(const RouterConfig& router) const {
  std::vector<RouterConfig> static_routers;
  {
    std::lock_guard lock(mu_);
    static_routers = static_routers_;
  }
  for (const auto& r : static_routers) {
    if (r.source != router.source || TargetAllowList::normalize(r.server) != router.server) continue;
    auto [names, routers] = static_store_.currentWithNames();
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == r.name) return routers[i] ? routers[i] : std::make_shared<const PublishedRouter>();
    }
  }
  return nullptr;
}

ProbeResult ProbeTargets::probe(const std::string& module_name, const std::string& target_in, double timeout_seconds,
                                bool gzip) {
  const auto module =
      std::find_if(modules_.begin(), modules_.end(), [&](const Module& m) { return m.config.name == module_name; });
  if (module == modules_.end()) {
    std::string names;
    for (const auto& m : modules_) names += (names.empty() ? "" : ", ") + m.config.name;
    return {400,
            (module_name.empty() ? std::string("missing parameter module") : "unknown module \"" + module_name + "\"") +
                "; the configured modules are: " + names,
            nullptr};
  }
  if (target_in.empty()) return {400, "missing parameter target (the RRAS server to probe)", nullptr};
  if (const std::string why = TargetAllowList::malformed(target_in); !why.empty()) {
    return {400, "target \"" + target_in + "\" " + why, nullptr};
  }
  // Refused before anything connects: a probe reaches a host with the module's credentials.
  if (!module->allow.allows(target_in)) {
    return {403,
            "target \"" + target_in + "\" is not in allowed_targets of module " + module->config.name +
                "; nothing was contacted",
            nullptr};
  }
  RouterConfig router = module->config.router;
  router.name = router.server = TargetAllowList::normalize(target_in);
  router.location = "module " + module->config.name + ", target " + router.name;

  // A static router already polling this server answers for it: the server is polled once.
  if (auto published = staticRouterFor(router)) {
    if (!published->snapshot.router.empty()) return {200, "", exposition_.build(gzip, {published})};
    return {503, "router for " + router.name + " is configured statically and has not finished its first poll yet",
            nullptr};
  }

  if (auto refused = startOrTouch(*module, router)) return *refused;

  // The first probe waits for the first poll, within the scrape timeout Prometheus sent.
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(timeout_seconds));
  std::shared_ptr<const PublishedRouter> published;
  std::unique_lock lock(mu_);
  while (true) {
    auto [names, routers] = store_.currentWithNames();
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == router.name) published = routers[i];
    }
    if (published || stopping_) break;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    published_.wait_until(lock, std::min(deadline, now + std::chrono::milliseconds(50)));
  }
  lock.unlock();
  if (!published) {
    return {503,
            "the first poll of " + router.name + " did not finish within the scrape timeout (" +
                formatDuration(timeout_seconds) + "); it goes on, and the next probe answers from it",
            nullptr};
  }
  return {200, "", exposition_.build(gzip, {published})};
}

std::optional<ProbeResult> ProbeTargets::startOrTouch(const Module& module, RouterConfig router) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return ProbeResult{503, "the exporter is stopping", nullptr};
    if (auto it = targets_.find(router.name); it != targets_.end()) {
      if (it->second.module != module.config.name) {
        return ProbeResult{409,
                           "target " + router.name + " is already probed with module " + it->second.module +
                               "; one module per target (its series carry router=\"" + router.name + "\")",
                           nullptr};
      }
      it->second.last_probe = steady_();
      return std::nullopt;
    }
  }
  // A new target. workers_mu_ serialises starting with expireIdle()'s stopping, so a name is never
  // started while its old worker is still being stopped.
  std::lock_guard workers(workers_mu_);
  std::unique_lock lock(mu_);
  if (stopping_) return ProbeResult{503, "the exporter is stopping", nullptr};
  if (targets_.count(router.name)) {  // started by a probe that came in meanwhile
    lock.unlock();
    return startOrTouch(module, std::move(router));
  }
  if (targets_.size() >= max_targets_) {
    return ProbeResult{503,
                       "too many probed targets: " + std::to_string(targets_.size()) +
                           " are live (global.max_probe_targets); idle ones are forgotten after their module's "
                           "target_idle_timeout",
                       nullptr};
  }
  std::unique_ptr<RouterApi> api;
  try {
    if (const SourceDescriptor* source = findSource(router.source); source && source->fit_target) {
      source->fit_target(router);
    }
    api = makeRouterApi(router, clock_);
  } catch (const std::exception& e) {
    return ProbeResult{400, "module " + module.config.name + " cannot probe " + router.name + ": " + e.what(), nullptr};
  }
  targets_.emplace(router.name, Target{module.config.name, steady_()});
  store_.reconfigure(liveNamesLocked(), liveNamesLocked());
  lock.unlock();
  logging::info("probe target started", {{"module", module.config.name}, {"target", router.name}});
  std::vector<PollTarget> start;
  start.push_back(PollTarget{std::move(router), std::move(api)});
  poller_->add(std::move(start));
  return std::nullopt;
}

size_t ProbeTargets::expireIdle() {
  std::lock_guard workers(workers_mu_);
  std::vector<std::string> idle;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return 0;
    const double now = steady_();
    for (const auto& entry : targets_) {
      const Target& target = entry.second;  // not a structured binding: the lambda captures it
      const auto module = std::find_if(modules_.begin(), modules_.end(),
                                       [&](const Module& m) { return m.config.name == target.module; });
      if (now - target.last_probe > module->config.target_idle_seconds) idle.push_back(entry.first);
    }
    if (idle.empty()) return 0;
    for (const auto& name : idle) {
      logging::info("probe target forgotten", {{"module", targets_[name].module}, {"target", name}});
      targets_.erase(name);
    }
    store_.reconfigure(liveNamesLocked(), liveNamesLocked());
  }
  poller_->remove(idle);  // returns within a few seconds even if a call hangs
  return idle.size();
}

std::vector<std::string> ProbeTargets::moduleNames() const {
  std::vector<std::string> names;
  for (const auto& m : modules_) names.push_back(m.config.name);
  return names;
}

std::vector<ProbedTarget> ProbeTargets::targets() const {
  std::lock_guard lock(mu_);
  std::vector<ProbedTarget> out;
  const double now = steady_();
  for (const auto& [name, target] : targets_) out.push_back({target.module, name, now - target.last_probe});
  return out;
}

}  // namespace rras
