// One worker per router on its own jittered schedule, a hard per-poll deadline enforced by a
// watchdog (a hung router delays neither the others nor a scrape), exponential backoff after
// failures, and every finished poll handed on as an immutable snapshot (DESIGN §4).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/wall_clock.h"
#include "router/router_api.h"
#include "snapshot/router_snapshot.h"

namespace rras {

struct PollTarget {
  RouterConfig config;
  std::unique_ptr<RouterApi> api;
};

using PublishFn = std::function<void(RouterSnapshot)>;

class Poller {
 public:
  Poller(std::vector<PollTarget> targets, PublishFn publish, WallClock clock);
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  void start();    // poll forever until stop()
  void runOnce();  // poll every router once, in parallel; returns when each has published
  // Cancels polls in flight and returns within a few seconds even if a call hangs; nothing is
  // published once it has returned.
  void stop();
  // Reconfiguration while running: add() starts polling new routers at once; remove() stops the
  // named routers' workers like stop() does (nothing of theirs is published once it returns).
  void add(std::vector<PollTarget> targets);
  void remove(const std::vector<std::string>& names);

  // Seconds since the watchdog thread last went round (every 50 ms while running): a poller whose
  // watchdog is stuck cannot enforce deadlines, so the process is not healthy.
  double secondsSinceHeartbeat() const;

  // The wait before the next poll: interval ± 10 % after a success; after n failures in a row
  // interval × 2^(n-1), at most max(interval, 5 min), ± 10 %. `jitter` is in [-1, 1].
  static double nextDelay(double interval, uint32_t consecutive_failures, double jitter);

 private:
  struct Worker;
  struct State;
  // Shared with the threads: a thread left behind at shutdown keeps it alive.
  std::shared_ptr<State> state_;
};

}  // namespace rras
