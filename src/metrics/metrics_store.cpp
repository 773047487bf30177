#include "metrics/metrics_store.h"

#include <algorithm>

#include "metrics/large_buffers.h"
#include "model/foreground.h"

namespace rras {

MetricsStore::MetricsStore(std::vector<std::string> router_names)
    : names_(std::move(router_names)), routers_(names_.size()) {}

void MetricsStore::publish(std::shared_ptr<const PublishedRouter> router) {
  std::lock_guard lock(mu_);
  const auto it = std::find(names_.begin(), names_.end(), router->snapshot.router);
  // The replaced generation is swapped into `router` and freed after the lock is released, so
  // scrapes never wait for tens of megabytes to be unmapped.
  if (it != names_.end()) routers_[static_cast<size_t>(it - names_.begin())].swap(router);
}

PublishedRouters MetricsStore::current() const {
  std::lock_guard lock(mu_);
  return routers_;
}

std::pair<std::vector<std::string>, PublishedRouters> MetricsStore::currentWithNames() const {
  std::lock_guard lock(mu_);
  return {names_, routers_};
}

void MetricsStore::reconfigure(std::vector<std::string> router_names, const std::vector<std::string>& keep) {
  std::lock_guard lock(mu_);
  PublishedRouters routers(router_names.size());
  for (size_t i = 0; i < router_names.size(); ++i) {
    if (std::find(keep.begin(), keep.end(), router_names[i]) == keep.end()) continue;
    const auto old = std::find(names_.begin(), names_.end(), router_names[i]);
    if (old != names_.end()) routers[i] = routers_[static_cast<size_t>(old - names_.begin())];
  }
  names_ = std::move(router_names);
  routers_ = std::move(routers);
}

Renderer::Renderer(ConnectionRenderOptions options, Privacy privacy, MetricsStore& store,
                   std::map<std::string, ConnectionFamilies, std::less<>> families)
    : options_(options), families_(std::move(families)), privacy_(std::move(privacy)), store_(store) {
  tuneAllocatorForLargeBuffers();
}

void Renderer::publish(RouterSnapshot snapshot) {
  // Polls of this many connections leave megabytes behind: trimmed at once, not within a second.
  constexpr size_t kLargePoll = 1000;
  const bool large = snapshot.connections.size() >= kLargePoll;
  {
    static std::mutex one_render_at_a_time;
    std::lock_guard lock(one_render_at_a_time);
    auto published = std::make_shared<PublishedRouter>();
    if (snapshot.up) {
      ConnectionRenderOptions options = options_;
      if (auto it = families_.find(snapshot.router); it != families_.end()) options.families = it->second;
      published->rendered = renderConnections(snapshot.router, snapshot.connections, options, privacy_);
    }
    snapshot.connections = {};  // rendered: the text is all a scrape needs
    published->snapshot = std::move(snapshot);
    foreground::yield();  // the replaced generation is unmapped here: not beside a scrape
    store_.publish(std::move(published));
  }
  foreground::yield();       // trimming locks malloc's arenas, the scrapes' too
  returnFreedMemory(large);  // outside the lock: the next router renders meanwhile
}

}  // namespace rras
