#include "poller/poller.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <thread>

#include "log/logger.h"
#include "model/foreground.h"
#include "poller/background_priority.h"
#include "poller/router_poll.h"

namespace rras {

using SteadyClock = std::chrono::steady_clock;

namespace {

SteadyClock::duration seconds(double s) {
  return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(s));
}

double steadySeconds() { return std::chrono::duration<double>(SteadyClock::now().time_since_epoch()).count(); }

}  // namespace

struct Poller::Worker {
  Worker(PollTarget t, const WallClock& clock)
      : config(std::move(t.config)),
        api(std::move(t.api)),
        poll(config, *api, clock, steadySeconds),
        rng(std::hash<std::string>{}(config.name)) {}

  RouterConfig config;
  std::unique_ptr<RouterApi> api;
  // collect() and reset() on the worker thread only; its accounting under `mu`, by the worker
  // or the watchdog.
  RouterPoll poll;
  std::mt19937_64 rng;  // worker thread only
  std::thread thread;

  // Held while deciding and publishing a poll's outcome, by the worker or by the watchdog, so
  // one router's snapshots are published in the order of its polls.
  std::mutex publish_mu;

  std::mutex mu;  // guards everything below; shared with the watchdog
  bool in_poll = false;
  bool expired = false;  // the watchdog published the deadline outcome of the poll in flight
  SteadyClock::time_point deadline;
  double poll_start = 0;  // wall clock
  bool published = false;
  bool done = false;
  bool removed = false;  // guarded by State::mu

  double jitter() { return std::uniform_real_distribution<double>(-1.0, 1.0)(rng); }
};

struct Poller::State {
  PublishFn publish;
  WallClock clock;
  std::thread watchdog;
  std::atomic<int64_t> heartbeat_ns{0};  // steady clock of the watchdog's last round

  std::mutex workers_mu;  // guards the list; a thread holds its own worker
  std::vector<std::shared_ptr<Worker>> workers;

  std::mutex mu;  // guards stopping, running, polling_once and Worker::removed; the condition variable's mutex
  std::condition_variable cv;
  bool stopping = false;
  bool running = false;
  bool polling_once = false;
  // Publishes hold it shared and check stopRequested(); stop() and remove() take it exclusively,
  // so once they have returned nothing more reaches the publish callback from those workers.
  std::shared_mutex publish_gate;

  std::vector<std::shared_ptr<Worker>> currentWorkers() {
    std::lock_guard lock(workers_mu);
    return workers;
  }

  bool stopRequested(const Worker& w) {
    std::lock_guard lock(mu);
    return stopping || w.removed;
  }

  void wake() {
    { std::lock_guard lock(mu); }  // a waiter between its check and its wait cannot miss this
    cv.notify_all();
  }

  bool sleepFor(const Worker& w, SteadyClock::duration d) {
    std::unique_lock lock(mu);
    return !cv.wait_for(lock, d, [&] { return stopping || w.removed; });
  }

  // Caller holds w.publish_mu.
  void publishSafely(Worker& w, RouterSnapshot snapshot) {
    {
      std::shared_lock gate(publish_gate);
      if (stopRequested(w)) return;
      try {
        publish(std::move(snapshot));
      } catch (const std::exception& e) {
        logging::error("publishing a poll failed", {{"router", w.config.name}, {"error", e.what()}});
      }
    }
    {
      std::lock_guard lock(w.mu);
      w.published = true;  // tried: readiness must not wait forever for a router that fails here
    }
    wake();
  }

  void workerLoop(Worker& w, bool once) {
    lowerThisThreadPriority(BackgroundPriority::kIdle);
    const double interval = w.config.poll.interval_seconds;
    // Spread the first polls a little so routers are not all asked at the same instant.
    bool go = once || sleepFor(w, seconds(std::min(1.0, interval / 10) * (w.jitter() + 1) / 2));
    while (go && !stopRequested(w)) {
      const auto steady_start = SteadyClock::now();
      double wall_start = 0;
      {
        std::lock_guard lock(w.mu);
        w.in_poll = true;
        w.expired = false;
        w.poll_start = wall_start = clock();
        w.deadline = steady_start + seconds(w.config.poll.timeout_seconds);
      }
      // Scrapes in flight hold the poll's heavy steps back, up to this much per poll in all
      // (model/foreground.h): a quarter of the timeout, at most a second.
      const foreground::Allowance give_way(std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::duration<double>(std::min(1.0, w.config.poll.timeout_seconds / 4))));
      RouterSnapshot s = w.poll.collect();
      const double duration = std::chrono::duration<double>(SteadyClock::now() - steady_start).count();
      {
        std::lock_guard publishing(w.publish_mu);
        std::optional<RouterSnapshot> snapshot;
        {
          std::lock_guard lock(w.mu);
          w.in_poll = false;
          if (w.expired) {
            // The watchdog has published the deadline outcome (a failure, or the router up with
            // what was read before a later collector hung); this late result is dropped.
          } else if (s.error) {
            snapshot = w.poll.failed(std::move(*s.error), wall_start, duration);
          } else {
            snapshot = w.poll.succeeded(std::move(s), duration);
          }
        }
        if (!snapshot) {
          w.poll.reset();  // the abandoned call may have left the binding in any state
        } else {
          logging::debug("poll finished", {{"router", w.config.name},
                                           {"up", snapshot->up ? "1" : "0"},
                                           {"connections", std::to_string(snapshot->connections.size())},
                                           {"pages", std::to_string(snapshot->pages)},
                                           {"duplicates_dropped", std::to_string(snapshot->duplicates_dropped)},
                                           {"dropped_between_levels", std::to_string(snapshot->dropped_between_levels)},
                                           {"duration_seconds", std::to_string(duration)}});
          const auto publish_start = SteadyClock::now();
          publishSafely(w, std::move(*snapshot));
          // Rendering and compressing happen in the publish step; the benchmark reads this line
          // to tell scrapes that overlapped a poll from idle ones.
          logging::debug("poll published",
                         {{"router", w.config.name},
                          {"publish_seconds",
                           std::to_string(std::chrono::duration<double>(SteadyClock::now() - publish_start).count())}});
        }
      }
      if (once) break;
      uint32_t failures = 0;
      {
        std::lock_guard lock(w.mu);
        failures = w.poll.consecutiveFailures();
      }
      const auto wake_at = steady_start + seconds(nextDelay(interval, failures, w.jitter()));
      go = sleepFor(w, std::max(wake_at - SteadyClock::now(), SteadyClock::duration::zero()));
    }
    {
      std::lock_guard lock(w.mu);
      w.done = true;
    }
    wake();
  }

  static void launch(const std::shared_ptr<State>& state, bool once);
  static void startThread(const std::shared_ptr<State>& state, const std::shared_ptr<Worker>& worker, bool once);
  // Cancels the workers' calls until each has left its loop, for at most a few seconds; a source
  // that cannot interrupt a call (a real blocking RPC) has its thread left behind.
  static void finish(const std::vector<std::shared_ptr<Worker>>& workers);

  void beat() { heartbeat_ns = SteadyClock::now().time_since_epoch() / std::chrono::nanoseconds(1); }

  void watchdogLoop() {
    for (;;) {
      beat();
      {
        std::unique_lock lock(mu);
        if (cv.wait_for(lock, std::chrono::milliseconds(50), [this] { return stopping; })) return;
      }
      const auto now = SteadyClock::now();
      for (auto& wp : currentWorkers()) {
        Worker& w = *wp;
        std::unique_lock publishing(w.publish_mu, std::try_to_lock);
        if (!publishing) continue;  // the worker is publishing: its poll is over
        std::optional<RouterSnapshot> snapshot;
        {
          std::lock_guard lock(w.mu);
          if (!w.in_poll || w.expired || now < w.deadline) continue;
          w.expired = true;
          snapshot = w.poll.deadlineExceeded(w.poll_start);
        }
        publishSafely(w, std::move(*snapshot));
        publishing.unlock();
        w.api->cancel();
      }
    }
  }
};

Poller::Poller(std::vector<PollTarget> targets, PublishFn publish, WallClock clock)
    : state_(std::make_shared<State>()) {
  state_->publish = std::move(publish);
  state_->clock = std::move(clock);
  for (auto& t : targets) state_->workers.push_back(std::make_shared<Worker>(std::move(t), state_->clock));
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

void Poller::State::startThread(const std::shared_ptr<State>& state, const std::shared_ptr<Worker>& worker, bool once) {
  // The thread holds the state and its worker: one left behind outlives the Poller safely.
  worker->thread = std::thread([state, worker, once] { state->workerLoop(*worker, once); });
}

void Poller::State::launch(const std::shared_ptr<State>& state, bool once) {
  {
    std::lock_guard lock(state->mu);
    state->stopping = false;
    state->running = true;
    state->polling_once = once;
  }
  state->beat();
  state->watchdog = std::thread([state] { state->watchdogLoop(); });
  std::lock_guard lock(state->workers_mu);
  for (auto& w : state->workers) startThread(state, w, once);
}

void Poller::State::finish(const std::vector<std::shared_ptr<Worker>>& workers) {
  // A call that ignores cancel() (a Samba connect does) is left behind once its router's poll
  // deadline has passed, within 1..5 s: shutdown and reload never wait much longer than a poll
  // may take, and a cancelled call on a loaded machine still gets a second to unwind.
  const auto start = SteadyClock::now();
  const auto waitFor = [](const Worker& w) { return seconds(std::clamp(w.config.poll.timeout_seconds, 1.0, 5.0)); };
  for (;;) {
    bool waiting = false;
    const auto now = SteadyClock::now();
    for (auto& w : workers) {
      std::lock_guard lock(w->mu);
      if (!w->done && w->thread.joinable() && now < start + waitFor(*w)) {
        waiting = true;
        w->api->cancel();
      }
    }
    if (!waiting) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& w : workers) {
    if (!w->thread.joinable()) continue;
    bool done = false;
    {
      std::lock_guard lock(w->mu);
      done = w->done;
    }
    if (done) {
      w->thread.join();
    } else {
      logging::warn("router call did not return in time; leaving it behind", {{"router", w->config.name}});
      w->thread.detach();
    }
  }
}

void Poller::start() { State::launch(state_, false); }

double Poller::secondsSinceHeartbeat() const {
  const auto now = SteadyClock::now().time_since_epoch() / std::chrono::nanoseconds(1);
  return static_cast<double>(now - state_->heartbeat_ns.load()) / 1e9;
}

void Poller::runOnce() {
  auto state = state_;
  State::launch(state, true);
  {
    const auto workers = state->currentWorkers();
    std::unique_lock lock(state->mu);
    state->cv.wait(lock, [&] {
      return std::all_of(workers.begin(), workers.end(), [](const auto& w) {
        std::lock_guard wl(w->mu);
        return w->published;
      });
    });
  }
  stop();
}

void Poller::add(std::vector<PollTarget> targets) {
  std::lock_guard lock(state_->workers_mu);
  bool running = false;
  {
    std::lock_guard state_lock(state_->mu);
    running = state_->running && !state_->polling_once;
  }
  for (auto& t : targets) {
    auto worker = std::make_shared<Worker>(std::move(t), state_->clock);
    if (running) State::startThread(state_, worker, false);
    state_->workers.push_back(std::move(worker));
  }
}

void Poller::remove(const std::vector<std::string>& names) {
  auto& state = *state_;
  std::vector<std::shared_ptr<Worker>> leaving;
  {
    std::lock_guard list_lock(state.workers_mu);
    auto& all = state.workers;
    for (auto it = all.begin(); it != all.end();) {
      if (std::find(names.begin(), names.end(), (*it)->config.name) == names.end()) {
        ++it;
      } else {
        leaving.push_back(*it);
        it = all.erase(it);
      }
    }
  }
  {
    std::unique_lock gate(state.publish_gate);
    std::lock_guard lock(state.mu);
    for (auto& w : leaving) w->removed = true;
  }
  state.cv.notify_all();
  State::finish(leaving);
}

void Poller::stop() {
  auto& state = *state_;
  {
    std::unique_lock gate(state.publish_gate);
    std::lock_guard lock(state.mu);
    if (!state.running) return;
    state.running = false;
    state.stopping = true;
  }
  state.cv.notify_all();
  if (state.watchdog.joinable()) state.watchdog.join();
  State::finish(state.currentWorkers());
}

}  // namespace rras
