// The simulator implements the documented MprAdmin semantics; these tests pin them down.
#include "sources/simulator/simulated_router.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "config/config_loader.h"
#include "router/pager.h"
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

// ---- interfaces and ports ----

constexpr uint32_t kInterfaceSize = 540, kPortSize = 380;  // MPRI_INTERFACE_0, RASI_PORT_0 on the wire

// Every entry of an enumeration through the exporter's own pager.
template <class Entry, class Call>
std::vector<Entry> readAll(Call call, PageStats* stats_out = nullptr, std::optional<PollError>* error_out = nullptr) {
  std::vector<Entry> out;
  PageStats stats;
  auto error = readAllPages<Entry>(
      call, [](ApiCode code) { return PollError::fromCode(code, "refused"); }, "test", 100000, out, stats);
  if (stats_out) *stats_out = stats;
  if (error_out) *error_out = error;
  EXPECT_TRUE(error_out || !error) << error->name;
  return out;
}

std::vector<RouterInterface> interfaces(Sim& sim, uint32_t pref = kPrefMaxAll) {
  return readAll<RouterInterface>(
      [&](uint32_t& resume, InterfacePage& page) { return sim.router.enumInterfaces(sim.handle, pref, resume, page); });
}

std::vector<Port> ports(Sim& sim, uint32_t pref = kPrefMaxAll) {
  return readAll<Port>(
      [&](uint32_t& resume, PortPage& page) { return sim.router.enumPorts(sim.handle, pref, resume, page); });
}

std::vector<Connection> connectionsEx(Sim& sim) {
  uint32_t resume = 0;
  ConnectionPage page;
  EXPECT_EQ(sim.router.enumConnectionsEx(sim.handle, kPrefMaxAll, resume, page), status::kSuccess);
  return page.entries;
}

TEST(SimulatedRouterInterfacesTest, ListsLoopbackInternalEthernetAndTheSiteToSiteInterfaces) {
  auto c = config(10);
  c.site_to_site = 4;
  c.site_to_site_disabled = 1;
  Sim sim(c);
  ASSERT_EQ(sim.connect(), status::kSuccess);
  const auto all = interfaces(sim);
  ASSERT_EQ(all.size(), 3u + 4u + 1u);
  EXPECT_EQ(all[0].name, "Loopback");
  EXPECT_EQ(all[0].type, InterfaceType::kLoopback);
  EXPECT_EQ(all[1].name, "Internal");
  EXPECT_EQ(all[1].type, InterfaceType::kInternal);
  EXPECT_EQ(all[2].name, "Ethernet");
  EXPECT_EQ(all[2].type, InterfaceType::kDedicated);
  std::set<uint64_t> handles;
  std::set<std::string> names;
  for (const auto& i : all) {
    handles.insert(i.handle);
    names.insert(i.name);
    if (i.type != InterfaceType::kFullRouter) {
      EXPECT_TRUE(i.enabled);
      EXPECT_EQ(i.state, InterfaceState::kConnected);
    }
  }
  EXPECT_EQ(handles.size(), all.size());
  EXPECT_EQ(names.size(), all.size());
  for (size_t i = 3; i < 7; ++i) {
    EXPECT_EQ(all[i].type, InterfaceType::kFullRouter);
    EXPECT_TRUE(all[i].enabled);
  }
  // Disabled: fEnabled false, unreachable because the administrator disabled it, no error.
  EXPECT_EQ(all[7].type, InterfaceType::kFullRouter);
  EXPECT_FALSE(all[7].enabled);
  EXPECT_EQ(all[7].state, InterfaceState::kUnreachable);
  EXPECT_EQ(all[7].unreachability_reasons, 0x2u);
  EXPECT_EQ(all[7].last_error, 0u);
}

TEST(SimulatedRouterInterfacesTest, SiteToSiteStatesCycleWithTheClockAndOneIsAlwaysUpAndOneUnreachable) {
  for (uint64_t seed : {1, 7, 42}) {
    auto c = config(5);
    c.seed = seed;
    c.site_to_site = 6;  // two groups: one steady and two flapping interfaces each
    Sim sim(c);
    ASSERT_EQ(sim.connect(), status::kSuccess);
    std::map<std::string, std::set<InterfaceState>> seen;
    std::map<std::string, std::set<uint32_t>> reasons, errors;
    // Two cycles (24 min each) in 10 s steps.
    for (int step = 0; step < 2 * 24 * 6; ++step, sim.now += 10) {
      int connected = 0, unreachable = 0;
      for (const auto& i : interfaces(sim)) {
        if (i.type != InterfaceType::kFullRouter) continue;
        seen[i.name].insert(i.state);
        connected += i.state == InterfaceState::kConnected;
        if (i.state == InterfaceState::kUnreachable) {
          ++unreachable;
          // Unreachable because a connection failed (sometimes also no device), with the error.
          EXPECT_TRUE(i.unreachability_reasons == 0x4 || i.unreachability_reasons == 0x44) << i.unreachability_reasons;
          EXPECT_TRUE(i.last_error == 678 || i.last_error == 651) << i.last_error;
          reasons[i.name].insert(i.unreachability_reasons);
          errors[i.name].insert(i.last_error);
        } else {
          EXPECT_EQ(i.unreachability_reasons, 0u) << i.name << " is " << interfaceStateLabel(i.state);
        }
        if (i.state == InterfaceState::kConnected) {
          EXPECT_EQ(i.last_error, 0u);
        }
      }
      EXPECT_GE(connected, 2) << "seed " << seed << " at step " << step;    // the two steady ones
      EXPECT_GE(unreachable, 2) << "seed " << seed << " at step " << step;  // one of each flapping pair
    }
    ASSERT_EQ(seen.size(), 6u);
    int steady = 0, flapping = 0;
    for (const auto& [name, states] : seen) {
      if (states == std::set<InterfaceState>{InterfaceState::kConnected}) {
        ++steady;
        continue;
      }
      ++flapping;
      EXPECT_EQ(states, (std::set<InterfaceState>{InterfaceState::kUnreachable, InterfaceState::kConnecting,
                                                  InterfaceState::kConnected}))
          << name;
      EXPECT_EQ(reasons[name], (std::set<uint32_t>{0x4, 0x44})) << name;
      EXPECT_EQ(errors[name], (std::set<uint32_t>{651, 678})) << name;
    }
    EXPECT_EQ(steady, 2);
    EXPECT_EQ(flapping, 4);
  }
}

TEST(SimulatedRouterInterfacesTest, StatesLastMinutesAndRepeatEveryCycle) {
  auto c = config(5);
  c.site_to_site = 3;
  Sim sim(c);
  ASSERT_EQ(sim.connect(), status::kSuccess);
  const double start = sim.now;
  std::vector<std::string> timeline;  // one sample per second of the flapping interfaces' states
  for (int t = 0; t < 2 * 1440; ++t) {
    sim.now = start + t;
    std::string at;
    for (const auto& i : interfaces(sim)) {
      if (i.type == InterfaceType::kFullRouter) at += std::to_string(static_cast<int>(i.state));
    }
    timeline.push_back(at);
  }
  for (int t = 0; t < 1440; ++t) ASSERT_EQ(timeline[t], timeline[t + 1440]) << "the cycle is 24 minutes";
  // A state holds at least 30 s (connecting) and mostly minutes: visible across polls.
  for (size_t k = 1; k < 3; ++k) {
    int run = 1, shortest = 1 << 30, changes = 0;
    for (size_t t = 1; t < timeline.size(); ++t) {
      if (timeline[t][k] == timeline[t - 1][k]) {
        ++run;
      } else {
        if (changes++ > 0) shortest = std::min(shortest, run);  // the first run started before the window
        run = 1;
      }
    }
    EXPECT_GE(shortest, 30);
    EXPECT_GE(changes, 8);  // four state changes a cycle, two cycles
  }
}

TEST(SimulatedRouterInterfacesTest, SameSeedSameStates) {
  auto run = [](uint64_t seed) {
    auto c = config(5);
    c.seed = seed;
    Sim sim(c);
    EXPECT_EQ(sim.connect(), status::kSuccess);
    std::string digest;
    for (int step = 0; step < 30; ++step, sim.now += 60) {
      for (const auto& i : interfaces(sim)) digest += std::to_string(static_cast<int>(i.state));
    }
    return digest;
  };
  EXPECT_EQ(run(3), run(3));
  EXPECT_NE(run(3), run(4));
}

// The inventory against the connections at one moment: every connection on one port of its
// protocol, authenticated with its hConnection; the rest listening or authenticating.
void expectPortsMatchConnections(Sim& sim, bool* saw_authenticating = nullptr) {
  const auto conns = connectionsEx(sim);
  const auto all = ports(sim);
  std::map<std::string, int> connections_by_protocol;
  std::set<uint64_t> connection_handles;
  for (const auto& c : conns) {
    ++connections_by_protocol[c.protocol];
    connection_handles.insert(c.handle);
  }
  std::map<std::string, std::map<PortCondition, int>> by;
  std::set<uint64_t> port_connections;
  for (const auto& p : all) {
    const std::string protocol(portProtocol(p));
    ++by[protocol][p.condition];
    if (p.condition == PortCondition::kAuthenticated) {
      EXPECT_NE(p.connection, 0u);
      EXPECT_TRUE(port_connections.insert(p.connection).second) << "two ports carry connection " << p.connection;
    } else {
      EXPECT_EQ(p.connection, 0u);
      EXPECT_TRUE(p.condition == PortCondition::kListening || p.condition == PortCondition::kAuthenticating);
    }
    if (p.condition == PortCondition::kAuthenticating && saw_authenticating) *saw_authenticating = true;
  }
  EXPECT_EQ(port_connections, connection_handles);
  EXPECT_EQ(by["ikev2"][PortCondition::kAuthenticated], connections_by_protocol["ikev2"]);
  EXPECT_EQ(by["sstp"][PortCondition::kAuthenticated] + by["l2tp"][PortCondition::kAuthenticated] +
                by["pptp"][PortCondition::kAuthenticated],
            connections_by_protocol["ppp"]);
  // MPR_SERVER_0/1/2 agree with the inventory.
  ServerInfo info0, info2;
  ASSERT_EQ(sim.router.serverInfo(sim.handle, 0, info0), status::kSuccess);
  ASSERT_EQ(sim.router.serverInfo(sim.handle, 2, info2), status::kSuccess);
  EXPECT_EQ(info0.total_ports, all.size());
  size_t in_use = 0;
  for (const auto& p : all) in_use += p.condition != PortCondition::kListening;
  EXPECT_EQ(info0.ports_in_use, in_use);
  auto total = [&](const char* protocol) {
    int n = 0;
    for (const auto& [condition, count] : by[protocol]) n += count;
    return static_cast<uint32_t>(n);
  };
  EXPECT_EQ(*info2.pptp_ports, total("pptp"));
  EXPECT_EQ(*info2.l2tp_ports, total("l2tp"));
  EXPECT_EQ(*info2.sstp_ports, total("sstp"));
}

TEST(SimulatedRouterPortsTest, PortsMatchTheConnectionsAtEveryMoment) {
  auto c = config(300, 3, true);
  c.churn_per_minute = 120;
  Sim sim(c);
  ASSERT_EQ(sim.connect(), status::kSuccess);
  bool saw_authenticating = false;
  for (int step = 0; step < 40; ++step, sim.now += 7) {
    SCOPED_TRACE("step " + std::to_string(step));
    expectPortsMatchConnections(sim, &saw_authenticating);
  }
  EXPECT_TRUE(saw_authenticating);
  sim.router.churn(50, 50);  // the test hook moves ports too
  expectPortsMatchConnections(sim);
}

TEST(SimulatedRouterPortsTest, DefaultInventoryLooksLikeWanMiniports) {
  Sim sim(config(250, 3, true));
  ASSERT_EQ(sim.connect(), status::kSuccess);
  const auto all = ports(sim);
  std::map<std::string, int> per_protocol;
  std::set<uint64_t> handles;
  for (const auto& p : all) {
    ++per_protocol[std::string(portProtocol(p))];
    handles.insert(p.handle);
    EXPECT_EQ(p.media, "rastapi");
    EXPECT_EQ(p.device_type, "vpn");
    EXPECT_EQ(p.device_name.rfind("WAN Miniport (", 0), 0u) << p.device_name;
    EXPECT_EQ(p.name.rfind("VPN", 0), 0u) << p.name;
    EXPECT_LE(p.name.size(), 16u);  // wszPortName holds 16 characters
  }
  // IKEv2 with EnumEx; 128 ports each (more where the connections need them).
  EXPECT_EQ(per_protocol, (std::map<std::string, int>{{"ikev2", 128}, {"l2tp", 128}, {"pptp", 128}, {"sstp", 128}}));
  EXPECT_EQ(handles.size(), all.size());
  EXPECT_EQ(all.front().name, "VPN1-0");
  EXPECT_EQ(all.front().device_name, "WAN Miniport (PPTP)");

  Sim legacy(config(100, 2, false));  // no EnumEx: a server without IKEv2
  ASSERT_EQ(legacy.connect(), status::kSuccess);
  per_protocol.clear();
  for (const auto& p : ports(legacy)) ++per_protocol[std::string(portProtocol(p))];
  EXPECT_EQ(per_protocol, (std::map<std::string, int>{{"l2tp", 128}, {"pptp", 128}, {"sstp", 128}}));

  Sim big(config(3000, 3, true));  // sized to the connections, +25 %
  ASSERT_EQ(big.connect(), status::kSuccess);
  EXPECT_EQ(big.router.connectionCount(), 3000u);
  ServerInfo info;
  ASSERT_EQ(big.router.serverInfo(big.handle, 2, info), status::kSuccess);
  EXPECT_EQ(*info.sstp_ports, 1250u);  // 2000 PPP connections, half of them SSTP
  EXPECT_EQ(*info.l2tp_ports, 834u);
  EXPECT_EQ(*info.pptp_ports, 417u);
}

TEST(SimulatedRouterPortsTest, ConfiguredPortsAndTheLegacyTotal) {
  auto c = config(50, 3, true);
  c.ports = {{"sstp", 128}, {"ikev2", 128}, {"l2tp", 64}, {"pptp", 32}, {"gre", 8}};
  Sim sim(c);
  ASSERT_EQ(sim.connect(), status::kSuccess);
  std::map<std::string, int> per_protocol;
  for (const auto& p : ports(sim)) ++per_protocol[std::string(portProtocol(p))];
  EXPECT_EQ(per_protocol,
            (std::map<std::string, int>{{"gre", 8}, {"ikev2", 128}, {"l2tp", 64}, {"pptp", 32}, {"sstp", 128}}));
  ServerInfo info;
  ASSERT_EQ(sim.router.serverInfo(sim.handle, 0, info), status::kSuccess);
  EXPECT_EQ(info.total_ports, 360u);
  expectPortsMatchConnections(sim);

  auto legacy = config(5);
  legacy.total_ports = 77;  // spread over SSTP, L2TP and PPTP
  Sim total(legacy);
  ASSERT_EQ(total.connect(), status::kSuccess);
  ASSERT_EQ(total.router.serverInfo(total.handle, 0, info), status::kSuccess);
  EXPECT_EQ(info.total_ports, 77u);
  EXPECT_EQ(info.ports_in_use, 5u);  // no churn, so nobody is authenticating
  ASSERT_EQ(total.router.serverInfo(total.handle, 2, info), status::kSuccess);
  EXPECT_EQ(*info.sstp_ports + *info.l2tp_ports + *info.pptp_ports, 77u);
}

TEST(SimulatedRouterPortsTest, ConnectionsNeedAPortOfTheirProtocol) {
  auto c = config(100, 3, true);
  c.ports = {{"sstp", 10}, {"ikev2", 5}};
  c.churn_per_minute = 60;
  Sim sim(c);
  ASSERT_EQ(sim.connect(), status::kSuccess);
  // A router with 15 ports carries 15 connections, IKEv2 ones only on IKEv2 ports.
  EXPECT_EQ(sim.router.connectionCount(), 15u);
  sim.now += 120;
  EXPECT_EQ(sim.router.connectionCount(), 15u);
  expectPortsMatchConnections(sim);
}

TEST(SimulatedRouterPortsTest, CallsGrowWithChurn) {
  auto c = config(100);
  c.churn_per_minute = 60;
  Sim sim(c);
  ASSERT_EQ(sim.connect(), status::kSuccess);
  auto calls = [&] {
    uint64_t n = 0;
    for (const auto& p : ports(sim)) n += p.total_calls;
    return n;
  };
  const uint64_t before = calls();
  sim.now += 60;  // 60 arrivals
  const uint64_t after = calls();
  EXPECT_EQ(after - before, 60u);
}

TEST(SimulatedRouterPagingTest, EveryInterfaceAndPortOnceAtEveryPageSize) {
  auto c = config(200, 3, true);
  c.site_to_site = 9;
  c.site_to_site_disabled = 2;
  Sim sim(c);
  ASSERT_EQ(sim.connect(), status::kSuccess);
  const auto all_ports = ports(sim);
  const auto all_interfaces = interfaces(sim);
  ASSERT_EQ(all_interfaces.size(), 14u);
  for (uint32_t pref : {kPortSize, kPortSize + 1, 2 * kPortSize, 4096u, 65536u, 1000000u, kPrefMaxAll}) {
    SCOPED_TRACE("page size " + std::to_string(pref));
    PageStats stats;
    const auto paged = readAll<Port>(
        [&](uint32_t& resume, PortPage& page) { return sim.router.enumPorts(sim.handle, pref, resume, page); }, &stats);
    ASSERT_EQ(paged.size(), all_ports.size());
    EXPECT_EQ(stats.duplicates_dropped, 0u);
    for (size_t i = 0; i < paged.size(); ++i) EXPECT_EQ(paged[i].handle, all_ports[i].handle);
    if (pref != kPrefMaxAll) {
      const uint64_t per_page = pref / kPortSize + 1;  // one more than fits (MS-RRASM 3.1.4.46)
      EXPECT_EQ(stats.pages, (all_ports.size() + per_page - 1) / per_page);
    }
  }
  for (uint32_t pref : {kInterfaceSize, kInterfaceSize + 1, 3 * kInterfaceSize, 65536u, kPrefMaxAll}) {
    SCOPED_TRACE("page size " + std::to_string(pref));
    PageStats stats;
    const auto paged = readAll<RouterInterface>(
        [&](uint32_t& resume, InterfacePage& page) {
          return sim.router.enumInterfaces(sim.handle, pref, resume, page);
        },
        &stats);
    ASSERT_EQ(paged.size(), all_interfaces.size());
    for (size_t i = 0; i < paged.size(); ++i) EXPECT_EQ(paged[i].name, all_interfaces[i].name);
  }
}

TEST(SimulatedRouterPagingTest, PortsPageLikeConnections) {
  Sim sim(config(10));
  ASSERT_EQ(sim.connect(), status::kSuccess);
  uint32_t resume = 0;
  PortPage page;
  // Exactly one entry's bytes: one fits, the router returns one more.
  EXPECT_EQ(sim.router.enumPorts(sim.handle, kPortSize, resume, page), status::kMoreData);
  EXPECT_EQ(page.entries_read, 2u);
  EXPECT_EQ(page.total_entries, 384u);
  EXPECT_EQ(resume, 2u);
  EXPECT_EQ(sim.router.enumPorts(sim.handle, kPortSize, resume, page), status::kMoreData);
  EXPECT_EQ(page.total_entries, 382u);
  EXPECT_EQ(resume, 4u);
  // Fewer bytes than one entry: zero entries.
  resume = 0;
  EXPECT_EQ(sim.router.enumPorts(sim.handle, kPortSize - 1, resume, page), status::kMoreData);
  EXPECT_EQ(page.entries_read, 0u);
  // The last page: success and resume 0.
  resume = 380;
  EXPECT_EQ(sim.router.enumPorts(sim.handle, 65536, resume, page), status::kSuccess);
  EXPECT_EQ(page.entries_read, 4u);
  EXPECT_EQ(resume, 0u);

  InterfacePage ipage;
  resume = 0;
  EXPECT_EQ(sim.router.enumInterfaces(sim.handle, kInterfaceSize, resume, ipage), status::kMoreData);
  EXPECT_EQ(ipage.entries_read, 2u);
  EXPECT_EQ(ipage.total_entries, 6u);  // Loopback, Internal, Ethernet and three site-to-site
}

TEST(SimulatedRouterFaultsTest, ARefusedInterfaceOrPortCallLeavesTheRestAnswering) {
  for (const auto& [name, code] :
       std::vector<std::pair<std::string, ApiCode>>{{"access_denied", status::kAccessDenied},
                                                    {"not_supported", status::kNotSupported},
                                                    {"call_not_implemented", status::kCallNotImplemented},
                                                    {"procnum_out_of_range", status::kRpcProcnumOutOfRange},
                                                    {"ddm_not_running", status::kDdmNotRunning},
                                                    {"server_unavailable", status::kRpcServerUnavailable}}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(simulatorFaultCode(name), code);
    for (bool refuse_interfaces : {true, false}) {
      auto c = config(20, 3, true);
      (refuse_interfaces ? c.interfaces_error : c.ports_error) = name;
      Sim sim(c);
      ASSERT_EQ(sim.connect(), status::kSuccess);
      uint32_t resume = 0;
      InterfacePage ipage;
      PortPage ppage;
      EXPECT_EQ(sim.router.enumInterfaces(sim.handle, kPrefMaxAll, resume, ipage),
                refuse_interfaces ? code : status::kSuccess);
      EXPECT_EQ(sim.router.enumPorts(sim.handle, kPrefMaxAll, resume, ppage),
                refuse_interfaces ? status::kSuccess : code);
      EXPECT_EQ(connectionsEx(sim).size(), 20u);
      ServerInfo info;
      EXPECT_EQ(sim.router.serverInfo(sim.handle, 2, info), status::kSuccess);
    }
  }
  EXPECT_EQ(simulatorFaultCode(""), status::kSuccess);
}

TEST(SimulatedRouterFaultsTest, EnumerationFaultsApplyToInterfacesAndPorts) {
  uint32_t resume = 0;
  InterfacePage ipage;
  PortPage ppage;

  auto c = config(5);
  c.ddm_not_running = true;
  Sim ddm(c);
  ASSERT_EQ(ddm.connect(), status::kSuccess);
  EXPECT_EQ(ddm.router.enumInterfaces(ddm.handle, kPrefMaxAll, resume, ipage), status::kDdmNotRunning);
  EXPECT_EQ(ddm.router.enumPorts(ddm.handle, kPrefMaxAll, resume, ppage), status::kDdmNotRunning);

  Sim unbound(config(5));
  EXPECT_EQ(unbound.router.enumInterfaces(999, kPrefMaxAll, resume, ipage), status::kRpcInvalidBinding);
  EXPECT_EQ(unbound.router.enumPorts(999, kPrefMaxAll, resume, ppage), status::kRpcInvalidBinding);

  // Every third enumeration call, whatever it enumerates, loses the binding.
  c = config(5);
  c.binding_lost_every = 3;
  Sim lost(c);
  ASSERT_EQ(lost.connect(), status::kSuccess);
  ConnectionPage cpage;
  EXPECT_EQ(lost.router.enumConnections(lost.handle, 0, kPrefMaxAll, resume, cpage), status::kSuccess);
  EXPECT_EQ(lost.router.enumInterfaces(lost.handle, kPrefMaxAll, resume, ipage), status::kSuccess);
  EXPECT_EQ(lost.router.enumPorts(lost.handle, kPrefMaxAll, resume, ppage), status::kRpcInvalidBinding);
  EXPECT_EQ(lost.router.enumInterfaces(lost.handle, kPrefMaxAll, resume, ipage), status::kRpcInvalidBinding);

  c = config(5);
  c.resume_stuck = true;
  Sim stuck(c);
  ASSERT_EQ(stuck.connect(), status::kSuccess);
  std::optional<PollError> error;
  readAll<Port>([&](uint32_t& r, PortPage& page) { return stuck.router.enumPorts(stuck.handle, 4096, r, page); },
                nullptr, &error);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->name, "RESUME_HANDLE_STUCK");

  c = config(5);
  c.hang_seconds = 3600;
  Sim hung(c);
  ASSERT_EQ(hung.connect(), status::kSuccess);
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    hung.router.cancel();
  });
  EXPECT_EQ(hung.router.enumPorts(hung.handle, kPrefMaxAll, resume, ppage), status::kCancelled);
  canceller.join();
}

TEST(SimulatedRouterConfigTest, ReadsTheInterfaceAndPortKeys) {
  const Config config = parseConfig(
      "routers:\n"
      "  - name: sim\n"
      "    source: simulator\n"
      "    simulator:\n"
      "      site_to_site: 5\n"
      "      site_to_site_disabled: 1\n"
      "      ports: {sstp: 128, ikev2: 128, l2tp: 64, pptp: 32, gre: 4}\n"
      "      faults: {interfaces_error: access_denied, ports_error: not_supported}\n",
      "test.yml");
  const SimulatorConfig& sim = config.routers.at(0).simulator;
  EXPECT_EQ(sim.site_to_site, 5u);
  EXPECT_EQ(sim.site_to_site_disabled, 1u);
  EXPECT_EQ(sim.ports,
            (std::map<std::string, uint32_t>{{"gre", 4}, {"ikev2", 128}, {"l2tp", 64}, {"pptp", 32}, {"sstp", 128}}));
  EXPECT_EQ(sim.interfaces_error, "access_denied");
  EXPECT_EQ(sim.ports_error, "not_supported");

  auto fails = [](const std::string& simulator, const std::string& expected) {
    try {
      parseConfig("routers:\n  - {name: sim, source: simulator, simulator: " + simulator + "}\n", "test.yml");
      ADD_FAILURE() << simulator << " was accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  };
  fails("{ports: {isdn: 2}}", "unknown key \"isdn\"");
  fails("{ports: {sstp: 10}, total_ports: 10}", "exclude each other");
  fails("{faults: {ports_error: teapot}}", "is not one of");
  fails("{site_to_site: -1}", "must be between");
}

}  // namespace
}  // namespace rras
