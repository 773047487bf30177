// The router fault matrix: one table of faults, each run through the real Poller, Enumerator,
// tracker and renderer next to a healthy "bystander" router. For every row: no crash, the right
// rras_up and error name, no wrong series (a failed router shows no connections; an up one shows
// each connection once), a valid exposition, and the bystander's series exactly as in a run
// without the faulty router.
//
// A row's `make` builds any RouterApi: the simulator, a scripted FakeRouterApi, the rrasm source
// over a transport that scripts DIMSVC's reply bytes (Linux build), or the mprapi source over an
// in-process mprapi function table (Windows build, run under Wine).
#include <gtest/gtest.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "exposition_parser.h"
#include "fake_router_api.h"
#include "metrics/exposition.h"
#include "metrics/metrics_store.h"
#include "model/utf8.h"
#include "poller/poller.h"
#include "sources/simulator/simulated_router.h"
#if defined(RRAS_WITH_RRASM)
#include "dimsvc_replies.h"
#include "scripted_transport.h"
#include "sources/rrasm/dimsvc_codec.h"
#endif
#if defined(_WIN32)
#include "scripted_mprapi.h"
#include "sources/mprapi/mprapi_router.h"
#endif

namespace rras {
namespace {

using testing::FakeRouterApi;
using testing::ScriptedPage;

constexpr double kNow = 1.7e9;  // a fixed wall clock: the bystander's series are reproducible

WallClock fixedClock() {
  return [] { return kNow; };
}

struct FaultRow {
  std::string name = "";
  std::function<std::unique_ptr<RouterApi>()> make = nullptr;  // the faulty router
  bool up = false;                                             // expected after the last poll
  std::string error = "";                                      // expected error name when !up
  int polls = 1;
  double timeout_seconds = 2;
  int64_t page_size_bytes = 65536;
  uint32_t max_connections = 20000;
  std::function<void(RouterApi&, int poll)> before_poll = nullptr;  // changes the router between polls
  // Extra checks: the router, every snapshot it published, and the parsed exposition.
  std::function<void(RouterApi&, const std::vector<RouterSnapshot>&, const testing::ParsedExposition&)> check = nullptr;
};

std::function<std::unique_ptr<RouterApi>()> sim(std::function<void(SimulatorConfig&)> fault) {
  return [fault] {
    SimulatorConfig c;
    c.connections = 25;
    c.seed = 3;
    c.enum_ex = true;
    fault(c);
    return std::make_unique<SimulatedRouter>(c, fixedClock());
  };
}

std::function<std::unique_ptr<RouterApi>()> fake(std::function<void(FakeRouterApi&)> script) {
  return [script] {
    auto f = std::make_unique<FakeRouterApi>();
    script(*f);
    return f;
  };
}

FakeRouterApi& asFake(RouterApi& api) { return dynamic_cast<FakeRouterApi&>(api); }

// Series of `family` that belong to the faulty router (the bystander has its own).
size_t victimCount(const testing::ParsedExposition& parsed, const std::string& family) {
  size_t n = 0;
  for (const auto& [key, value] : parsed.series) {
    n += key.rfind(family + "{", 0) == 0 && key.find("router=\"victim\"") != std::string::npos;
  }
  return n;
}

// True once `done` holds, false if it still does not after 5 s (a loaded machine unwinds slowly).
bool eventually(const std::function<bool()>& done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done()) {
    if (std::chrono::steady_clock::now() >= give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

using Check = std::function<void(RouterApi&, const std::vector<RouterSnapshot>&, const testing::ParsedExposition&)>;

// A kind read after the connections: its collector, the call messages name, and a family only its
// series fill.
struct KindCall {
  std::string collector, call, family;
};
const KindCall kInterfacesCall{"interfaces", "MprAdminInterfaceEnum", "rras_interface_info"};
const KindCall kPortsCall{"ports", "MprAdminPortEnum", "rras_ports_by_condition"};

double collectorSuccess(const testing::ParsedExposition& parsed, const std::string& collector) {
  const auto it = parsed.series.find("rras_collector_success{collector=\"" + collector + "\",router=\"victim\"}");
  return it == parsed.series.end() ? -1 : it->second;
}

const CollectorStatus* collectorOf(const RouterSnapshot& s, const std::string& name) {
  for (const auto& c : s.collectors) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// The router stays up with its `connections`; only `kind`'s collector fails, with `error` and a
// message that names `names`; its series are gone and every other collector's remain. After a hang
// (`hang`), the kinds after the hung one were not reached in the poll and fail with it.
Check onlyCollectorFails(const KindCall& kind, const std::string& error, const std::string& names, size_t connections,
                         bool hang = false) {
  return [=](RouterApi&, const std::vector<RouterSnapshot>& snaps, const testing::ParsedExposition& parsed) {
    const RouterSnapshot& last = snaps.back();
    EXPECT_TRUE(last.up);
    EXPECT_EQ(last.connections.size(), connections);
    EXPECT_EQ(parsed.series.at("rras_up{router=\"victim\"}"), 1);
    EXPECT_EQ(collectorSuccess(parsed, "connections"), 1);
    EXPECT_EQ(collectorSuccess(parsed, "server"), 1);
    EXPECT_EQ(parsed.series.count("rras_ports{router=\"victim\"}"), 1u);  // the server collector's series stay
    EXPECT_EQ(collectorSuccess(parsed, kind.collector), 0);
    const CollectorStatus* failed = collectorOf(last, kind.collector);
    ASSERT_TRUE(failed && failed->error) << kind.collector << " did not fail";
    EXPECT_EQ(failed->error->name, error) << failed->error->message;
    EXPECT_NE(failed->error->message.find(names), std::string::npos) << failed->error->message;
    EXPECT_EQ(victimCount(parsed, kind.family), 0u) << "a failed collector's series remain";
    bool after = false;
    for (const KindCall* other : {&kInterfacesCall, &kPortsCall}) {
      if (other->collector == kind.collector) {
        after = true;
        continue;
      }
      if (hang && after) {  // not reached before the deadline
        EXPECT_EQ(collectorSuccess(parsed, other->collector), 0) << other->collector;
        EXPECT_EQ(victimCount(parsed, other->family), 0u) << other->family;
      } else {
        EXPECT_EQ(collectorSuccess(parsed, other->collector), 1) << other->collector;
        EXPECT_GT(victimCount(parsed, other->family), 0u) << other->family;
      }
    }
  };
}

// The deadline of the rows where a collector hangs: the connections must be read before it, also
// on a loaded machine or under TSan, or the whole router fails.
constexpr double kCollectorHangTimeout = 1.0;

// The message of a collector that hung: it names the collector.
std::string hungCollector(const KindCall& kind) { return "the " + kind.collector + " collector did not finish"; }

Check both(Check first, Check second) {
  return [=](RouterApi& api, const std::vector<RouterSnapshot>& snaps, const testing::ParsedExposition& parsed) {
    first(api, snaps, parsed);
    second(api, snaps, parsed);
  };
}

// A router that pages forever: ERROR_MORE_DATA with a new resume handle and a new entry each time.
class EndlessPagesApi : public FakeRouterApi {
 public:
  ApiCode enumConnectionsEx(RouterHandle, uint32_t, uint32_t& resume, ConnectionPage& page) override {
    page = ConnectionPage{};
    page.entries.push_back(make(++resume, -1));
    page.entries_read = 1;
    return status::kMoreData;
  }
};

// A source whose decoder throws (a bug or an allocation failure inside one router).
class ThrowingApi : public FakeRouterApi {
 public:
  ApiCode enumConnectionsEx(RouterHandle, uint32_t, uint32_t&, ConnectionPage&) override {
    throw std::runtime_error("reply decoder failed");
  }
};

std::vector<uint64_t> handles(uint64_t first, uint64_t count) {
  std::vector<uint64_t> out;
  for (uint64_t h = first; h < first + count; ++h) out.push_back(h);
  return out;
}

ScriptedPage page(ApiCode code, std::vector<uint64_t> hs, uint32_t next_resume = 0, int claimed = -1) {
  return ScriptedPage{code, std::move(hs), next_resume, claimed};
}

#if defined(RRAS_WITH_RRASM)
// ---- the rrasm source over scripted DIMSVC replies ----
using testing::ScriptedCall;
using testing::ScriptedRrasmRouter;
using testing::ScriptedTransport;
namespace replies = rrasm::replies;

constexpr uint32_t kWin32InvalidLevel = 124, kWin32MoreData = 234, kFaultOpRangeError = 0x1C010002;

// What the healthy DIMSVC lists besides connections: five interfaces (opnum 20) and four ports
// (opnum 4), `per_page` a page.
constexpr uint32_t kDimsvcInterfaces = 5, kDimsvcPorts = 4;

replies::Bytes interfaceBytes(uint32_t i) {
  replies::InterfaceEntry x;
  x.handle = 0x700 + i;
  x.name = u"site-";
  x.name += static_cast<char16_t>(u'0' + i);
  x.state = i % 2 ? 0 : 3;  // unreachable or connected
  return replies::interfaceEntry(x);
}

replies::Bytes portBytes(uint32_t i) {
  replies::PortEntry x;
  x.handle = 0x500 + i;
  x.condition = i == 0 ? 5 : 3;  // authenticated, else listening
  x.calls = i + 1;
  return replies::portEntry(x);
}

// The resume handle in an opnum 20 or 4 request.
uint32_t kindResume(uint16_t opnum, std::span<const uint8_t> in) {
  return rrasm::loadU32(in, opnum == rrasm::kOpInterfaceEnum ? 20 : 24);
}

// One opnum 20 or 4 reply from `resume`: ERROR_MORE_DATA with the next position while more remain.
replies::Bytes kindPage(uint16_t opnum, uint32_t resume, uint32_t per_page) {
  const bool interfaces = opnum == rrasm::kOpInterfaceEnum;
  const uint32_t count = interfaces ? kDimsvcInterfaces : kDimsvcPorts;
  const uint32_t end = std::min(count, resume + per_page);
  std::vector<replies::Bytes> entries;
  for (uint32_t i = resume; i < end; ++i) entries.push_back(interfaces ? interfaceBytes(i) : portBytes(i));
  const bool more = end < count;
  return replies::flatReply(replies::concat(entries), end - resume, count - resume, more ? end : 0,
                            more ? kWin32MoreData : 0);
}

// A well-behaved DIMSVC: server info level 0 only, `count` connections (handles 0x100..., every
// second one IKEv2 so that IKEv2 entries end pages that continue with ERROR_MORE_DATA),
// `per_page` entries a page through opnum 45 (when `enum_ex`) or opnum 1 level 0, and the
// interfaces and ports above.
ScriptedTransport::Answer dimsvc(uint32_t count = 5, uint32_t per_page = 2, bool enum_ex = true) {
  return [=](uint16_t opnum, std::span<const uint8_t> in) -> ScriptedCall {
    if (opnum == rrasm::kOpInterfaceEnum || opnum == rrasm::kOpPortEnum) {
      return {kindPage(opnum, kindResume(opnum, in), per_page)};
    }
    if (opnum == rrasm::kOpServerGetInfo) {
      if (rrasm::loadU32(in, 0) != 0) return {replies::serverInfoStatusReply(kWin32InvalidLevel)};
      return {replies::serverInfo0Reply(3600, 128, count)};
    }
    const bool ex = opnum == rrasm::kOpConnectionEnumEx;
    if (ex && !enum_ex) return {{}, 0xC002002E, kFaultOpRangeError};  // nca_op_rng_error, as Windows 2008
    const uint32_t resume = rrasm::loadU32(in, ex ? 12 : 20);
    if (!ex && rrasm::loadU32(in, 0) != 0) return {replies::enumReply({}, 0, 0, resume, kWin32InvalidLevel)};
    const uint32_t end = std::min(count, resume + per_page);
    const uint32_t next = end < count ? end : 0;
    const uint32_t status = end < count ? kWin32MoreData : 0;
    std::vector<replies::Bytes> entries;
    replies::Bytes flat;
    for (uint32_t i = resume; i < end; ++i) {
      if (ex) {
        entries.push_back(replies::exElement(i % 2 == 1, 0x100 + i));
      } else {
        const auto e = replies::level0Entry(0x100 + i, u"user");
        flat.insert(flat.end(), e.begin(), e.end());
      }
    }
    if (ex) return {replies::exReply(entries, count - resume, next, status)};
    return {replies::enumReply(flat, end - resume, count - resume, next, status)};
  };
}

// The healthy server with one opnum's answers rewritten by `change` (called with a call counter).
ScriptedTransport::Answer dimsvcWith(uint16_t opnum, std::function<void(ScriptedCall&, int call)> change) {
  auto healthy = dimsvc();
  auto calls = std::make_shared<int>(0);
  return [=](uint16_t op, std::span<const uint8_t> in) {
    ScriptedCall c = healthy(op, in);
    if (op == opnum) change(c, (*calls)++);
    return c;
  };
}

std::function<std::unique_ptr<RouterApi>()> rrasmRouter(std::function<ScriptedTransport::Answer()> answer,
                                                        uint32_t connect_status = 0, double connect_hang_seconds = 0) {
  return [=] {
    return std::unique_ptr<RouterApi>(
        std::make_unique<ScriptedRrasmRouter>(answer(), connect_status, connect_hang_seconds));
  };
}

testing::TransportStats& rrasmStats(RouterApi& api) { return *dynamic_cast<ScriptedRrasmRouter&>(api).stats; }

// Rows for opnum 20 (interfaces) or 4 (ports) through the real codec: refusals, paging, malformed
// replies, a hang. The connections (5) are read first in every row and must stay.
std::vector<FaultRow> rrasmKindRows(uint16_t opnum, const KindCall& kind) {
  const std::string what = "rrasm: opnum " + std::to_string(opnum) + " (" + kind.collector + ") ";
  const size_t entry_size = opnum == rrasm::kOpInterfaceEnum ? rrasm::kMpriInterface0Size : rrasm::kRasiPort0Size;
  auto changed = [opnum](std::function<void(ScriptedCall&, int call)> change) {
    return rrasmRouter([=] { return dimsvcWith(opnum, change); });
  };
  auto fails = [&](const std::string& error, const std::string& names = "") {
    return onlyCollectorFails(kind, error, names.empty() ? kind.call : names, 5);
  };
  // Two whole entries as the healthy server sends them, for the malformed replies below.
  const replies::Bytes two = opnum == rrasm::kOpInterfaceEnum ? replies::concat({interfaceBytes(0), interfaceBytes(1)})
                                                              : replies::concat({portBytes(0), portBytes(1)});
  std::vector<FaultRow> rows = {
      {.name = what + "refused: ERROR_ACCESS_DENIED in the reply",
       .make = changed([](ScriptedCall& c, int) { c.stub = replies::flatReply({}, 0, 0, std::nullopt, 5); }),
       .up = true,
       .check = fails("ERROR_ACCESS_DENIED")},
      {.name = what + "refused: ERROR_NOT_SUPPORTED in the reply",
       .make = changed([](ScriptedCall& c, int) { c.stub = replies::flatReply({}, 0, 0, std::nullopt, 50); }),
       .up = true,
       .check = fails("ERROR_NOT_SUPPORTED")},
      {.name = what + "missing: nca_op_rng_error fault",
       .make = changed([](ScriptedCall& c, int) {
         c = ScriptedCall{{}, 0xC002002E, kFaultOpRangeError};
       }),
       .up = true,
       .check = fails("RPC_S_PROCNUM_OUT_OF_RANGE")},
      {.name = what + "entry bytes one short of a whole structure",
       .make = changed([two](ScriptedCall& c, int) {
         c.stub = replies::flatReply(replies::Bytes(two.begin(), two.end() - 1), 2, 2, 0, 0);
       }),
       .up = true,
       .check = fails("RPC_X_BAD_STUB_DATA")},
      {.name = what + "entry count larger than the buffer",
       .make = changed([two](ScriptedCall& c, int) { c.stub = replies::flatReply(two, 5, 5, 0, 0); }),
       .up = true,
       .check = fails("RPC_X_BAD_STUB_DATA")},
      {.name = what + "stub cut short inside the buffer",
       .make = changed([](ScriptedCall& c, int) { c.stub.resize(c.stub.size() / 2); }),
       .up = true,
       .check = fails("RPC_X_BAD_STUB_DATA")},
      {.name = what + "NULL pBuffer with a buffer size and entries",
       .make = changed([entry_size](ScriptedCall& c, int) {
         replies::Stub stub;
         for (uint32_t v : {static_cast<uint32_t>(2 * entry_size), 0u, 2u, 2u, 0x00020000u, 0u, 0u}) stub.u32(v);
         c.stub = stub.b;
       }),
       .up = true,
       .check = fails("RPC_X_BAD_STUB_DATA")},
      {.name = what + "never answered",
       .make = changed([](ScriptedCall& c, int) { c.hang = true; }),
       .up = true,
       .polls = 2,
       .timeout_seconds = kCollectorHangTimeout,
       .check = both(onlyCollectorFails(kind, "POLL_DEADLINE_EXCEEDED", hungCollector(kind), 5, true),
                     [](RouterApi& api, const auto&, const auto&) {
                       auto& stats = rrasmStats(api);
                       EXPECT_TRUE(eventually([&] {
                         std::lock_guard lock(stats.mu);
                         return stats.hang_cancelled;
                       })) << "cancel() did not end the hanging call";
                       std::lock_guard lock(stats.mu);
                       EXPECT_GE(stats.connects, 2) << "the abandoned binding was reused";
                     })},
  };
  // Paging: every page asked for from the resume handle the one before returned.
  auto resumes = std::make_shared<std::vector<uint32_t>>();
  rows.push_back(
      {.name = what + "over several pages",
       .make = rrasmRouter([=] {
         resumes->clear();
         auto healthy = dimsvc();
         return ScriptedTransport::Answer([=](uint16_t op, std::span<const uint8_t> in) {
           if (op == opnum) resumes->push_back(kindResume(op, in));
           return healthy(op, in);
         });
       }),
       .up = true,
       .check = [=](RouterApi&, const auto& snaps, const auto& parsed) {
         const RouterSnapshot& last = snaps.back();
         EXPECT_EQ(collectorSuccess(parsed, kind.collector), 1);
         if (opnum == rrasm::kOpInterfaceEnum) {
           ASSERT_GE(resumes->size(), 3u);  // a later poll may have begun before the poller stopped
           EXPECT_EQ(std::vector<uint32_t>(resumes->begin(), resumes->begin() + 3), (std::vector<uint32_t>{0, 2, 4}));
           ASSERT_TRUE(last.interfaces);
           ASSERT_EQ(last.interfaces->size(), kDimsvcInterfaces);
           for (uint32_t i = 0; i < kDimsvcInterfaces; ++i) {
             EXPECT_EQ((*last.interfaces)[i].name, "site-" + std::to_string(i));
             EXPECT_EQ((*last.interfaces)[i].handle, 0x700u + i);
           }
           EXPECT_EQ(
               parsed.series.at("rras_interface_state{interface=\"site-1\",router=\"victim\",state=\"unreachable\"}"),
               1);
         } else {
           ASSERT_GE(resumes->size(), 2u);
           EXPECT_EQ(std::vector<uint32_t>(resumes->begin(), resumes->begin() + 2), (std::vector<uint32_t>{0, 2}));
           ASSERT_TRUE(last.ports);
           EXPECT_EQ(last.ports->by_condition.at("sstp").at(PortCondition::kListening), 3u);
           EXPECT_EQ(last.ports->by_condition.at("sstp").at(PortCondition::kAuthenticated), 1u);
           EXPECT_EQ(parsed.series.at("rras_port_calls_total{protocol=\"sstp\",router=\"victim\"}"), 1 + 2 + 3 + 4);
         }
       }});
  return rows;
}

std::vector<FaultRow> rrasmRows() {
  std::vector<FaultRow> rows = {
      {.name = "rrasm: EnumEx over three pages",
       .make = rrasmRouter([] { return dimsvc(); }),
       .up = true,
       .check =
           [](RouterApi&, const auto& snaps, const auto&) {
             EXPECT_EQ(snaps.back().level, "ex");
             ASSERT_EQ(snaps.back().connections.size(), 5u);
             for (uint32_t i = 0; i < 5; ++i) {
               const Connection& c = snaps.back().connections[i].connection;
               EXPECT_EQ(c.handle, 0x100u + i);
               EXPECT_EQ(c.interface_handle, 0x55u);
               EXPECT_EQ(c.protocol, i % 2 ? "ikev2" : "ppp");
             }
           }},
      {.name = "rrasm: EnumEx answers ERROR_CALL_NOT_IMPLEMENTED",
       .make = rrasmRouter([] {
         return dimsvcWith(rrasm::kOpConnectionEnumEx,
                           [](ScriptedCall& c, int) { c.stub = replies::exReply({}, 0, 0, 120); });
       }),
       .up = true,
       .check =
           [](RouterApi&, const auto& snaps, const auto&) {
             EXPECT_EQ(snaps.back().level, "0");  // opnum 1 levels 3 to 1 answer ERROR_INVALID_LEVEL
             EXPECT_EQ(snaps.back().connections.size(), 5u);
           }},
      {.name = "rrasm: opnum 45 missing, levels 3 to 1 refused",
       .make = rrasmRouter([] { return dimsvc(3, 1, false); }),
       .up = true,
       .check =
           [](RouterApi&, const auto& snaps, const auto&) {
             EXPECT_EQ(snaps.back().level, "0");
             EXPECT_EQ(snaps.back().connections.size(), 3u);
           }},
      {.name = "rrasm: truncated reply",
       .make = rrasmRouter([] {
         return dimsvcWith(rrasm::kOpConnectionEnumEx, [](ScriptedCall& c, int) { c.stub.resize(c.stub.size() / 2); });
       }),
       .error = "RPC_X_BAD_STUB_DATA"},
      {.name = "rrasm: element count far beyond the reply's bytes",
       .make = rrasmRouter([] {
         return dimsvcWith(rrasm::kOpConnectionEnumEx, [](ScriptedCall& c, int) {
           for (size_t i : {0, 12}) {  // dwCount and the array's conformance: 16 M elements, agreeing
             c.stub[i] = 0;
             c.stub[i + 1] = 0;
             c.stub[i + 2] = 0;
             c.stub[i + 3] = 1;
           }
         });
       }),
       .error = "RPC_X_BAD_STUB_DATA"},
      {.name = "rrasm: connection reset in the middle of paging",
       .make = rrasmRouter([] {
         return dimsvcWith(rrasm::kOpConnectionEnumEx, [](ScriptedCall& c, int call) {
           if (call == 1) c = ScriptedCall{{}, 0xC000020D};  // NT_STATUS_CONNECTION_RESET
         });
       }),
       .up = true,
       .check =
           [](RouterApi& api, const auto& snaps, const auto&) {
             EXPECT_EQ(rrasmStats(api).connects, 2);
             EXPECT_EQ(snaps.back().connections.size(), 5u);
           }},
      {.name = "rrasm: enumeration never answered",
       .make = rrasmRouter(
           [] { return dimsvcWith(rrasm::kOpConnectionEnumEx, [](ScriptedCall& c, int) { c.hang = true; }); }),
       .error = "POLL_DEADLINE_EXCEEDED",
       .timeout_seconds = 0.3,
       .check =
           [](RouterApi& api, const auto&, const auto&) {
             auto& stats = rrasmStats(api);
             EXPECT_TRUE(eventually([&] {
               std::lock_guard lock(stats.mu);
               return stats.hang_cancelled;
             })) << "cancel() did not end the hanging call";
           }},
      {.name = "rrasm: connect to a silent server ignores cancel",
       .make = rrasmRouter([] { return dimsvc(); }, 0, 1.5),
       .error = "POLL_DEADLINE_EXCEEDED",
       .timeout_seconds = 0.3},
      {.name = "rrasm: wrong password at the bind",
       .make = rrasmRouter([] { return dimsvc(); }, 0xC000006D),  // NT_STATUS_LOGON_FAILURE
       .error = "ERROR_LOGON_FAILURE"},
      {.name = "rrasm: bind refused, DIMSVC not registered",
       .make = rrasmRouter([] { return dimsvc(); }, 0xC0020012),  // NT_STATUS_RPC_UNKNOWN_IF
       .error = "RPC_S_UNKNOWN_IF"},
      {.name = "rrasm: DDM not running in the reply's status",
       .make = rrasmRouter([] {
         return dimsvcWith(rrasm::kOpConnectionEnumEx,
                           [](ScriptedCall& c, int) { c.stub = replies::exReply({}, 0, 0, 903); });
       }),
       .error = "ERROR_DDM_NOT_RUNNING"},
      {.name = "rrasm: access denied as a DCE/RPC fault",
       .make = rrasmRouter([] {
         return dimsvcWith(rrasm::kOpConnectionEnumEx, [](ScriptedCall& c, int) {
           c = ScriptedCall{{}, 0xC0000022, 5};
         });
       }),
       .error = "ERROR_ACCESS_DENIED"},
      {.name = "rrasm: server info refused, only the server collector fails",
       .make = rrasmRouter([] {
         return dimsvcWith(rrasm::kOpServerGetInfo, [](ScriptedCall& c, int) { c = ScriptedCall{{}, 0xC0000022, 5}; });
       }),
       .up = true,
       .check =
           [](RouterApi&, const auto& snaps, const auto& parsed) {
             EXPECT_EQ(snaps.back().connections.size(), 5u);
             EXPECT_EQ(parsed.series.at("rras_collector_success{collector=\"server\",router=\"victim\"}"), 0);
             EXPECT_EQ(parsed.series.at("rras_collector_success{collector=\"connections\",router=\"victim\"}"), 1);
             EXPECT_EQ(parsed.series.count("rras_ports{router=\"victim\"}"), 0u);  // a failed collector's series go
           }},
      {.name = "rrasm: resume handle that never advances",
       .make = rrasmRouter([] {
         return dimsvcWith(rrasm::kOpConnectionEnumEx, [](ScriptedCall& c, int call) {
           c.stub =
               replies::exReply({replies::exElement(false, 0x200 + static_cast<uint32_t>(call))}, 9, 7, kWin32MoreData);
         });
       }),
       .error = "RESUME_HANDLE_STUCK"},
  };
  for (auto [opnum, kind] :
       {std::pair{rrasm::kOpInterfaceEnum, kInterfacesCall}, std::pair{rrasm::kOpPortEnum, kPortsCall}}) {
    for (auto& row : rrasmKindRows(opnum, kind)) rows.push_back(std::move(row));
  }
  return rows;
}
#endif

const std::vector<FaultRow>& genericRows() {
  static const std::vector<FaultRow> rows = {
      {.name = "hang past the poll deadline",
       .make = sim([](SimulatorConfig& c) { c.hang_seconds = 3600; }),
       .error = "POLL_DEADLINE_EXCEEDED",
       .timeout_seconds = 0.3},
      {.name = "failure in the middle of paging",
       .make = fake([](FakeRouterApi& f) {
         f.pages[-1] = {page(status::kMoreData, {1, 2}, 2), page(status::kInvalidData, {})};
       }),
       .error = "ERROR_INVALID_DATA"},
      {.name = "binding lost in the middle of paging, the reconnect succeeds",
       .make = fake([](FakeRouterApi& f) {
         f.pages[-1] = {page(status::kMoreData, {1, 2}, 2), page(status::kRpcCallFailed, {}),
                        page(status::kSuccess, {1, 2, 3})};
       }),
       .up = true,
       .check =
           [](RouterApi& api, const auto& snaps, const auto&) {
             EXPECT_EQ(asFake(api).connects, 2);
             EXPECT_EQ(snaps.back().connections.size(), 3u);
           }},
      {.name = "binding lost on every call",
       .make = sim([](SimulatorConfig& c) { c.binding_lost_every = 1; }),
       .error = "RPC_S_INVALID_BINDING"},
      {.name = "binding lost at the first call of a poll",
       .make = fake([](FakeRouterApi& f) {
         f.pages[-1] = {page(status::kRpcInvalidBinding, {}), page(status::kSuccess, {5, 6})};
       }),
       .up = true},
      {.name = "resume handle that never advances",
       .make = sim([](SimulatorConfig& c) { c.resume_stuck = true; }),
       .error = "RESUME_HANDLE_STUCK",
       .page_size_bytes = 4000},
      {.name = "router that pages forever",
       .make = [] { return std::unique_ptr<RouterApi>(std::make_unique<EndlessPagesApi>()); },
       .error = "PAGE_LIMIT",
       .timeout_seconds = 30},  // the page limit, not the deadline, must end it, however loaded the machine
      // Interfaces and ports: whatever goes wrong there fails only their collector.
      {.name = "interfaces refused with access denied",
       .make = fake([](FakeRouterApi& f) {
         f.pages[-1] = {page(status::kSuccess, {1, 2})};
         f.interfaces_refuse = status::kAccessDenied;
         f.port_pages = {page(status::kSuccess, {7})};
       }),
       .up = true,
       .check =
           [](RouterApi&, const auto& snaps, const auto& parsed) {
             EXPECT_EQ(snaps.back().connections.size(), 2u);
             EXPECT_EQ(parsed.series.at("rras_collector_success{collector=\"interfaces\",router=\"victim\"}"), 0);
             EXPECT_EQ(parsed.series.at("rras_collector_success{collector=\"ports\",router=\"victim\"}"), 1);
             EXPECT_EQ(victimCount(parsed, "rras_interface_info"), 0u);
             EXPECT_EQ(victimCount(parsed, "rras_ports_by_condition"), 7u);  // sstp: every condition
           }},
      {.name = "ports call missing (RPC_S_PROCNUM_OUT_OF_RANGE)",
       .make = fake([](FakeRouterApi& f) {
         f.ports_refuse = status::kRpcProcnumOutOfRange;
         f.interface_pages = {page(status::kSuccess, {3})};
       }),
       .up = true,
       .check =
           [](RouterApi&, const auto&, const auto& parsed) {
             EXPECT_EQ(parsed.series.at("rras_collector_success{collector=\"ports\",router=\"victim\"}"), 0);
             EXPECT_EQ(victimCount(parsed, "rras_ports_by_condition"), 0u);
             EXPECT_EQ(
                 parsed.series.at("rras_interface_state{interface=\"tunnel-3\",router=\"victim\",state=\"connected\"}"),
                 1);
           }},
      {.name = "interfaces paged over three pages, a duplicate dropped",
       .make = fake([](FakeRouterApi& f) {
         f.interface_pages = {page(status::kMoreData, {1, 2}, 2), page(status::kMoreData, {2, 3}, 4),
                              page(status::kSuccess, {4})};
       }),
       .up = true,
       .check =
           [](RouterApi&, const auto& snaps, const auto& parsed) {
             ASSERT_TRUE(snaps.back().interfaces);
             EXPECT_EQ(snaps.back().interfaces->size(), 4u);
             EXPECT_EQ(victimCount(parsed, "rras_interface_info"), 4u);
           }},
      {.name = "ports resume handle that never advances",
       .make = fake([](FakeRouterApi& f) {
         f.port_pages = {page(status::kMoreData, {1}, 5), page(status::kMoreData, {2}, 5)};
       }),
       .up = true,
       .check =
           [](RouterApi&, const auto& snaps, const auto& parsed) {
             const auto& c = snaps.back().collectors;
             const auto ports = std::find_if(c.begin(), c.end(), [](const auto& s) { return s.name == "ports"; });
             ASSERT_NE(ports, c.end());
             ASSERT_TRUE(ports->error);
             EXPECT_EQ(ports->error->name, "RESUME_HANDLE_STUCK");
             EXPECT_EQ(victimCount(parsed, "rras_ports_by_condition"), 0u);
           }},
      {.name = "interfaces reply whose count disagrees with its entries",
       .make = fake([](FakeRouterApi& f) {
         f.interface_pages = {page(status::kSuccess, {1, 2}, 0, 5)};
       }),
       .up = true,
       .check =
           [](RouterApi&, const auto&, const auto& parsed) {
             EXPECT_EQ(parsed.series.at("rras_collector_success{collector=\"interfaces\",router=\"victim\"}"), 0);
           }},
      {.name = "binding lost while reading ports: the next poll reconnects",
       .make = fake([](FakeRouterApi& f) { f.port_pages = {page(status::kRpcCallFailed, {})}; }),
       .up = true,
       .polls = 2,
       .check =
           [](RouterApi& api, const auto& snaps, const auto&) {
             EXPECT_EQ(asFake(api).connects, 2);
             EXPECT_EQ(snaps.size(), 2u);
           }},
      // A hang in a call after the connections: the router is published up with them at the
      // deadline; the hung collector (and any after it) fails; the next poll binds again.
      {.name = "interfaces call hangs",
       .make = fake([](FakeRouterApi& f) {
         f.pages[-1] = {page(status::kSuccess, {1, 2}), page(status::kSuccess, {1, 2})};
         f.interfaces_hang = true;
       }),
       .up = true,
       .polls = 2,
       .timeout_seconds = kCollectorHangTimeout,
       .check =
           both(onlyCollectorFails(kInterfacesCall, "POLL_DEADLINE_EXCEEDED", hungCollector(kInterfacesCall), 2, true),
                [](RouterApi& api, const auto&, const auto&) {
                  EXPECT_GE(asFake(api).connects, 2) << "the abandoned binding was reused";
                  EXPECT_TRUE(eventually([&] { return asFake(api).hangCancelled(); }));
                })},
      {.name = "ports call hangs",
       .make = fake([](FakeRouterApi& f) {
         f.pages[-1] = {page(status::kSuccess, {1, 2}), page(status::kSuccess, {1, 2})};
         f.interface_pages = {page(status::kSuccess, {3}), page(status::kSuccess, {3})};
         f.ports_hang = true;
       }),
       .up = true,
       .polls = 2,
       .timeout_seconds = kCollectorHangTimeout,
       .check = both(onlyCollectorFails(kPortsCall, "POLL_DEADLINE_EXCEEDED", hungCollector(kPortsCall), 2, true),
                     [](RouterApi& api, const auto&, const auto&) {
                       EXPECT_GE(asFake(api).connects, 2) << "the abandoned binding was reused";
                       EXPECT_TRUE(eventually([&] { return asFake(api).hangCancelled(); }));
                     })},
      {.name = "simulator: interfaces call hangs",
       .make = sim([](SimulatorConfig& c) { c.interfaces_hang_seconds = 3600; }),
       .up = true,
       .timeout_seconds = kCollectorHangTimeout,
       .check =
           onlyCollectorFails(kInterfacesCall, "POLL_DEADLINE_EXCEEDED", hungCollector(kInterfacesCall), 25, true)},
      {.name = "simulator: ports call hangs",
       .make = sim([](SimulatorConfig& c) { c.ports_hang_seconds = 3600; }),
       .up = true,
       .timeout_seconds = kCollectorHangTimeout,
       .check = onlyCollectorFails(kPortsCall, "POLL_DEADLINE_EXCEEDED", hungCollector(kPortsCall), 25, true)},
      {.name = "duplicated entries across pages",
       .make = fake([](FakeRouterApi& f) {
         f.pages[-1] = {page(status::kMoreData, {1, 2}, 2), page(status::kSuccess, {2, 3})};
       }),
       .up = true,
       .check =
           [](RouterApi&, const auto& snaps, const auto& parsed) {
             EXPECT_EQ(snaps.back().duplicates_dropped, 1u);
             EXPECT_EQ(parsed.count("rras_connection_info"), 3u + 40u);  // victim + bystander
           }},
      {.name = "entries read larger than the page",
       .make = fake([](FakeRouterApi& f) {
         f.pages[-1] = {page(status::kSuccess, {1, 2}, 0, 5)};
       }),
       .error = "MALFORMED_REPLY"},
      {.name = "entries read smaller than the page",
       .make = fake([](FakeRouterApi& f) {
         f.pages[-1] = {page(status::kSuccess, {1, 2}, 0, 1)};
       }),
       .error = "MALFORMED_REPLY"},
      {.name = "EnumEx and level 3 refused: level 2 is used",
       .make = sim([](SimulatorConfig& c) {
         c.enum_ex = false;
         c.max_level = 2;
       }),
       .up = true,
       .check = [](RouterApi&, const auto& snaps, const auto&) { EXPECT_EQ(snaps.back().level, "2"); }},
      {.name = "every level refused",
       .make = fake([](FakeRouterApi& f) {
         for (int level = -1; level <= 3; ++level) f.refuse[level] = status::kInvalidLevel;
       }),
       .error = "ERROR_INVALID_LEVEL"},
      {.name = "access denied at connect",
       .make = sim([](SimulatorConfig& c) { c.connect_error = "access_denied"; }),
       .error = "ERROR_ACCESS_DENIED"},
      {.name = "access denied while enumerating",
       .make = fake([](FakeRouterApi& f) { f.refuse[-1] = status::kAccessDenied; }),
       .error = "ERROR_ACCESS_DENIED"},
      {.name = "DDM not running (routing not enabled)",
       .make = sim([](SimulatorConfig& c) { c.ddm_not_running = true; }),
       .error = "ERROR_DDM_NOT_RUNNING",
       .check =
           [](RouterApi&, const auto& snaps, const auto&) {
             EXPECT_NE(snaps.back().error->message.find("routing not enabled"), std::string::npos);
           }},
      {.name = "RemoteAccess service stopped",
       .make = sim([](SimulatorConfig& c) { c.service_running = false; }),
       .error = "ERROR_DDM_NOT_RUNNING",
       .check = [](RouterApi&, const auto& snaps,
                   const auto&) { EXPECT_NE(snaps.back().error->message.find("stopped"), std::string::npos); }},
      {.name = "server unreachable",
       .make = sim([](SimulatorConfig& c) { c.connect_error = "server_unavailable"; }),
       .error = "RPC_S_SERVER_UNAVAILABLE"},
      {.name = "router admin interface missing",
       .make = sim([](SimulatorConfig& c) { c.connect_error = "unknown_if"; }),
       .error = "RPC_S_UNKNOWN_IF"},
      {.name = "call cancelled",
       .make = fake([](FakeRouterApi& f) { f.refuse[-1] = status::kCancelled; }),
       .error = "ERROR_CANCELLED"},
      {.name = "status code nobody knows",
       .make = fake([](FakeRouterApi& f) { f.refuse[-1] = 0xDEADBEEF; }),
       .error = "0xDEADBEEF"},
      {.name = "reply decoder throws",
       .make = [] { return std::unique_ptr<RouterApi>(std::make_unique<ThrowingApi>()); },
       .error = "INTERNAL_ERROR"},
      {.name = "oversized reply: 30000 entries in one page",
       .make = fake([](FakeRouterApi& f) { f.pages[-1] = {page(status::kSuccess, handles(1, 30000))}; }),
       .up = true,
       .timeout_seconds = 30,  // 30000 entries take a while under ASan on a loaded machine
       .max_connections = 1000,
       .check =
           [](RouterApi&, const auto&, const auto& parsed) {
             EXPECT_EQ(parsed.series.at("rras_connection_series_dropped{router=\"victim\"}"), 29000);
             double counted = 0;  // aggregates still count every connection
             for (const auto& [key, value] : parsed.series) {
               if (key.rfind("rras_connections{", 0) == 0 && key.find("router=\"victim\"") != std::string::npos)
                 counted += value;
             }
             EXPECT_EQ(counted, 30000);
           }},
      {.name = "malformed strings: invalid UTF-8, quotes, newlines, control bytes",
       .make = fake([](FakeRouterApi& f) {
         f.make = [](uint64_t h, int level) {
           Connection c;
           c.handle = h;
           c.levels = level < 0 ? static_cast<uint8_t>(kHasEx) : static_cast<uint8_t>(1 << level);
           c.user = std::string("a\xff\xfe\"b\\\nc\x01") + std::string(5000, 'x');
           c.domain = "\xc3";  // a truncated two-byte sequence
           c.remote_computer = "}\n# HELP fake";
           return c;
         };
         f.pages[-1] = {page(status::kSuccess, {1})};
       }),
       .up = true},
      {.name = "server restarted between polls, handles reused, counters back to zero",
       .make = fake([](FakeRouterApi& f) {
         f.pages[-1] = {page(status::kSuccess, {1, 2})};
       }),
       .up = true,
       .polls = 2,
       .before_poll =
           [](RouterApi& api, int poll) {
             auto& f = asFake(api);
             if (poll == 0) return;
             f.make = [](uint64_t h, int) {
               Connection c;
               c.handle = h;
               c.levels = kHasEx;
               c.user = "after-restart" + std::to_string(h);
               c.counters.bytes_sent = 7;  // far below the 10 and 20 before: a reset, not a wrap
               return c;
             };
             f.pages[-1] = {page(status::kSuccess, {1, 2})};
           },
       .check =
           [](RouterApi&, const auto& snaps, const auto& parsed) {
             ASSERT_EQ(snaps.size(), 2u);
             EXPECT_GE(snaps[1].totals.sent_bytes, snaps[0].totals.sent_bytes);  // router totals never go back
             EXPECT_EQ(parsed.count("rras_connection_info"), 2u + 40u);
             for (const auto& [key, value] : parsed.series) {
               if (key.find("rras_connection_info{") == 0 && key.find("victim") != std::string::npos) {
                 EXPECT_NE(key.find("after-restart"), std::string::npos) << key;  // no stale user label
               }
             }
           }},
      {.name = "router that flaps: up, down, up, down, up",
       .make = fake([](FakeRouterApi&) {}),
       .up = true,
       .polls = 5,
       .before_poll =
           [](RouterApi& api, int poll) {
             auto& f = asFake(api);
             f.refuse.clear();
             if (poll % 2 == 1) {
               f.refuse[-1] = status::kRpcServerUnavailable;
             } else {
               f.pages[-1] = {page(status::kSuccess, {1, 2})};
             }
           },
       .check =
           [](RouterApi&, const auto& snaps, const auto& parsed) {
             ASSERT_EQ(snaps.size(), 5u);
             for (size_t i = 0; i < snaps.size(); ++i) {
               EXPECT_EQ(snaps[i].up, i % 2 == 0) << "poll " << i;
               EXPECT_EQ(snaps[i].connections.empty(), i % 2 == 1) << "poll " << i;
             }
             EXPECT_EQ(parsed.series.at("rras_poll_errors_total{error=\"RPC_S_SERVER_UNAVAILABLE\",router=\"victim\"}"),
                       2);
           }},
      {.name = "connections arrive and leave between levels",
       .make = sim([](SimulatorConfig& c) {
         c.enum_ex = false;
         c.churn_per_call = 5;
       }),
       .up = true,
       .check =
           [](RouterApi&, const auto& snaps, const auto&) {
             EXPECT_GT(snaps.back().dropped_between_levels, 0u);
             for (const auto& t : snaps.back().connections) {
               EXPECT_EQ(t.connection.levels & (kHasLevel0 | kHasLevel1 | kHasLevel3),
                         kHasLevel0 | kHasLevel1 | kHasLevel3);
             }
           }},
  };
  return rows;
}

#if defined(_WIN32)
// ---- the mprapi source over scripted MprAdmin* functions (run under Wine) ----
namespace mock = testing::scripted_mprapi;

std::function<std::unique_ptr<RouterApi>()> mprapiRouter(std::function<void(mock::Script&)> fault) {
  return [fault] {
    mock::Script script;
    fault(script);
    return std::unique_ptr<RouterApi>(std::make_unique<MprapiRouter>("", mock::start(std::move(script))));
  };
}

// Every row: each buffer the functions handed out went back through MprAdminBufferFree, once.
void expectBuffersFreed() {
  std::lock_guard lock(mock::state().mu);
  EXPECT_TRUE(mock::state().buffers.empty()) << mock::state().buffers.size() << " buffers not freed";
  EXPECT_EQ(mock::state().bad_frees, 0) << "unknown or double MprAdminBufferFree";
}

// Rows for MprAdminInterfaceEnum or MprAdminPortEnum through MprapiRouter: refusals, a missing
// export, paging, a reply that cannot be what it says, a hang. The 5 connections stay in each.
std::vector<FaultRow> mprapiKindRows(const KindCall& kind) {
  const bool interfaces = kind.collector == "interfaces";
  const std::string what = "mprapi: " + kind.call + " ";
  auto refusing = [interfaces](DWORD code) {
    return mprapiRouter(
        [=](mock::Script& s) { (interfaces ? s.interface_error : s.port_error) = [code](int) { return code; }; });
  };
  auto fails = [&](const std::string& error) { return onlyCollectorFails(kind, error, kind.call, 5); };
  return {
      {.name = what + "refused: ERROR_ACCESS_DENIED",
       .make = refusing(ERROR_ACCESS_DENIED),
       .up = true,
       .check = fails("ERROR_ACCESS_DENIED")},
      {.name = what + "refused: ERROR_NOT_SUPPORTED",
       .make = refusing(ERROR_NOT_SUPPORTED),
       .up = true,
       .check = fails("ERROR_NOT_SUPPORTED")},
      {.name = what + "refused: RPC_S_PROCNUM_OUT_OF_RANGE",
       .make = refusing(RPC_S_PROCNUM_OUT_OF_RANGE),
       .up = true,
       .check = fails("RPC_S_PROCNUM_OUT_OF_RANGE")},
      {.name = what + "not exported by the DLL",
       .make = mprapiRouter([interfaces](mock::Script& s) { (interfaces ? s.interface_enum : s.port_enum) = false; }),
       .up = true,
       .check = fails("ERROR_PROC_NOT_FOUND")},
      {.name = what + "entries read without a buffer",
       .make = mprapiRouter([interfaces](mock::Script& s) {
         (interfaces ? s.interfaces_without_buffer : s.ports_without_buffer) = true;
       }),
       .up = true,
       .check = fails("MALFORMED_REPLY")},
      {.name = what + "over several pages",
       .make = mprapiRouter([](mock::Script&) {}),  // 2 entries a page: 5 interfaces, 13 ports
       .up = true,
       .check =
           [=](RouterApi&, const auto& snaps, const auto& parsed) {
             EXPECT_EQ(collectorSuccess(parsed, kind.collector), 1);
             const RouterSnapshot& last = snaps.back();
             std::lock_guard lock(mock::state().mu);
             if (interfaces) {
               EXPECT_EQ(mock::state().interface_calls, 3);
               ASSERT_TRUE(last.interfaces);
               EXPECT_EQ(last.interfaces->size(), mock_connections::kDefaultInterfaces);
             } else {
               EXPECT_EQ(mock::state().port_calls, 7);
               ASSERT_TRUE(last.ports);
               uint64_t ports = 0;
               for (const auto& [protocol, counts] : last.ports->by_condition) {
                 for (const auto& [condition, n] : counts) ports += n;
               }
               EXPECT_EQ(ports, mock_connections::portCount(5, mock_connections::kDefaultListeningPorts));
             }
           }},
      {.name = what + "hangs in synchronous I/O",
       .make = mprapiRouter([interfaces](mock::Script& s) { (interfaces ? s.interface_hang : s.port_hang) = true; }),
       .up = true,
       .polls = 2,
       .timeout_seconds = kCollectorHangTimeout,
       .check = both(onlyCollectorFails(kind, "POLL_DEADLINE_EXCEEDED", hungCollector(kind), 5, true),
                     [](RouterApi&, const auto&, const auto&) {
                       EXPECT_TRUE(eventually([] { return mock::state().hang_aborted.load(); }))
                           << "CancelSynchronousIo did not end the blocked call";
                       std::lock_guard lock(mock::state().mu);
                       EXPECT_GE(mock::state().connects, 2) << "the abandoned binding was reused";
                     })},
  };
}

std::vector<FaultRow> mprapiRows() {
  std::vector<FaultRow> rows = {
      {.name = "mprapi: EnumEx over three pages",
       .make = mprapiRouter([](mock::Script&) {}),
       .up = true,
       .check =
           [](RouterApi&, const auto& snaps, const auto&) {
             EXPECT_EQ(snaps.back().level, "ex");
             EXPECT_EQ(snaps.back().connections.size(), 5u);
           }},
      {.name = "mprapi: no EnumEx export, levels 3 to 1 refused",
       .make = mprapiRouter([](mock::Script& s) {
         s.enum_ex = false;
         s.max_level = 0;
       }),
       .up = true,
       .check = [](RouterApi&, const auto& snaps, const auto&) { EXPECT_EQ(snaps.back().level, "0"); }},
      {.name = "mprapi: EnumEx exported but not implemented",
       .make = mprapiRouter(
           [](mock::Script& s) { s.enum_ex_error = [](int) { return DWORD{ERROR_CALL_NOT_IMPLEMENTED}; }; }),
       .up = true,
       .check =
           [](RouterApi&, const auto& snaps, const auto&) {
             EXPECT_EQ(snaps.back().level, "0");  // the scripted functions answer level 0 only below EnumEx
             EXPECT_EQ(snaps.back().connections.size(), 5u);
           }},
      {.name = "mprapi: RPC call failed in the middle of paging",
       .make = mprapiRouter([](mock::Script& s) {
         s.enum_ex_error = [](int call) { return call == 1 ? DWORD{RPC_S_CALL_FAILED} : DWORD{0}; };
       }),
       .up = true,
       .check =
           [](RouterApi&, const auto& snaps, const auto&) {
             EXPECT_EQ(mock::state().connects, 2);
             EXPECT_EQ(snaps.back().connections.size(), 5u);
           }},
      {.name = "mprapi: access denied at MprAdminServerConnect",
       .make = mprapiRouter([](mock::Script& s) { s.connect_error = ERROR_ACCESS_DENIED; }),
       .error = "ERROR_ACCESS_DENIED"},
      {.name = "mprapi: RemoteAccess stopped",
       .make = mprapiRouter([](mock::Script& s) { s.running = false; }),
       .error = "ERROR_DDM_NOT_RUNNING"},
      {.name = "mprapi: entries read without a buffer",
       .make = mprapiRouter([](mock::Script& s) { s.read_without_buffer = true; }),
       .error = "MALFORMED_REPLY"},
      {.name = "mprapi: resume handle that never advances",
       .make = mprapiRouter([](mock::Script& s) { s.resume_stuck = true; }),
       .error = "RESUME_HANDLE_STUCK"},
      {.name = "mprapi: a call hangs in synchronous I/O",
       .make = mprapiRouter([](mock::Script& s) { s.hang = true; }),
       .error = "POLL_DEADLINE_EXCEEDED",
       .timeout_seconds = 0.3,
       .check =
           [](RouterApi&, const auto&, const auto&) {
             EXPECT_TRUE(eventually([] { return mock::state().hang_aborted.load(); }))
                 << "CancelSynchronousIo did not end the blocked call with ERROR_OPERATION_ABORTED";
           }},
      {.name = "mprapi: an error code nobody knows",
       .make = mprapiRouter([](mock::Script& s) { s.enum_ex_error = [](int) { return DWORD{0x800706BA}; }; }),
       .error = "0x800706BA"},
  };
  for (const KindCall* kind : {&kInterfacesCall, &kPortsCall}) {
    for (auto& row : mprapiKindRows(*kind)) rows.push_back(std::move(row));
  }
  for (auto& row : rows) {
    auto check = row.check;
    row.check = [check](RouterApi& api, const auto& snaps, const auto& parsed) {
      if (check) check(api, snaps, parsed);
      expectBuffersFreed();
    };
  }
  return rows;
}
#endif

// The generic rows, then those of the sources this build has.
const std::vector<FaultRow>& faultRows() {
  static const std::vector<FaultRow> rows = [] {
    std::vector<FaultRow> all = genericRows();
#if defined(RRAS_WITH_RRASM)
    for (auto& row : rrasmRows()) all.push_back(std::move(row));
#endif
#if defined(_WIN32)
    for (auto& row : mprapiRows()) all.push_back(std::move(row));
#endif
    return all;
  }();
  return rows;
}

RouterConfig routerConfig(const std::string& name, const FaultRow& row) {
  RouterConfig r;
  r.name = name;
  r.source = "simulator";
  r.poll.interval_seconds = 0.05;  // multi-poll rows follow each other quickly
  // The row's deadline is the victim's; the bystander must never miss its own, however loaded.
  r.poll.timeout_seconds = name == "victim" ? row.timeout_seconds : 30;
  r.poll.page_size_bytes = row.page_size_bytes;
  return r;
}

std::unique_ptr<RouterApi> bystanderApi() {
  SimulatorConfig c;
  c.connections = 40;
  c.seed = 11;
  c.max_level = 3;
  return std::make_unique<SimulatedRouter>(c, fixedClock());
}

struct PollRun {
  std::vector<RouterSnapshot> victim;
  std::string exposition;
};

// Runs the poller until the victim has published `row.polls` snapshots (the bystander at least
// one); `victim` may be null (the baseline run of the bystander alone). before_poll runs on the
// victim's worker thread between its polls, where nothing else touches the router.
PollRun pollRouters(const FaultRow& row, std::unique_ptr<RouterApi> victim) {
  std::vector<std::string> names{"bystander"};
  if (victim) names.push_back("victim");
  MetricsStore store(names);
  Renderer renderer(ConnectionRenderOptions{row.max_connections}, Privacy(PrivacyConfig{}), store);
  Exposition exposition(store, std::make_shared<prometheus::Registry>());
  PollRun run;
  std::mutex mu;
  std::condition_variable cv;
  bool bystander_polled = false;
  RouterApi* victim_api = victim.get();
  std::vector<PollTarget> targets;
  targets.push_back(PollTarget{routerConfig("bystander", row), bystanderApi()});
  if (victim) targets.push_back(PollTarget{routerConfig("victim", row), std::move(victim)});
  if (victim_api && row.before_poll) row.before_poll(*victim_api, 0);
  const auto polls = static_cast<size_t>(row.polls);
  Poller poller(
      std::move(targets),
      [&](RouterSnapshot s) {
        std::lock_guard lock(mu);
        if (s.router == "victim") {
          if (run.victim.size() == polls) return;  // polls after the last one counted
          run.victim.push_back(s);
          if (run.victim.size() < polls && row.before_poll) {
            row.before_poll(*victim_api, static_cast<int>(run.victim.size()));
          }
        } else {
          bystander_polled = true;
        }
        renderer.publish(std::move(s));
        cv.notify_all();
      },
      fixedClock());
  poller.start();
  {
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::seconds(30),
                [&] { return bystander_polled && (victim_api == nullptr || run.victim.size() == polls); });
  }
  poller.stop();
  run.exposition = exposition.build(false)->str();
  if (victim_api && row.check) {
    const auto parsed = testing::parseExposition(run.exposition);
    row.check(*victim_api, run.victim, parsed);
  }
  return run;
}

// The bystander's series, minus those that measure time: durations, and connection start times,
// which under the fixed wall clock move with the bystander's own steady clock across its polls (a
// row that lasts seconds, as the hang rows do, polls it more often than the baseline).
std::vector<std::string> bystanderLines(const std::string& exposition) {
  std::vector<std::string> out;
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (line.find("router=\"bystander\"") == std::string::npos) continue;
    if (line.rfind("rras_poll_duration_seconds", 0) == 0) continue;
    if (line.rfind("rras_collector_duration_seconds", 0) == 0) continue;
    if (line.rfind("rras_connection_start_timestamp_seconds", 0) == 0) continue;
    out.push_back(line);
  }
  return out;
}

class FaultMatrixTest : public ::testing::TestWithParam<size_t> {};

TEST_P(FaultMatrixTest, OnlyTheFaultyRouterIsAffected) {
  const FaultRow& row = faultRows()[GetParam()];
  SCOPED_TRACE(row.name);
  const PollRun run = pollRouters(row, row.make());
  const PollRun baseline = pollRouters(row, nullptr);

  ASSERT_EQ(run.victim.size(), static_cast<size_t>(row.polls));
  const RouterSnapshot& last = run.victim.back();
  EXPECT_TRUE(utf8::isValid(run.exposition));
  const auto parsed = testing::parseExposition(run.exposition);
  EXPECT_EQ(parsed.order.size(), parsed.series.size()) << "a series appears twice";
  EXPECT_EQ(parsed.series.at("rras_up{router=\"victim\"}"), row.up ? 1 : 0);
  size_t victim_connection_series = 0;
  for (const auto& key : parsed.order) {
    if (key.rfind("rras_connection_info{", 0) == 0 && key.find("router=\"victim\"") != std::string::npos) {
      ++victim_connection_series;
    }
  }
  if (row.up) {
    ASSERT_TRUE(last.up) << last.error->name << ": " << last.error->message;
    std::set<uint64_t> seen;
    for (const auto& t : last.connections) EXPECT_TRUE(seen.insert(t.connection.handle).second) << t.connection.handle;
    EXPECT_EQ(victim_connection_series, std::min<size_t>(last.connections.size(), row.max_connections));
  } else {
    ASSERT_FALSE(last.up);
    EXPECT_EQ(last.error->name, row.error) << last.error->message;
    EXPECT_FALSE(last.error->message.empty());
    EXPECT_EQ(victim_connection_series, 0u) << "a failed router shows no connections";
    EXPECT_GE(parsed.series.at("rras_poll_errors_total{error=\"" + row.error + "\",router=\"victim\"}"), 1);
  }
  {
    const auto got = bystanderLines(run.exposition), want = bystanderLines(baseline.exposition);
    std::string changed;  // the lines that differ, not gtest's truncated dump of both lists
    for (const auto& line : got) {
      if (std::find(want.begin(), want.end(), line) == want.end()) changed += "\n  + " + line;
    }
    for (const auto& line : want) {
      if (std::find(got.begin(), got.end(), line) == got.end()) changed += "\n  - " + line;
    }
    EXPECT_TRUE(got == want) << "the bystander's series changed:" << changed;
  }
  EXPECT_EQ(parsed.series.at("rras_up{router=\"bystander\"}"), 1);
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultMatrixTest, ::testing::Range<size_t>(0, faultRows().size()),
                         [](const ::testing::TestParamInfo<size_t>& row_info) {
                           std::string name;
                           for (char c : faultRows()[row_info.param].name)
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return std::to_string(row_info.param) + "_" + name.substr(0, 40);
                         });

TEST(FaultMatrixSize, CoversAtLeastTwentyFaults) { EXPECT_GE(faultRows().size(), 20u); }

}  // namespace
}  // namespace rras
