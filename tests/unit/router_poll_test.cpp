// The poll step without threads or sleeps: what a poll collects and how outcomes are accounted
// (failures in a row, errors by name, what a failed poll keeps from the last success).
#include "poller/router_poll.h"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

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

}  // namespace
}  // namespace rras
