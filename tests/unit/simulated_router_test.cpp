// The simulator implements the documented MprAdmin semantics; these tests pin them down.
#include "sources/simulator/simulated_router.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "router/wire_sizes.h"

namespace rras {
namespace {

struct Sim {
  double now = 1'800'000'000;
  SimulatedRouter router;
  RouterHandle handle = 0;
  explicit Sim(SimulatorConfig c) : router(c, [this] { return now; }) {}
  ApiCode connect() { return router.connect(handle); }
};

SimulatorConfig config(uint32_t connections, int max_level = 3, bool ex = false) {
  SimulatorConfig c;
  c.connections = connections;
  c.max_level = max_level;
  c.enum_ex = ex;
  c.seed = 42;
  return c;
}

TEST(SimulatedRouterTest, PageHoldsOneMoreThanFitsInPreferredBytes) {
  Sim sim(config(10));
  ASSERT_EQ(sim.connect(), status::kSuccess);
  for (int level = 0; level <= 3; ++level) {
    const uint32_t size = wire::kRasiConnectionSize[static_cast<size_t>(level)];
    uint32_t resume = 0;
    ConnectionPage page;
    // Exactly one entry's bytes: one fits, the router returns one more (MS-RRASM 3.1.4.46).
    EXPECT_EQ(sim.router.enumConnections(sim.handle, level, size, resume, page), status::kMoreData);
    EXPECT_EQ(page.entries_read, 2u);
    EXPECT_EQ(page.total_entries, 10u);
    EXPECT_EQ(resume, 2u);
    // Fewer bytes than one entry: zero entries.
    resume = 0;
    EXPECT_EQ(sim.router.enumConnections(sim.handle, level, size - 1, resume, page), status::kMoreData);
    EXPECT_EQ(page.entries_read, 0u);
    // Three entries' bytes: four entries.
    resume = 0;
    EXPECT_EQ(sim.router.enumConnections(sim.handle, level, 3 * size, resume, page), status::kMoreData);
    EXPECT_EQ(page.entries_read, 4u);
  }
}

TEST(SimulatedRouterTest, ResumeHandleWalksThePopulationAndEndsAtZero) {
  Sim sim(config(25));
  ASSERT_EQ(sim.connect(), status::kSuccess);
  uint32_t resume = 0;
  std::set<uint64_t> handles;
  int pages = 0;
  for (;;) {
    ConnectionPage page;
    const ApiCode code = sim.router.enumConnections(sim.handle, 0, 1116 * 4, resume, page);
    ++pages;
    for (const auto& c : page.entries) handles.insert(c.handle);
    if (code == status::kSuccess) break;
    ASSERT_EQ(code, status::kMoreData);
  }
  EXPECT_EQ(handles.size(), 25u);
  EXPECT_EQ(pages, 5);  // 5 entries per page
  EXPECT_EQ(resume, 0u);
}

TEST(SimulatedRouterTest, AllInOnePageWithMinusOne) {
  Sim sim(config(1000));
  ASSERT_EQ(sim.connect(), status::kSuccess);
  uint32_t resume = 0;
  ConnectionPage page;
  EXPECT_EQ(sim.router.enumConnections(sim.handle, 1, kPrefMaxAll, resume, page), status::kSuccess);
  EXPECT_EQ(page.entries.size(), 1000u);
  EXPECT_EQ(page.entries_read, 1000u);
}

TEST(SimulatedRouterTest, RefusesLevelsAboveItsOwnAndEnumExWhenAbsent) {
  Sim sim(config(5, 2, false));
  ASSERT_EQ(sim.connect(), status::kSuccess);
  uint32_t resume = 0;
  ConnectionPage page;
  EXPECT_EQ(sim.router.enumConnections(sim.handle, 3, kPrefMaxAll, resume, page), status::kInvalidLevel);
  EXPECT_EQ(sim.router.enumConnections(sim.handle, 4, kPrefMaxAll, resume, page), status::kInvalidLevel);
  EXPECT_EQ(sim.router.enumConnectionsEx(sim.handle, kPrefMaxAll, resume, page), status::kRpcProcnumOutOfRange);
  EXPECT_EQ(sim.router.enumConnections(sim.handle, 2, kPrefMaxAll, resume, page), status::kSuccess);
}

TEST(SimulatedRouterTest, FaultsAnswerWithTheDocumentedCodes) {
  auto c = config(5);
  c.connect_error = "access_denied";
  Sim denied(c);
  EXPECT_EQ(denied.connect(), status::kAccessDenied);
  c.connect_error = "server_unavailable";
  Sim unavailable(c);
  EXPECT_EQ(unavailable.connect(), status::kRpcServerUnavailable);

  c = config(5);
  c.ddm_not_running = true;
  Sim ddm(c);
  ASSERT_EQ(ddm.connect(), status::kSuccess);  // connect does not check the service
  uint32_t resume = 0;
  ConnectionPage page;
  EXPECT_EQ(ddm.router.enumConnections(ddm.handle, 0, kPrefMaxAll, resume, page), status::kDdmNotRunning);
  EXPECT_TRUE(ddm.router.isServiceRunning());

  c = config(5);
  c.service_running = false;
  Sim stopped(c);
  ASSERT_EQ(stopped.connect(), status::kSuccess);
  EXPECT_FALSE(stopped.router.isServiceRunning());
  EXPECT_EQ(stopped.router.enumConnections(stopped.handle, 0, kPrefMaxAll, resume, page), status::kDdmNotRunning);

  Sim unbound(config(5));
  EXPECT_EQ(unbound.router.enumConnections(12345, 0, kPrefMaxAll, resume, page), status::kRpcInvalidBinding);
}

TEST(SimulatedRouterTest, SameSeedSameRouterDifferentSeedDifferentRouter) {
  auto run = [](uint64_t seed) {
    auto c = config(50, 3, true);
    c.seed = seed;
    Sim sim(c);
    EXPECT_EQ(sim.connect(), status::kSuccess);
    uint32_t resume = 0;
    ConnectionPage page;
    sim.router.enumConnectionsEx(sim.handle, kPrefMaxAll, resume, page);
    std::string digest;
    for (const auto& e : page.entries) digest += std::to_string(e.handle) + e.user + e.client_ipv4 + ";";
    return digest;
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));
}

TEST(SimulatedRouterTest, PopulationHasNonAsciiNamesAndUsersWithSeveralConnections) {
  Sim sim(config(500, 3, true));
  ASSERT_EQ(sim.connect(), status::kSuccess);
  uint32_t resume = 0;
  ConnectionPage page;
  ASSERT_EQ(sim.router.enumConnectionsEx(sim.handle, kPrefMaxAll, resume, page), status::kSuccess);
  std::map<std::string, int> per_user;
  bool non_ascii = false, ikev2 = false, ppp = false;
  for (const auto& c : page.entries) {
    ++per_user[c.user];
    for (unsigned char ch : c.user) non_ascii |= ch >= 0x80;
    ikev2 |= c.protocol == "ikev2";
    ppp |= c.protocol == "ppp";
  }
  EXPECT_TRUE(non_ascii);
  EXPECT_TRUE(ikev2 && ppp);
  int multi = 0;
  for (const auto& [user, n] : per_user) multi += n > 1;
  EXPECT_GT(multi, 0);
}

TEST(SimulatedRouterTest, SizesFromZeroToTwoHundredThousand) {
  Sim empty(config(0));
  ASSERT_EQ(empty.connect(), status::kSuccess);
  uint32_t resume = 0;
  ConnectionPage page;
  EXPECT_EQ(empty.router.enumConnections(empty.handle, 0, 65536, resume, page), status::kSuccess);
  EXPECT_EQ(page.entries_read, 0u);

  Sim large(config(200000));
  EXPECT_EQ(large.router.connectionCount(), 200000u);
}

TEST(SimulatedRouterTest, ChurnKeepsTheCountAndReplacesConnections) {
  auto c = config(100);
  c.churn_per_minute = 60;
  Sim sim(c);
  ASSERT_EQ(sim.connect(), status::kSuccess);
  uint32_t resume = 0;
  ConnectionPage before, after;
  sim.router.enumConnections(sim.handle, 0, kPrefMaxAll, resume, before);
  sim.now += 30;  // 30 connections leave, 30 arrive
  sim.router.enumConnections(sim.handle, 0, kPrefMaxAll, resume, after);
  EXPECT_EQ(after.entries.size(), 100u);
  std::set<uint64_t> old_handles;
  for (const auto& e : before.entries) old_handles.insert(e.handle);
  int fresh = 0;
  for (const auto& e : after.entries) fresh += old_handles.count(e.handle) == 0;
  // A connection that arrived in this batch may also leave in it.
  EXPECT_GT(fresh, 20);
  EXPECT_LE(fresh, 30);
}

TEST(SimulatedRouterTest, HangBlocksUntilCancelled) {
  auto c = config(5);
  c.hang_seconds = 3600;
  Sim sim(c);
  ASSERT_EQ(sim.connect(), status::kSuccess);
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    sim.router.cancel();
  });
  uint32_t resume = 0;
  ConnectionPage page;
  EXPECT_EQ(sim.router.enumConnections(sim.handle, 0, kPrefMaxAll, resume, page), status::kCancelled);
  canceller.join();
}

}  // namespace
}  // namespace rras
