// The Enumerator against every simulator behaviour and against scripted pages.
#include "router/enumerator.h"

#include <gtest/gtest.h>

#include <set>

#include "fake_router_api.h"
#include "router/wire_sizes.h"
#include "sources/simulator/simulated_router.h"

namespace rras {
namespace {

using testing::FakeRouterApi;
using testing::ScriptedPage;

struct SimFixture {
  double now = 1'800'000'000;
  SimulatedRouter router;
  explicit SimFixture(SimulatorConfig c) : router(std::move(c), [this] { return now; }) {}
};

SimulatorConfig sim(uint32_t n, int max_level, bool ex) {
  SimulatorConfig c;
  c.connections = n;
  c.max_level = max_level;
  c.enum_ex = ex;
  c.seed = 3;
  return c;
}

TEST(EnumeratorTest, LadderPicksEnumExThenTheHighestLevel) {
  struct Case {
    int max_level;
    bool ex;
    std::string level;
    uint8_t bits;
  };
  for (const Case& c : {Case{3, true, "ex", kHasEx}, Case{3, false, "3", kHasLevel0 | kHasLevel1 | kHasLevel3},
                        Case{2, false, "2", kHasLevel0 | kHasLevel1 | kHasLevel2},
                        Case{1, false, "1", kHasLevel0 | kHasLevel1}, Case{0, false, "0", kHasLevel0}}) {
    SimFixture f(sim(40, c.max_level, c.ex));
    Enumerator e(f.router, EnumeratorOptions{});
    auto r = e.poll();
    ASSERT_FALSE(r.error) << r.error->message;
    EXPECT_EQ(r.level, c.level);
    ASSERT_EQ(r.connections.size(), 40u);
    for (const auto& conn : r.connections) EXPECT_EQ(conn.levels, c.bits) << c.level;
    EXPECT_EQ(r.connections.front().hasCounters(), c.max_level >= 1 || c.ex);
  }
}

TEST(EnumeratorTest, JoinedRecordCarriesEveryLevelsFields) {
  SimFixture f(sim(60, 3, false));
  Enumerator e(f.router, EnumeratorOptions{});
  auto r = e.poll();
  ASSERT_FALSE(r.error);
  bool ipv6 = false;
  for (const auto& c : r.connections) {
    EXPECT_FALSE(c.user.empty());           // level 0
    EXPECT_FALSE(c.client_ipv4.empty());    // level 1
    EXPECT_FALSE(c.auth_protocol.empty());  // level 3 PPP projection
    EXPECT_NE(c.quarantine_state, QuarantineState::kUnknown);
    EXPECT_EQ(c.protocol, "ppp");
    ipv6 |= !c.client_ipv6.empty();
  }
  EXPECT_TRUE(ipv6);
}

TEST(EnumeratorTest, MaxLevelCapsTheLadderAndSkipsEnumEx) {
  SimFixture f(sim(10, 3, true));
  Enumerator e(f.router, EnumeratorOptions{65536, 1, 1000});
  auto r = e.poll();
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.level, "1");
}

TEST(EnumeratorTest, PagingAtEveryPageSizeReadsEveryConnectionOnce) {
  // One entry's worth of bytes (the router answers two per page), several, and "all".
  for (int64_t page_size : {int64_t{1}, int64_t{1116}, int64_t{1672}, int64_t{5000}, int64_t{65536}, int64_t{-1}}) {
    for (bool ex : {false, true}) {
      SimFixture f(sim(97, 3, ex));
      Enumerator e(f.router, EnumeratorOptions{page_size, -1, 100000});
      auto r = e.poll();
      ASSERT_FALSE(r.error) << page_size;
      std::set<uint64_t> handles;
      for (const auto& c : r.connections) handles.insert(c.handle);
      EXPECT_EQ(handles.size(), 97u) << page_size;
      EXPECT_EQ(r.duplicates_dropped, 0u);
      if (page_size == -1) {
        EXPECT_EQ(r.pages, ex ? 1u : 3u);
      }
    }
  }
}

TEST(EnumeratorTest, OneEntryPerPageWithScriptedRouter) {
  FakeRouterApi api;
  api.refuse = {{-1, status::kRpcProcnumOutOfRange},
                {3, status::kInvalidLevel},
                {2, status::kInvalidLevel},
                {1, status::kInvalidLevel}};
  api.pages[0] = {{status::kMoreData, {5}, 1}, {status::kMoreData, {6}, 2}, {status::kSuccess, {7}, 0}};
  Enumerator e(api, EnumeratorOptions{});
  auto r = e.poll();
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.level, "0");
  ASSERT_EQ(r.connections.size(), 3u);
  EXPECT_EQ(r.pages, 3u);
  // The resume handles passed back are the ones the router returned.
  std::vector<uint32_t> resumes;
  for (auto [level, resume] : api.calls)
    if (level == 0) resumes.push_back(resume);
  EXPECT_EQ(resumes, (std::vector<uint32_t>{0, 1, 2}));
}

TEST(EnumeratorTest, ResumeHandleThatDoesNotAdvanceIsCutOff) {
  auto c = sim(50, 0, false);
  c.resume_stuck = true;
  SimFixture f(c);
  Enumerator e(f.router, EnumeratorOptions{1116, -1, 100000});
  auto r = e.poll();
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->name, "RESUME_HANDLE_STUCK");
  EXPECT_TRUE(r.connections.empty());
}

TEST(EnumeratorTest, PageLimitStopsARouterThatPagesForever) {
  FakeRouterApi api;
  api.refuse = {{-1, status::kRpcProcnumOutOfRange},
                {3, status::kInvalidLevel},
                {2, status::kInvalidLevel},
                {1, status::kInvalidLevel}};
  for (uint32_t i = 1; i <= 10; ++i) api.pages[0].push_back({status::kMoreData, {i}, i});
  Enumerator e(api, EnumeratorOptions{65536, -1, 5});
  auto r = e.poll();
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->name, "PAGE_LIMIT");
}

TEST(EnumeratorTest, DuplicatesAcrossPagesAreDroppedAndCounted) {
  FakeRouterApi api;
  api.refuse = {{-1, status::kRpcProcnumOutOfRange},
                {3, status::kInvalidLevel},
                {2, status::kInvalidLevel},
                {1, status::kInvalidLevel}};
  api.pages[0] = {{status::kMoreData, {1, 2}, 2}, {status::kSuccess, {2, 3}, 0}};
  Enumerator e(api, EnumeratorOptions{});
  auto r = e.poll();
  ASSERT_FALSE(r.error);
  ASSERT_EQ(r.connections.size(), 3u);
  EXPECT_EQ(r.duplicates_dropped, 1u);
}

TEST(EnumeratorTest, ChurnBetweenPagesAndLevelsNeverYieldsDuplicatesOrHalfRecords) {
  auto c = sim(300, 3, false);
  c.churn_per_call = 5;  // five leave and five arrive before every page of every level
  SimFixture f(c);
  Enumerator e(f.router, EnumeratorOptions{1116 * 20, -1, 100000});
  auto r = e.poll();
  ASSERT_FALSE(r.error) << r.error->message;
  std::set<uint64_t> handles;
  for (const auto& conn : r.connections) {
    EXPECT_TRUE(handles.insert(conn.handle).second);
    EXPECT_EQ(conn.levels, kHasLevel0 | kHasLevel1 | kHasLevel3);  // joined from every level
  }
  EXPECT_GT(r.dropped_between_levels, 0u);
  EXPECT_LE(r.connections.size(), 300u);
}

TEST(EnumeratorTest, ConnectionThatVanishesBetweenLevelsIsDropped) {
  FakeRouterApi api;
  api.refuse = {{-1, status::kRpcProcnumOutOfRange}, {3, status::kInvalidLevel}};
  api.pages[2] = {{status::kSuccess, {1, 2, 4}, 0}};  // read first: 3 is already gone, 4 is new
  api.pages[0] = {{status::kSuccess, {1, 2, 3}, 0}};
  api.pages[1] = {{status::kSuccess, {1, 3, 4}, 0}};  // 2 left between levels
  Enumerator e(api, EnumeratorOptions{});
  auto r = e.poll();
  ASSERT_FALSE(r.error);
  ASSERT_EQ(r.connections.size(), 1u);
  EXPECT_EQ(r.connections[0].handle, 1u);
  EXPECT_EQ(r.dropped_between_levels, 2u);
  EXPECT_EQ(r.connections[0].counters.bytes_sent, 10u);
}

TEST(EnumeratorTest, MalformedReplyCountIsRejected) {
  FakeRouterApi api;
  api.pages[-1] = {{status::kSuccess, {1, 2}, 0, 5}};
  Enumerator e(api, EnumeratorOptions{});
  auto r = e.poll();
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->name, "MALFORMED_REPLY");
}

TEST(EnumeratorTest, LevelIsCachedAndProbedAgainAfterReconnect) {
  SimFixture f(sim(10, 2, false));
  Enumerator e(f.router, EnumeratorOptions{});
  ASSERT_FALSE(e.poll().error);
  auto r = e.poll();
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.level, "2");

  FakeRouterApi api;
  api.refuse = {{-1, status::kRpcProcnumOutOfRange}};
  Enumerator e2(api, EnumeratorOptions{});
  ASSERT_FALSE(e2.poll().error);
  const size_t probes = std::count_if(api.calls.begin(), api.calls.end(), [](auto& c) { return c.first == -1; });
  ASSERT_FALSE(e2.poll().error);
  EXPECT_EQ(std::count_if(api.calls.begin(), api.calls.end(), [](auto& c) { return c.first == -1; }),
            static_cast<long>(probes));  // no second EnumEx probe while connected
  e2.reset();
  ASSERT_FALSE(e2.poll().error);
  EXPECT_EQ(std::count_if(api.calls.begin(), api.calls.end(), [](auto& c) { return c.first == -1; }),
            static_cast<long>(probes + 1));
}

TEST(EnumeratorTest, LostBindingReconnectsOnceThenFails) {
  auto c = sim(30, 0, false);
  c.binding_lost_every = 2;  // the second enumeration call fails
  SimFixture f(c);
  Enumerator e(f.router, EnumeratorOptions{1116 * 4, -1, 1000});
  auto r = e.poll();
  // Call 1 succeeds, call 2 loses the binding; reconnect; call 3 ok, call 4 lost again: fail.
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->name, "RPC_S_INVALID_BINDING");
  EXPECT_TRUE(r.reconnected);

  // A binding lost once is healed by the reconnect within the same poll.
  auto c2 = sim(30, 0, false);
  c2.binding_lost_every = 7;  // call 7 fails; the retry needs calls 8..13
  SimFixture f2(c2);
  Enumerator e2(f2.router, EnumeratorOptions{1116 * 4, -1, 1000});
  auto r2 = e2.poll();  // calls 1..6 read the router
  ASSERT_FALSE(r2.error);
  r2 = e2.poll();  // call 7 fails, reconnect, calls 8..13 succeed
  ASSERT_FALSE(r2.error) << r2.error->message;
  EXPECT_TRUE(r2.reconnected);
  EXPECT_EQ(r2.connections.size(), 30u);
}

TEST(EnumeratorTest, ErrorsNameTheCallAndTheCause) {
  auto c = sim(3, 3, true);
  c.connect_error = "access_denied";
  SimFixture f(c);
  Enumerator e(f.router, EnumeratorOptions{});
  auto r = e.poll();
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, status::kAccessDenied);
  EXPECT_NE(r.error->message.find("MprAdminServerConnect"), std::string::npos);
  EXPECT_NE(r.error->message.find("Administrators"), std::string::npos);

  auto d = sim(3, 3, true);
  d.ddm_not_running = true;
  SimFixture g(d);
  Enumerator e2(g.router, EnumeratorOptions{});
  r = e2.poll();
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->name, "ERROR_DDM_NOT_RUNNING");
  EXPECT_NE(r.error->message.find("Demand Dial Manager"), std::string::npos);
}

TEST(EnumeratorTest, ServerInfoFallsBackToLowerLevels) {
  auto c = sim(5, 3, false);
  c.server_info_level = 0;
  c.total_ports = 77;
  SimFixture f(c);
  Enumerator e(f.router, EnumeratorOptions{});
  auto r = e.poll();
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.server_info.level, 0);
  EXPECT_EQ(r.server_info.total_ports, 77u);
  EXPECT_EQ(r.server_info.ports_in_use, 5u);
  EXPECT_FALSE(r.server_info.sstp_ports);
}

}  // namespace
}  // namespace rras

namespace rras {
namespace {

TEST(EnumeratorTest, AnyFailureDropsTheHandleSoTheNextPollReconnects) {
  FakeRouterApi api;
  api.refuse = {{-1, status::kRpcProcnumOutOfRange}};
  api.pages[3] = {{1753 /* EPT_S_NOT_REGISTERED */, {}, 0}};
  Enumerator e(api, EnumeratorOptions{});
  auto r = e.poll();
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, 1753u);
  EXPECT_EQ(api.disconnects, 1);
  ASSERT_FALSE(e.poll().error);
  EXPECT_EQ(api.connects, 2);
}

}  // namespace
}  // namespace rras

namespace rras {
namespace {

// Every code that means "not here" (DESIGN §3), at every rung of the ladder: a rule tested with one
// of its codes only lets a dropped code through.
constexpr ApiCode kNotHereCodes[] = {status::kInvalidLevel, status::kNotSupported, status::kRpcProcnumOutOfRange,
                                     status::kProcNotFound, status::kCallNotImplemented};

TEST(EnumeratorTest, EveryNotSupportedCodeStepsDownEveryRung) {
  for (const ApiCode code : kNotHereCodes) {
    // Refusing EnumEx, then also 3, 2 and 1, lands on the next level down each time.
    const std::vector<std::pair<std::vector<int>, std::string>> rungs = {
        {{-1}, "3"}, {{-1, 3}, "2"}, {{-1, 3, 2}, "1"}, {{-1, 3, 2, 1}, "0"}};
    for (const auto& [refused, level] : rungs) {
      SCOPED_TRACE(apiCodeName(code) + " refusing down to level " + level);
      FakeRouterApi api;
      for (int l : refused) api.refuse[l] = code;
      for (int l = 0; l <= 3; ++l) api.pages[l] = {{status::kSuccess, {1, 2}, 0}};
      Enumerator e(api, EnumeratorOptions{});
      auto r = e.poll();
      ASSERT_FALSE(r.error) << r.error->message;
      EXPECT_EQ(r.level, level);
      EXPECT_EQ(r.connections.size(), 2u);
    }
    {
      SCOPED_TRACE(apiCodeName(code) + " refusing level 1 below level 2");
      FakeRouterApi api;
      api.refuse = {{-1, code}, {3, code}, {1, code}};
      api.pages[2] = {{status::kSuccess, {1, 2}, 0}};
      api.pages[0] = {{status::kSuccess, {1, 2}, 0}};
      Enumerator e(api, EnumeratorOptions{});
      auto r = e.poll();
      ASSERT_FALSE(r.error) << r.error->message;
      EXPECT_EQ(r.level, "2");
      ASSERT_EQ(r.connections.size(), 2u);
      EXPECT_FALSE(r.connections[0].hasCounters());
    }
    {
      SCOPED_TRACE(apiCodeName(code) + " refusing MPR_SERVER_2 and _1");
      FakeRouterApi api;
      api.info_codes = {{2, code}, {1, code}};
      Enumerator e(api, EnumeratorOptions{});
      auto r = e.poll();
      ASSERT_FALSE(r.error) << r.error->message;
      EXPECT_EQ(r.server_info.level, 0);
      api.info_codes = {{2, code}};
      Enumerator e1(api, EnumeratorOptions{});
      EXPECT_EQ(e1.poll().server_info.level, 1);
    }
  }
}

TEST(EnumeratorTest, OtherCodesNeverStepDown) {
  for (const ApiCode code : {status::kAccessDenied, status::kDdmNotRunning, status::kInvalidParameter,
                             status::kRpcBadStubData, ApiCode{1753}}) {
    FakeRouterApi api;
    api.refuse = {{-1, code}};
    Enumerator e(api, EnumeratorOptions{});
    auto r = e.poll();
    ASSERT_TRUE(r.error) << apiCodeName(code);
    EXPECT_EQ(r.error->code, code);
    EXPECT_EQ(std::count_if(api.calls.begin(), api.calls.end(), [](auto& c) { return c.first == 3; }), 0)
        << apiCodeName(code) << " must not probe level 3";
    // At MPR_SERVER_2 such a code fails only server info (the server collector), never the ladder.
    FakeRouterApi info;
    info.info_codes = {{2, code}};
    const auto refused = Enumerator(info, EnumeratorOptions{}).poll();
    EXPECT_FALSE(refused.error) << apiCodeName(code) << " at MPR_SERVER_2";
    ASSERT_TRUE(refused.server_error) << apiCodeName(code) << " at MPR_SERVER_2";
    EXPECT_EQ(refused.server_error->code, code);
    EXPECT_EQ(refused.server_info.level, -1);  // nothing of a refused server info is kept
  }
}

// A real server promises no order: pages out of handle order at every level still join exactly.
TEST(EnumeratorTest, UnsortedPagesJoinExactly) {
  FakeRouterApi api;
  api.refuse = {{-1, status::kRpcProcnumOutOfRange}};
  api.pages[3] = {{status::kMoreData, {5, 1}, 2}, {status::kSuccess, {3, 4, 2}, 0}};
  api.pages[0] = {{status::kMoreData, {4, 2, 5}, 3}, {status::kSuccess, {3, 1}, 0}};
  api.pages[1] = {{status::kMoreData, {3}, 1}, {status::kSuccess, {1, 5, 2, 4}, 0}};
  Enumerator e(api, EnumeratorOptions{});
  auto r = e.poll();
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.level, "3");
  EXPECT_EQ(r.dropped_between_levels, 0u);
  ASSERT_EQ(r.connections.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    const Connection& c = r.connections[i];
    EXPECT_EQ(c.handle, i + 1);  // published in handle order
    EXPECT_EQ(c.levels, kHasLevel0 | kHasLevel1 | kHasLevel3) << c.handle;
    EXPECT_EQ(c.counters.bytes_sent, c.handle * 10) << c.handle;  // level 1 joined to the right record
  }

  FakeRouterApi ex;
  ex.pages[-1] = {{status::kMoreData, {9, 3}, 2}, {status::kSuccess, {7, 1}, 0}};
  r = Enumerator(ex, EnumeratorOptions{}).poll();
  ASSERT_FALSE(r.error);
  std::vector<uint64_t> handles;
  for (const auto& c : r.connections) handles.push_back(c.handle);
  EXPECT_EQ(handles, (std::vector<uint64_t>{1, 3, 7, 9}));
}

// Every binding-loss code gets the one in-poll reconnect, whichever call it hits.
TEST(EnumeratorTest, EveryBindingLossCodeReconnectsWithinThePoll) {
  for (const ApiCode code : {status::kRpcInvalidBinding, status::kRpcServerUnavailable, status::kRpcCallFailed}) {
    SCOPED_TRACE(apiCodeName(code));
    FakeRouterApi api;
    api.pages[-1] = {{code, {}, 0}, {status::kSuccess, {1, 2}, 0}};
    Enumerator e(api, EnumeratorOptions{});
    auto r = e.poll();
    ASSERT_FALSE(r.error) << r.error->message;
    EXPECT_TRUE(r.reconnected);
    EXPECT_EQ(api.connects, 2);
    EXPECT_EQ(r.connections.size(), 2u);

    FakeRouterApi lost;  // at connect: the same retry
    lost.connect_code = code;
    r = Enumerator(lost, EnumeratorOptions{}).poll();
    ASSERT_TRUE(r.error);
    EXPECT_EQ(lost.connects, 2);
  }
  FakeRouterApi denied;  // not a binding loss: no retry
  denied.pages[-1] = {{status::kAccessDenied, {}, 0}};
  EXPECT_TRUE(Enumerator(denied, EnumeratorOptions{}).poll().error);
  EXPECT_EQ(denied.connects, 1);
}

}  // namespace
}  // namespace rras
