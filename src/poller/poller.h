// One worker per router on its own jittered schedule, a hard per-poll deadline enforced by a
// watchdog (a hung router delays neither the others nor a scrape), exponential backoff after
// failures, and every finished poll handed on as an immutable snapshot (DESIGN §4).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "config/config.h"
#include "poller/snapshot.h"
#include "router/connection_tracker.h"
#include "router/enumerator.h"
#include "router/router_api.h"
#include "sources/simulator/simulated_router.h"  // WallClock

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
  void stop();     // cancels polls in flight; returns within a few seconds even if a call hangs

  // The wait before the next poll: interval ± 10 % after a success; after n failures in a row
  // interval × 2^(n-1), at most max(interval, 5 min), ± 10 %. `jitter` is in [-1, 1].
  static double nextDelay(double interval, uint32_t consecutive_failures, double jitter);

 private:
  struct Worker;
  void launch(bool once);
  void workerLoop(Worker& w, bool once);
  void watchdogLoop();
  RouterSnapshot failureSnapshot(Worker& w, PollError error, double start, double duration);
  bool sleepFor(std::chrono::steady_clock::duration d);
  void wake();
  void publishSafely(Worker& w, RouterSnapshot snapshot);

  std::vector<std::unique_ptr<Worker>> workers_;
  PublishFn publish_;
  WallClock clock_;
  std::thread watchdog_;
  std::mutex mu_;  // guards stopping_ and published counts for the condition variable
  std::condition_variable cv_;
  bool stopping_ = false;
  bool running_ = false;
};

}  // namespace rras
