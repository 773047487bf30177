// The poll step without threads or sleeps: what a poll collects and how outcomes are accounted
// (failures in a row, errors by name, what a failed poll keeps from the last success).
#include "poller/router_poll.h"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <thread>

#include "fake_router_api.h"

namespace rras {
namespace {

using testing::FakeRouterApi;

RouterConfig config() {
  RouterConfig c;
  c.name = "r1";
  c.source = "simulator";
  c.server = "vpn-1";
  c.poll.timeout_seconds = 7;
  return c;
}

struct Clocks {
  double wall = 1'800'000'000, steady = 100;
  RouterPoll::Clock wallFn() {
    return [this] { return wall; };
  }
  RouterPoll::Clock steadyFn() {
    return [this] { return steady; };
  }
};

TEST(RouterPollTest, ASuccessIsStampedWithTheWallClockAndCarriesTheRouter) {
  FakeRouterApi api;
  api.pages[-1] = {{status::kSuccess, {1, 2, 3}, 0}};
  Clocks clocks;
  RouterPoll poll(config(), api, clocks.wallFn(), clocks.steadyFn());
  RouterSnapshot s = poll.succeeded(poll.collect(), 0.25);
  EXPECT_FALSE(s.error);
  EXPECT_TRUE(s.up);
  EXPECT_EQ(s.router, "r1");
  EXPECT_EQ(s.server, "vpn-1");
  EXPECT_EQ(s.level, "ex");
  EXPECT_EQ(s.connections.size(), 3u);
  EXPECT_EQ(s.aggregates.connections_total, 3u);
  EXPECT_EQ(s.last_success_time, clocks.wall);
  EXPECT_EQ(s.poll_duration_seconds, 0.25);
  EXPECT_EQ(s.totals.connections_started, 0u);  // the first poll's connections were there before
}

TEST(RouterPollTest, FailuresCountAndKeepWhatTheLastSuccessKnew) {
  FakeRouterApi api;
  api.pages[-1] = {{status::kSuccess, {1, 2}, 0}, {status::kSuccess, {1, 2, 3}, 0}};
  Clocks clocks;
  RouterPoll poll(config(), api, clocks.wallFn(), clocks.steadyFn());
  poll.succeeded(poll.collect(), 0.1);
  clocks.wall += 30;
  const RouterSnapshot second = poll.succeeded(poll.collect(), 0.1);
  EXPECT_EQ(second.totals.connections_started, 1u);

  api.connect_code = status::kAccessDenied;
  poll.reset();
  for (uint32_t i = 1; i <= 3; ++i) {
    clocks.wall += 30;
    RouterSnapshot c = poll.collect();
    ASSERT_TRUE(c.error);
    const RouterSnapshot s = poll.failed(std::move(*c.error), clocks.wall, 0.5);
    EXPECT_FALSE(s.up);
    EXPECT_EQ(poll.consecutiveFailures(), i);
    EXPECT_EQ(s.poll_errors.at("ERROR_ACCESS_DENIED"), i);
    EXPECT_EQ(s.level, "ex");                       // the last level read
    EXPECT_EQ(s.last_success_time, 1'800'000'030);  // the last success
    EXPECT_EQ(s.totals.connections_started, 1u);    // totals survive failures
    EXPECT_TRUE(s.connections.empty());             // no stale data as live
    EXPECT_EQ(s.poll_end_time, clocks.wall + 0.5);
  }
  api.connect_code = status::kSuccess;
  api.pages[-1] = {{status::kSuccess, {1}, 0}};
  const RouterSnapshot back = poll.succeeded(poll.collect(), 0.1);
  EXPECT_EQ(poll.consecutiveFailures(), 0u);
  EXPECT_EQ(back.poll_errors.at("ERROR_ACCESS_DENIED"), 3u);  // error counts never go back
}

TEST(RouterPollTest, DeadlineExceededTakesThePollTimeoutAsItsDuration) {
  FakeRouterApi api;
  Clocks clocks;
  RouterPoll poll(config(), api, clocks.wallFn(), clocks.steadyFn());
  const RouterSnapshot s = poll.deadlineExceeded(1000);
  ASSERT_TRUE(s.error);
  EXPECT_EQ(s.error->name, "POLL_DEADLINE_EXCEEDED");
  EXPECT_NE(s.error->message.find("7s"), std::string::npos) << s.error->message;
  EXPECT_EQ(s.poll_duration_seconds, 7);
  EXPECT_EQ(s.poll_end_time, 1007);
  EXPECT_EQ(poll.consecutiveFailures(), 1u);
}

class ThrowingApi : public FakeRouterApi {
 public:
  int throws = 1;
  ApiCode enumConnectionsEx(RouterHandle h, uint32_t pref, uint32_t& resume, ConnectionPage& page) override {
    if (throws-- > 0) throw std::runtime_error("decoder bug");
    return FakeRouterApi::enumConnectionsEx(h, pref, resume, page);
  }
};

TEST(RouterPollTest, AnExceptionFailsThePollAndTheNextOneReconnects) {
  ThrowingApi api;
  Clocks clocks;
  RouterPoll poll(config(), api, clocks.wallFn(), clocks.steadyFn());
  RouterSnapshot s = poll.collect();
  ASSERT_TRUE(s.error);
  EXPECT_EQ(s.error->name, "INTERNAL_ERROR");
  EXPECT_NE(s.error->message.find("decoder bug"), std::string::npos);
  EXPECT_FALSE(s.up);
  s = poll.collect();
  EXPECT_FALSE(s.error);
  EXPECT_EQ(api.connects, 2);  // the binding of the failed poll was not reused
}

class ThrowingPortsApi : public FakeRouterApi {
 public:
  ApiCode enumPorts(RouterHandle, uint32_t, uint32_t&, PortPage&) override { throw std::runtime_error("port bug"); }
};

TEST(RouterPollTest, ACollectorThatThrowsFailsAloneAndTheNextOneStillRuns) {
  ThrowingPortsApi api;
  api.pages[-1] = {{status::kSuccess, {1, 2}, 0}};
  api.interface_pages = {{status::kSuccess, {5}, 0}};
  Clocks clocks;
  RouterConfig c = config();
  c.poll.collectors = {"connections", "interfaces", "ports"};
  RouterPoll poll(c, api, clocks.wallFn(), clocks.steadyFn());
  const RouterSnapshot s = poll.succeeded(poll.collect(), 0.1);
  EXPECT_TRUE(s.up);
  EXPECT_EQ(s.connections.size(), 2u);
  std::map<std::string, const CollectorStatus*> by_name;
  for (const auto& status : s.collectors) by_name[status.name] = &status;
  ASSERT_TRUE(by_name.count("ports"));
  EXPECT_FALSE(by_name["ports"]->success);
  EXPECT_EQ(by_name["ports"]->error->name, "INTERNAL_ERROR");
  ASSERT_TRUE(by_name.count("interfaces"));
  EXPECT_TRUE(by_name["interfaces"]->success);
  ASSERT_TRUE(s.interfaces);
  EXPECT_EQ(s.interfaces->size(), 1u);
  EXPECT_FALSE(by_name.count("server"));  // not in collectors:
  EXPECT_FALSE(s.ports);
}

std::map<std::string, const CollectorStatus*> collectorsByName(const RouterSnapshot& s) {
  std::map<std::string, const CollectorStatus*> out;
  for (const auto& status : s.collectors) out[status.name] = &status;
  return out;
}

TEST(RouterPollTest, AHangAfterTheConnectionsKeepsThemAndFailsTheCollectorsLeft) {
  FakeRouterApi api;
  api.pages[-1] = {{status::kSuccess, {1, 2}, 0}, {status::kSuccess, {1, 2, 3}, 0}};
  api.interfaces_hang = true;
  api.interface_pages = {{status::kSuccess, {4}, 0}};
  api.port_pages = {{status::kSuccess, {7}, 0}};
  Clocks clocks;
  RouterConfig c = config();
  c.poll.collectors = {"connections", "server", "interfaces", "ports"};
  RouterPoll poll(c, api, clocks.wallFn(), clocks.steadyFn());

  RouterSnapshot late;
  std::thread worker([&] { late = poll.collect(); });
  api.waitUntilHanging();
  const RouterSnapshot s = poll.deadlineExceeded(clocks.wall);  // the watchdog's side
  api.cancel();
  worker.join();

  EXPECT_TRUE(s.up);
  EXPECT_FALSE(s.error);
  EXPECT_EQ(s.connections.size(), 2u);
  EXPECT_EQ(s.poll_duration_seconds, 7);
  EXPECT_EQ(poll.consecutiveFailures(), 0u);  // rras_up: reached, and its connections read
  EXPECT_FALSE(s.poll_errors.count("POLL_DEADLINE_EXCEEDED"));
  auto by_name = collectorsByName(s);
  ASSERT_EQ(by_name.size(), 4u);
  EXPECT_TRUE(by_name["connections"]->success);
  EXPECT_TRUE(by_name["server"]->success);
  ASSERT_TRUE(by_name["interfaces"]->error);
  EXPECT_EQ(by_name["interfaces"]->error->name, "POLL_DEADLINE_EXCEEDED");
  EXPECT_NE(by_name["interfaces"]->error->message.find("interfaces collector did not finish"), std::string::npos)
      << by_name["interfaces"]->error->message;
  EXPECT_NE(by_name["interfaces"]->error->message.find("7s"), std::string::npos);
  ASSERT_TRUE(by_name["ports"]->error);  // not reached in this poll
  EXPECT_EQ(by_name["ports"]->error->name, "POLL_DEADLINE_EXCEEDED");
  EXPECT_NE(by_name["ports"]->error->message.find("not reached"), std::string::npos);
  EXPECT_FALSE(s.interfaces);
  EXPECT_FALSE(s.ports);

  // The abandoned poll's own result is a failure (the poller drops it) and it made no more calls.
  ASSERT_TRUE(late.error);
  EXPECT_TRUE(late.connections.empty());
  EXPECT_TRUE(api.hangCancelled());
  EXPECT_EQ(api.port_pages.size(), 1u);

  // The next poll, on a fresh binding, reads every kind.
  poll.reset();
  api.interfaces_hang = false;
  const RouterSnapshot next = poll.succeeded(poll.collect(), 0.1);
  EXPECT_EQ(api.connects, 2);
  EXPECT_EQ(next.connections.size(), 3u);
  ASSERT_TRUE(next.interfaces);
  EXPECT_EQ(next.interfaces->size(), 1u);
  EXPECT_TRUE(next.ports);
  for (const auto& status : next.collectors) EXPECT_TRUE(status.success) << status.name;
}

TEST(RouterPollTest, AHangInTheLastCollectorFailsOnlyIt) {
  FakeRouterApi api;
  api.pages[-1] = {{status::kSuccess, {1}, 0}};
  api.interface_pages = {{status::kSuccess, {4, 5}, 0}};
  api.ports_hang = true;
  Clocks clocks;
  RouterConfig c = config();
  c.poll.collectors = {"connections", "interfaces", "ports"};
  RouterPoll poll(c, api, clocks.wallFn(), clocks.steadyFn());
  std::thread worker([&] { poll.collect(); });
  api.waitUntilHanging();
  const RouterSnapshot s = poll.deadlineExceeded(clocks.wall);
  api.cancel();
  worker.join();
  EXPECT_TRUE(s.up);
  EXPECT_EQ(s.connections.size(), 1u);
  ASSERT_TRUE(s.interfaces);  // read before the hang: published
  EXPECT_EQ(s.interfaces->size(), 2u);
  auto by_name = collectorsByName(s);
  ASSERT_EQ(by_name.size(), 3u);
  EXPECT_TRUE(by_name["interfaces"]->success);
  ASSERT_TRUE(by_name["ports"]->error);
  EXPECT_NE(by_name["ports"]->error->message.find("ports collector did not finish"), std::string::npos);
}

TEST(RouterPollTest, ADeadlineBeforeTheConnectionsAreInFailsThePoll) {
  FakeRouterApi api;
  api.connect_code = status::kAccessDenied;
  Clocks clocks;
  RouterPoll poll(config(), api, clocks.wallFn(), clocks.steadyFn());
  poll.collect();  // a failed poll leaves nothing for the deadline to publish
  const RouterSnapshot s = poll.deadlineExceeded(1000);
  EXPECT_FALSE(s.up);
  ASSERT_TRUE(s.error);
  EXPECT_EQ(s.error->name, "POLL_DEADLINE_EXCEEDED");
}

}  // namespace
}  // namespace rras
