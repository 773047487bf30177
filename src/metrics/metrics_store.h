// What scrapes read: the latest published poll of every router, each immutable and replaced as a
// whole (DESIGN §4), so a scrape never sees half a poll.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "metrics/connection_renderer.h"
#include "snapshot/router_snapshot.h"

namespace rras {

struct PublishedRouter {
  RouterSnapshot snapshot;  // connections already rendered and dropped
  RenderedConnections rendered;
};

using PublishedRouters = std::vector<std::shared_ptr<const PublishedRouter>>;

class MetricsStore {
 public:
  explicit MetricsStore(std::vector<std::string> router_names);
  // Replaces the router with the snapshot's name; a router no longer configured is ignored.
  void publish(std::shared_ptr<const PublishedRouter> router);
  // One entry per configured router, in configuration order; nullptr until its first poll ends.
  PublishedRouters current() const;
  // The same, with the router names (for routers that have not published yet).
  std::pair<std::vector<std::string>, PublishedRouters> currentWithNames() const;
  // A new router list after a reload: routers named in `keep` carry their last poll over, every
  // other router starts empty.
  void reconfigure(std::vector<std::string> router_names, const std::vector<std::string>& keep);

 private:
  mutable std::mutex mu_;
  std::vector<std::string> names_;
  PublishedRouters routers_;
};

// Turns a finished poll into its published form: renders the per-connection families once.
class Renderer {
 public:
  // `families` overrides options.families for the routers it names (per_connection_families:).
  Renderer(ConnectionRenderOptions options, Privacy privacy, MetricsStore& store,
           std::map<std::string, ConnectionFamilies, std::less<>> families = {});
  // Renders one router at a time process-wide: polls finishing together then hold one new
  // generation of text beside the published ones, not one per router (resident memory), and
  // leave the other core to scrapes.
  void publish(RouterSnapshot snapshot);

 private:
  ConnectionRenderOptions options_;
  std::map<std::string, ConnectionFamilies, std::less<>> families_;
  Privacy privacy_;
  MetricsStore& store_;
};

}  // namespace rras
