#include "poller/poller.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

#include "sources/simulator/simulated_router.h"

namespace rras {
namespace {

using Clock = std::chrono::steady_clock;

RouterConfig router(const std::string& name, double interval, double timeout, SimulatorConfig sim) {
  RouterConfig r;
  r.name = name;
  r.source = "simulator";
  r.poll.interval_seconds = interval;
  r.poll.timeout_seconds = timeout;
  r.simulator = sim;
  return r;
}

struct Recorder {
  std::mutex mu;
  std::vector<std::pair<RouterSnapshot, Clock::time_point>> snapshots;
  PublishFn fn() {
    return [this](RouterSnapshot s) {
      std::lock_guard l(mu);
      snapshots.emplace_back(std::move(s), Clock::now());
    };
  }
  std::vector<RouterSnapshot> of(const std::string& name) {
    std::lock_guard l(mu);
    std::vector<RouterSnapshot> out;
    for (const auto& [s, t] : snapshots)
      if (s.router == name) out.push_back(s);
    return out;
  }
};

std::vector<PollTarget> targets(std::vector<RouterConfig> configs, const WallClock& clock) {
  std::vector<PollTarget> out;
  for (auto& c : configs) {
    auto api = std::make_unique<SimulatedRouter>(c.simulator, clock);
    out.push_back(PollTarget{std::move(c), std::move(api)});
  }
  return out;
}

WallClock wall() {
  return [] { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); };
}

TEST(PollerTest, HungRouterFailsAtItsDeadlineWithoutDelayingOthers) {
  SimulatorConfig healthy;
  healthy.connections = 20;
  SimulatorConfig hung = healthy;
  hung.hang_seconds = 3600;
  Recorder rec;
  Poller poller(targets({router("healthy", 0.2, 0.2, healthy), router("hung", 60, 0.5, hung)}, wall()), rec.fn(),
                wall());
  const auto start = Clock::now();
  poller.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  poller.stop();
  const double stop_took = std::chrono::duration<double>(Clock::now() - start).count() - 1.5;
  EXPECT_LT(stop_took, 2.0);  // shutdown does not wait for the hung call

  const auto good = rec.of("healthy");
  EXPECT_GE(good.size(), 4u);  // kept its 0.2 s schedule while the other router hung
  for (const auto& s : good) EXPECT_TRUE(s.up);
  const auto bad = rec.of("hung");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_FALSE(bad[0].up);
  EXPECT_EQ(bad[0].error->name, "POLL_DEADLINE_EXCEEDED");
  EXPECT_EQ(bad[0].poll_errors.at("POLL_DEADLINE_EXCEEDED"), 1u);
}

TEST(PollerTest, AHangAfterTheConnectionsPublishesTheRouterUpWithThem) {
  SimulatorConfig healthy;
  healthy.connections = 20;
  SimulatorConfig hung = healthy;
  hung.interfaces_hang_seconds = 3600;
  Recorder rec;
  // The deadline leaves time to read the connections first, also on a loaded machine or under TSan.
  Poller poller(targets({router("healthy", 0.2, 0.2, healthy), router("hung", 0.2, 1.0, hung)}, wall()), rec.fn(),
                wall());
  poller.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  poller.stop();

  EXPECT_GE(rec.of("healthy").size(), 4u);
  const auto snaps = rec.of("hung");
  ASSERT_GE(snaps.size(), 2u);  // every poll hangs, is published at its deadline, and the next reconnects
  for (const auto& s : snaps) {
    EXPECT_TRUE(s.up);
    EXPECT_FALSE(s.error);
    EXPECT_EQ(s.connections.size(), 20u);
    EXPECT_DOUBLE_EQ(s.poll_duration_seconds, 1.0);
    EXPECT_FALSE(s.poll_errors.count("POLL_DEADLINE_EXCEEDED"));
    EXPECT_FALSE(s.interfaces);
    std::map<std::string, std::string> errors;
    for (const auto& c : s.collectors) errors[c.name] = c.error ? c.error->name : "";
    EXPECT_EQ(errors["connections"], "");
    EXPECT_EQ(errors["server"], "");
    EXPECT_EQ(errors["interfaces"], "POLL_DEADLINE_EXCEEDED");
    EXPECT_EQ(errors["ports"], "POLL_DEADLINE_EXCEEDED");  // not reached
  }
}

TEST(PollerTest, RunOnceReturnsWhenEveryRouterPublished) {
  SimulatorConfig ok;
  ok.connections = 5;
  SimulatorConfig denied = ok;
  denied.connect_error = "access_denied";
  SimulatorConfig hung = ok;
  hung.hang_seconds = 3600;
  Recorder rec;
  Poller poller(
      targets({router("ok", 30, 0.3, ok), router("denied", 30, 0.3, denied), router("hung", 30, 0.3, hung)}, wall()),
      rec.fn(), wall());
  const auto start = Clock::now();
  poller.runOnce();
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 3.0);
  ASSERT_EQ(rec.of("ok").size(), 1u);
  EXPECT_TRUE(rec.of("ok")[0].up);
  EXPECT_EQ(rec.of("denied")[0].error->name, "ERROR_ACCESS_DENIED");
  EXPECT_EQ(rec.of("hung")[0].error->name, "POLL_DEADLINE_EXCEEDED");
}

// A source whose calls throw: a decoder bug or an allocation failure inside one router.
class ThrowingApi : public SimulatedRouter {
 public:
  using SimulatedRouter::SimulatedRouter;
  ApiCode enumConnections(RouterHandle, int, uint32_t, uint32_t&, ConnectionPage&) override {
    throw std::runtime_error("decoder exploded");
  }
  ApiCode enumConnectionsEx(RouterHandle, uint32_t, uint32_t&, ConnectionPage&) override {
    throw std::runtime_error("decoder exploded");
  }
};

TEST(PollerTest, ExceptionInOneRouterFailsOnlyThatRouter) {
  SimulatorConfig sim;
  sim.connections = 3;
  std::vector<PollTarget> t = targets({router("fine", 30, 1, sim)}, wall());
  t.push_back(PollTarget{router("broken", 30, 1, sim), std::make_unique<ThrowingApi>(sim, wall())});
  Recorder rec;
  Poller poller(std::move(t), rec.fn(), wall());
  poller.runOnce();
  ASSERT_EQ(rec.of("fine").size(), 1u);
  EXPECT_TRUE(rec.of("fine")[0].up);
  ASSERT_EQ(rec.of("broken").size(), 1u);
  EXPECT_EQ(rec.of("broken")[0].error->name, "INTERNAL_ERROR");
  EXPECT_NE(rec.of("broken")[0].error->message.find("decoder exploded"), std::string::npos);
}

// Hangs in its first enumeration call until cancelled, and is slow to cancel.
class HangsOnceApi : public SimulatedRouter {
 public:
  using SimulatedRouter::SimulatedRouter;
  ApiCode enumConnectionsEx(RouterHandle h, uint32_t pref, uint32_t& resume, ConnectionPage& page) override {
    if (first_.exchange(false)) {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return cancelled_; });
      return status::kCancelled;
    }
    return SimulatedRouter::enumConnectionsEx(h, pref, resume, page);
  }
  void cancel() override {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    {
      std::lock_guard lock(mu_);
      cancelled_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::atomic<bool> first_{true};
  std::mutex mu_;
  std::condition_variable cv_;
  bool cancelled_ = false;
};

TEST(PollerTest, DeadlineFailureIsNeverPublishedAfterALaterSuccess) {
  SimulatorConfig sim;
  sim.connections = 3;
  sim.enum_ex = true;
  std::vector<PollTarget> t;
  t.push_back(PollTarget{router("slow", 0.1, 0.1, sim), std::make_unique<HangsOnceApi>(sim, wall())});
  Recorder rec;
  Poller poller(std::move(t), rec.fn(), wall());
  poller.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  poller.stop();
  const auto snaps = rec.of("slow");
  ASSERT_GE(snaps.size(), 2u);
  EXPECT_EQ(snaps.front().error->name, "POLL_DEADLINE_EXCEEDED");
  EXPECT_TRUE(snaps.back().up);
  for (size_t i = 1; i < snaps.size(); ++i) EXPECT_LE(snaps[i - 1].poll_end_time, snaps[i].poll_end_time);
}

TEST(PollerTest, RemovedRoutersStopPublishingAndAddedOnesStart) {
  SimulatorConfig sim;
  sim.connections = 5;
  SimulatorConfig hung = sim;
  hung.hang_seconds = 3600;
  Recorder rec;
  Poller poller(
      targets({router("stays", 0.1, 0.1, sim), router("goes", 0.1, 0.1, sim), router("hangs", 60, 30, hung)}, wall()),
      rec.fn(), wall());
  poller.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  const auto start = Clock::now();
  poller.remove({"goes", "hangs"});  // the hung call is cancelled, not waited for
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 2.0);
  const size_t goes_at_removal = rec.of("goes").size();
  EXPECT_GE(goes_at_removal, 2u);
  EXPECT_TRUE(rec.of("hangs").empty());  // cancelled before its deadline: nothing published
  poller.add(targets({router("new", 0.1, 0.1, sim)}, wall()));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  poller.stop();
  EXPECT_EQ(rec.of("goes").size(), goes_at_removal);
  EXPECT_GE(rec.of("new").size(), 2u);
  EXPECT_GE(rec.of("stays").size(), 6u);  // kept its schedule throughout
}

TEST(PollerTest, BackoffGrowsAfterFailuresAndIsCapped) {
  EXPECT_DOUBLE_EQ(Poller::nextDelay(30, 0, 0), 30);
  EXPECT_DOUBLE_EQ(Poller::nextDelay(30, 1, 0), 30);
  EXPECT_DOUBLE_EQ(Poller::nextDelay(30, 2, 0), 60);
  EXPECT_DOUBLE_EQ(Poller::nextDelay(30, 3, 0), 120);
  EXPECT_DOUBLE_EQ(Poller::nextDelay(30, 10, 0), 300);
  EXPECT_DOUBLE_EQ(Poller::nextDelay(600, 5, 0), 600);  // never faster than the interval
  EXPECT_DOUBLE_EQ(Poller::nextDelay(30, 0, 1), 33);    // jitter ±10 %
  EXPECT_DOUBLE_EQ(Poller::nextDelay(30, 0, -1), 27);
}

}  // namespace
}  // namespace rras
