#include "poller/poller.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "log/logger.h"

namespace rras {

using SteadyClock = std::chrono::steady_clock;

struct Poller::Worker {
  Worker(size_t i, PollTarget t)
      : index(i),
        config(std::move(t.config)),
        api(std::move(t.api)),
        enumerator(*api, EnumeratorOptions{config.poll.page_size_bytes, config.poll.max_level, 100000}),
        rng(std::hash<std::string>{}(config.name)) {}

  size_t index;
  RouterConfig config;
  std::unique_ptr<RouterApi> api;
  Enumerator enumerator;      // used by the worker thread only
  ConnectionTracker tracker;  // used by the worker thread only
  std::mt19937_64 rng;
  std::thread thread;

  std::mutex mu;  // guards everything below; shared with the watchdog
  bool in_poll = false;
  bool expired = false;  // the watchdog published a deadline failure for the poll in flight
  SteadyClock::time_point deadline;
  double poll_start = 0;  // wall clock
  uint32_t consecutive_failures = 0;
  bool published = false;
  bool done = false;
  std::string level;
  double last_success_time = 0;
  RouterTotals totals;
  std::map<std::string, uint64_t> poll_errors;

  double jitter() { return std::uniform_real_distribution<double>(-1.0, 1.0)(rng); }
};

Poller::Poller(std::vector<PollTarget> targets, PublishFn publish, WallClock clock)
    : publish_(std::move(publish)), clock_(std::move(clock)) {
  for (size_t i = 0; i < targets.size(); ++i) {
    workers_.push_back(std::make_unique<Worker>(i, std::move(targets[i])));
  }
}

Poller::~Poller() { stop(); }

double Poller::nextDelay(double interval, uint32_t consecutive_failures, double jitter) {
  double base = interval;
  if (consecutive_failures > 1) {
    const double cap = std::max(interval, 300.0);
    base = std::min(cap, interval * std::pow(2.0, std::min<uint32_t>(consecutive_failures - 1, 30)));
  }
  return base * (1.0 + 0.1 * std::clamp(jitter, -1.0, 1.0));
}

void Poller::start() { launch(false); }

void Poller::runOnce() {
  launch(true);
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] {
      return std::all_of(workers_.begin(), workers_.end(), [](const auto& w) {
        std::lock_guard wl(w->mu);
        return w->published;
      });
    });
  }
  stop();
}

void Poller::launch(bool once) {
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
    running_ = true;
  }
  watchdog_ = std::thread([this] { watchdogLoop(); });
  for (auto& w : workers_) {
    Worker* worker = w.get();
    worker->thread = std::thread([this, worker, once] { workerLoop(*worker, once); });
  }
}

bool Poller::sleepFor(SteadyClock::duration d) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, d, [this] { return stopping_; });
}

namespace {
RouterSnapshot identity(size_t index, const RouterConfig& config) {
  RouterSnapshot s;
  s.index = index;
  s.router = config.name;
  s.source = config.source;
  s.server = config.server;
  return s;
}
}  // namespace

RouterSnapshot Poller::failureSnapshot(Worker& w, PollError error, double start, double duration) {
  // Caller holds w.mu.
  ++w.consecutive_failures;
  ++w.poll_errors[error.name];
  RouterSnapshot s = identity(w.index, w.config);
  s.up = false;
  s.level = w.level;
  s.poll_end_time = start + duration;
  s.poll_duration_seconds = duration;
  s.last_success_time = w.last_success_time;
  s.totals = w.totals;
  s.poll_errors = w.poll_errors;
  if (w.consecutive_failures == 1 || logging::enabled(logging::Level::kDebug)) {
    logging::warn("poll failed", {{"router", w.config.name}, {"error", error.name}, {"detail", error.message}});
  }
  s.error = std::move(error);
  return s;
}

void Poller::workerLoop(Worker& w, bool once) {
  const double interval = w.config.poll.interval_seconds;
  // Spread the first polls a little so routers are not all asked at the same instant.
  if (!once && !sleepFor(std::chrono::duration_cast<SteadyClock::duration>(
                   std::chrono::duration<double>(std::min(1.0, interval / 10) * (w.jitter() + 1) / 2)))) {
    std::lock_guard lock(w.mu);
    w.done = true;
    return;
  }
  for (;;) {
    const auto steady_start = SteadyClock::now();
    {
      std::lock_guard lock(w.mu);
      w.in_poll = true;
      w.expired = false;
      w.poll_start = clock_();
      w.deadline = steady_start + std::chrono::duration_cast<SteadyClock::duration>(
                                      std::chrono::duration<double>(w.config.poll.timeout_seconds));
    }
    EnumerationResult result;
    try {
      result = w.enumerator.poll();
    } catch (const std::exception& e) {
      // A source that throws (out of memory, a decoder bug) fails this router's poll only.
      w.enumerator.reset();
      result = EnumerationResult{};
      result.error = PollError::guard("INTERNAL_ERROR", std::string("the poll raised an exception: ") + e.what());
    }
    const double duration = std::chrono::duration<double>(SteadyClock::now() - steady_start).count();

    std::optional<RouterSnapshot> snapshot;
    bool expired = false;
    {
      std::lock_guard lock(w.mu);
      w.in_poll = false;
      expired = w.expired;
      if (!expired && result.error) {
        snapshot = failureSnapshot(w, std::move(*result.error), w.poll_start, duration);
      }
    }
    if (expired) {
      w.enumerator.reset();  // the abandoned call may have left the binding in any state
    } else if (!snapshot) {
      // Success: widen counters and keep start times outside the lock; it is the heavy part.
      const double now = clock_();
      RouterSnapshot s = identity(w.index, w.config);
      s.connections = w.tracker.update(std::move(result.connections), now);
      s.aggregates = computeAggregates(s.connections);
      s.up = true;
      s.level = result.level;
      s.poll_end_time = now;
      s.poll_duration_seconds = duration;
      s.last_success_time = now;
      s.pages = result.pages;
      s.duplicates_dropped = result.duplicates_dropped;
      s.vanished_between_levels = result.vanished_between_levels;
      s.server_info = result.server_info;
      s.totals = w.tracker.totals();
      std::lock_guard lock(w.mu);
      if (w.consecutive_failures > 0) logging::info("poll succeeded again", {{"router", w.config.name}});
      w.consecutive_failures = 0;
      w.level = s.level;
      w.last_success_time = now;
      w.totals = s.totals;
      s.poll_errors = w.poll_errors;
      snapshot = std::move(s);
    }
    if (snapshot) {
      logging::debug("poll finished", {{"router", w.config.name}, {"up", snapshot->up ? "1" : "0"},
                                       {"connections", std::to_string(snapshot->connections.size())},
                                       {"duration_seconds", std::to_string(duration)}});
      publishSafely(w, std::move(*snapshot));
    }
    uint32_t failures = 0;
    {
      std::lock_guard lock(w.mu);
      failures = w.consecutive_failures;
    }
    if (once) break;
    const double delay = nextDelay(interval, failures, w.jitter());
    const auto wake = steady_start + std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(delay));
    if (!sleepFor(std::max(wake - SteadyClock::now(), SteadyClock::duration::zero()))) break;
  }
  {
    std::lock_guard lock(w.mu);
    w.done = true;
  }
  wake();
}

void Poller::publishSafely(Worker& w, RouterSnapshot snapshot) {
  try {
    publish_(std::move(snapshot));
  } catch (const std::exception& e) {
    // The previous snapshot stays; the router is still counted as reported for readiness.
    logging::error("publishing a poll failed", {{"router", w.config.name}, {"error", e.what()}});
  }
  {
    std::lock_guard lock(w.mu);
    w.published = true;
  }
  wake();
}

void Poller::wake() {
  { std::lock_guard lock(mu_); }  // a waiter between its check and its wait cannot miss this
  cv_.notify_all();
}

void Poller::watchdogLoop() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, std::chrono::milliseconds(50), [this] { return stopping_; })) return;
    }
    const auto now = SteadyClock::now();
    for (auto& wp : workers_) {
      Worker& w = *wp;
      std::optional<RouterSnapshot> snapshot;
      {
        std::lock_guard lock(w.mu);
        if (!w.in_poll || w.expired || now < w.deadline) continue;
        w.expired = true;
        snapshot = failureSnapshot(
            w,
            PollError::guard("POLL_DEADLINE_EXCEEDED",
                             "the poll did not finish within poll_timeout (" +
                                 std::to_string(static_cast<int>(w.config.poll.timeout_seconds)) +
                                 "s): the router or the network hangs; the call was cancelled"),
            w.poll_start, w.config.poll.timeout_seconds);
      }
      w.api->cancel();
      publishSafely(w, std::move(*snapshot));
    }
  }
}

void Poller::stop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    running_ = false;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& w : workers_) w->api->cancel();
  // A source that cannot interrupt its call (a real blocking RPC) gets a few seconds, then its
  // thread is left behind rather than holding up shutdown.
  const auto give_up = SteadyClock::now() + std::chrono::seconds(5);
  for (auto& w : workers_) {
    if (!w->thread.joinable()) continue;
    bool done = false;
    while (!(done = [&] { std::lock_guard l(w->mu); return w->done; }()) && SteadyClock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (done) {
      w->thread.join();
    } else {
      logging::warn("router call did not return at shutdown; leaving it behind", {{"router", w->config.name}});
      w->thread.detach();
      (void)w.release();  // the detached thread still uses it; the process is about to end
    }
  }
  if (watchdog_.joinable()) watchdog_.join();
}

}  // namespace rras
