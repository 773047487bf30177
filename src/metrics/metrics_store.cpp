#include "metrics/metrics_store.h"

namespace rras {

void MetricsStore::publish(std::shared_ptr<const PublishedRouter> router) {
  std::lock_guard lock(mu_);
  routers_.at(router->snapshot.index) = std::move(router);
}

PublishedRouters MetricsStore::current() const {
  std::lock_guard lock(mu_);
  return routers_;
}

void Renderer::publish(RouterSnapshot snapshot) {
  auto published = std::make_shared<PublishedRouter>();
  if (snapshot.up) {
    published->rendered = renderConnections(snapshot.router, snapshot.connections, options_, privacy_);
  }
  snapshot.connections = {};  // rendered: the text is all a scrape needs
  published->snapshot = std::move(snapshot);
  store_.publish(std::move(published));
}

}  // namespace rras
