// What scrapes read: the latest published poll of every router, each immutable and replaced as a
// whole (DESIGN §4), so a scrape never sees half a poll.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "metrics/connection_renderer.h"
#include "poller/snapshot.h"

namespace rras {

struct PublishedRouter {
  RouterSnapshot snapshot;  // connections already rendered and dropped
  RenderedConnections rendered;
};

using PublishedRouters = std::vector<std::shared_ptr<const PublishedRouter>>;

class MetricsStore {
 public:
  explicit MetricsStore(size_t routers) : routers_(routers) {}
  void publish(std::shared_ptr<const PublishedRouter> router);
  // One entry per configured router; nullptr until its first poll ends.
  PublishedRouters current() const;

 private:
  mutable std::mutex mu_;
  PublishedRouters routers_;
};

// Turns a finished poll into its published form: renders the per-connection families once.
class Renderer {
 public:
  Renderer(ConnectionRenderOptions options, Privacy privacy, MetricsStore& store)
      : options_(options), privacy_(std::move(privacy)), store_(store) {}
  void publish(RouterSnapshot snapshot);

 private:
  ConnectionRenderOptions options_;
  Privacy privacy_;
  MetricsStore& store_;
};

}  // namespace rras
