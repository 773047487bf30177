// The mprapi source through the production path (MprapiRouter -> Enumerator -> Exporter) against
// the project's mock mprapi.dll under Wine. Every test ends with zero outstanding buffers: each
// one the DLL handed out was given back through MprAdminBufferFree.
#include "sources/mprapi/mprapi_router.h"

#include <windows.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "app/exporter.h"
#include "config/config_loader.h"
#include "kinds/kind_table.h"
#include "kinds/ports/ports_kind.h"
#include "platform/windows_strings.h"
#include "router/enumerator.h"
#include "sources/mprapi/mprapi_decode.h"

namespace rras {
namespace {

std::string exeDir() {
  wchar_t path[MAX_PATH];
  const DWORD n = GetModuleFileNameW(nullptr, path, MAX_PATH);
  std::string s = utf16ToUtf8(path, n);
  return s.substr(0, s.find_last_of('\\'));
}

std::string mockPath(bool with_ex = true) {
  return exeDir() + (with_ex ? "\\mprapi_mock.dll" : "\\mprapi_mock_noex.dll");
}

// Mock settings live in the environment (read at MprAdminServerConnect); each test starts clean.
// The fixture holds both mocks loaded for the whole test, so the routers a test makes and destroys
// share one instance of each and TearDown still sees its buffer count (a module unloaded by the
// last router's FreeLibrary would forget its buffers).
class MprapiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name :
         {"MOCK_RRAS_CONNECTIONS", "MOCK_RRAS_MAX_LEVEL", "MOCK_RRAS_SERVER_LEVEL", "MOCK_RRAS_RUNNING",
          "MOCK_RRAS_CONNECT_ERROR", "MOCK_RRAS_ENUM_ERROR", "MOCK_RRAS_LEVEL_ERROR", "MOCK_RRAS_EX_ERROR",
          "MOCK_RRAS_INTERFACES", "MOCK_RRAS_LISTENING_PORTS", "MOCK_RRAS_INTERFACES_ERROR", "MOCK_RRAS_PORTS_ERROR"}) {
      SetEnvironmentVariableA(name, nullptr);
    }
    for (bool with_ex : {true, false}) {
      held_[with_ex] = LoadLibraryExW(utf8ToUtf16(mockPath(with_ex)).c_str(), nullptr, LOAD_WITH_ALTERED_SEARCH_PATH);
      ASSERT_TRUE(held_[with_ex]) << mockPath(with_ex);
    }
  }
  void TearDown() override {
    EXPECT_EQ(outstanding(), 0) << "buffers not freed with MprAdminBufferFree";
    for (HMODULE& m : held_) {
      if (m) FreeLibrary(m);
      m = nullptr;
    }
  }

  static void set(const char* name, const std::string& value) { SetEnvironmentVariableA(name, value.c_str()); }

  // A counter of the mock with (or without) EnumEx, from the module instance the sources load.
  static LONG hook(const char* name, bool with_ex = true) {
    HMODULE m = GetModuleHandleW(with_ex ? L"mprapi_mock.dll" : L"mprapi_mock_noex.dll");
    if (!m) return -1;
    auto f = reinterpret_cast<LONG(WINAPI*)()>(reinterpret_cast<void*>(GetProcAddress(m, name)));
    return f ? f() : -1;
  }
  static LONG outstanding() {
    return hook("MockRras_OutstandingBuffers", true) + hook("MockRras_OutstandingBuffers", false);
  }

  static EnumerationResult poll(MprapiRouter& router, int64_t page_size = 65536, int max_level = -1) {
    Enumerator enumerator(router, EnumeratorOptions{page_size, max_level, 100000});
    return enumerator.poll();
  }

  // One kind's collector (kinds/kind_table) over the router's binding, as the poller runs it.
  static std::optional<PollError> collectKind(const char* kind, MprapiRouter& router, RouterHandle handle,
                                              int64_t page_size, RouterSnapshot& snapshot) {
    const CollectContext context{router, handle, page_size, 1000, [](ApiCode code, const std::string& call) {
                                   return PollError::fromCode(code, call + " failed");
                                 }};
    return findKind(kind)->collect(context, snapshot);
  }

  static const Connection& byUser(const EnumerationResult& r, const std::string& user) {
    const auto it =
        std::find_if(r.connections.begin(), r.connections.end(), [&](const Connection& c) { return c.user == user; });
    if (it == r.connections.end()) throw std::runtime_error("no connection of " + user);
    return *it;
  }

 private:
  HMODULE held_[2] = {nullptr, nullptr};  // [with_ex]
};

TEST_F(MprapiTest, EnumExWhenExportedCarriesEndpointsAndIkev2) {
  MprapiRouter router("", mockPath(true));
  const auto r = poll(router);
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.level, "ex");
  ASSERT_EQ(r.connections.size(), 5u);
  const auto& ikev2 = byUser(r, "alice0");  // every third connection is IKEv2
  EXPECT_EQ(ikev2.protocol, "ikev2");
  EXPECT_EQ(ikev2.auth_protocol, "ikev2_eap");
  EXPECT_EQ(ikev2.tunnel_endpoint, "203.0.113.1");
  EXPECT_EQ(ikev2.client_ipv4, "10.8.0.2");
  const auto& ppp = byUser(r, "J\xC3\xBCrgen2");  // UTF-16 -> UTF-8
  EXPECT_EQ(ppp.protocol, "ppp");
  EXPECT_EQ(ppp.auth_protocol, "mschapv2");
  EXPECT_EQ(ppp.domain, "CORP");
  EXPECT_EQ(ppp.remote_computer, "PC-2");
  EXPECT_EQ(ppp.counters.bytes_received, 9000u);
  EXPECT_EQ(byUser(r, "svc-vpn4").quarantine_state, QuarantineState::kQuarantine);
  EXPECT_EQ(r.server_info.level, 2);
  EXPECT_EQ(r.server_info.total_ports, 128u);
  EXPECT_EQ(r.server_info.ports_in_use, 5u);
  EXPECT_EQ(r.server_info.sstp_ports, 64u);
  EXPECT_EQ(r.server_info.uptime_seconds, 86400u);  // level 0's, merged under level 2
}

TEST_F(MprapiTest, WithoutEnumExJoinsLevels3And1And0) {
  MprapiRouter router("", mockPath(false));
  const auto r = poll(router);
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.level, "3");
  ASSERT_EQ(r.connections.size(), 5u);
  const auto& c = byUser(r, "bob1");
  EXPECT_EQ(c.levels, kHasLevel0 | kHasLevel1 | kHasLevel3);
  EXPECT_EQ(c.client_ipv4, "10.8.0.3");
  EXPECT_EQ(c.client_ipv6, "fd00::2");
  EXPECT_EQ(c.auth_protocol, "eap");
  EXPECT_EQ(c.counters.bytes_sent, 2000u);
  EXPECT_EQ(c.duration_seconds, 120u);
  EXPECT_EQ(c.interface_name, "bob1");
  EXPECT_EQ(byUser(r, "svc-vpn4").quarantine_state, QuarantineState::kQuarantine);
}

TEST_F(MprapiTest, LevelRefusedFallsBackDownTheLadder) {
  set("MOCK_RRAS_MAX_LEVEL", "1");
  set("MOCK_RRAS_SERVER_LEVEL", "0");
  MprapiRouter router("", mockPath(false));
  const auto r = poll(router);
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.level, "1");
  EXPECT_EQ(r.connections.size(), 5u);
  EXPECT_EQ(r.server_info.level, 0);
  EXPECT_FALSE(r.server_info.sstp_ports);
}

// EnumEx exported but not implemented (ERROR_CALL_NOT_IMPLEMENTED, as Windows answers from such
// entry points), and every other "not here" code, at EnumEx and at each level and server-info rung.
TEST_F(MprapiTest, EveryNotSupportedCodeStepsDownTheLadder) {
  for (const DWORD code : {DWORD{ERROR_CALL_NOT_IMPLEMENTED}, DWORD{ERROR_NOT_SUPPORTED}, DWORD{ERROR_INVALID_LEVEL},
                           DWORD{ERROR_PROC_NOT_FOUND}, DWORD{RPC_S_PROCNUM_OUT_OF_RANGE}}) {
    SCOPED_TRACE(code);
    set("MOCK_RRAS_EX_ERROR", std::to_string(code));
    set("MOCK_RRAS_LEVEL_ERROR", std::to_string(code));
    set("MOCK_RRAS_MAX_LEVEL", "3");
    set("MOCK_RRAS_SERVER_LEVEL", "1");
    {
      MprapiRouter router("", mockPath(true));
      const auto r = poll(router);
      ASSERT_FALSE(r.error) << r.error->message;
      EXPECT_EQ(r.level, "3");  // EnumEx refused: levels 3, 1 and 0 joined
      ASSERT_EQ(r.connections.size(), 5u);
      EXPECT_EQ(byUser(r, "bob1").counters.bytes_sent, 2000u);
      EXPECT_EQ(r.server_info.level, 1);
    }
    set("MOCK_RRAS_MAX_LEVEL", "1");
    set("MOCK_RRAS_SERVER_LEVEL", "0");
    MprapiRouter router("", mockPath(true));
    const auto r = poll(router);
    ASSERT_FALSE(r.error) << r.error->message;
    EXPECT_EQ(r.level, "1");
    EXPECT_EQ(r.server_info.level, 0);
  }
  set("MOCK_RRAS_EX_ERROR", std::to_string(ERROR_ACCESS_DENIED));  // not a "not here" code: the router fails
  MprapiRouter router("", mockPath(true));
  const auto r = poll(router);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->name, "ERROR_ACCESS_DENIED");
}

TEST_F(MprapiTest, PagesByBytesWithTheResumeHandle) {
  set("MOCK_RRAS_CONNECTIONS", "7");
  MprapiRouter router("", mockPath(false));
  const LONG calls_before = hook("MockRras_EnumCalls", false);
  const auto r = poll(router, 1);  // the smallest page: one entry of each level per call
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.connections.size(), 7u);
  EXPECT_EQ(hook("MockRras_EnumCalls", false) - calls_before, 21);  // 7 entries x levels 3, 1, 0
  EXPECT_EQ(r.pages, 21u);
}

TEST_F(MprapiTest, ManyConnectionsInOnePageAndNone) {
  set("MOCK_RRAS_CONNECTIONS", "2000");
  MprapiRouter many("", mockPath(true));
  auto r = poll(many, -1);
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.connections.size(), 2000u);
  set("MOCK_RRAS_CONNECTIONS", "0");
  MprapiRouter none("", mockPath(true));
  r = poll(none);
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_TRUE(r.connections.empty());
}

TEST_F(MprapiTest, DdmNotRunningIsReportedWithTheServiceState) {
  set("MOCK_RRAS_ENUM_ERROR", "903");
  MprapiRouter router("", mockPath(true));
  const auto r = poll(router);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->name, "ERROR_DDM_NOT_RUNNING");
  EXPECT_NE(r.error->message.find("RemoteAccess service is running"), std::string::npos) << r.error->message;
}

TEST_F(MprapiTest, AccessDeniedAndStoppedServiceAndRemoteServer) {
  set("MOCK_RRAS_CONNECT_ERROR", "5");
  MprapiRouter denied("", mockPath(true));
  auto r = poll(denied);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->name, "ERROR_ACCESS_DENIED");
  EXPECT_NE(r.error->message.find("Administrators"), std::string::npos);

  set("MOCK_RRAS_CONNECT_ERROR", "0");
  set("MOCK_RRAS_RUNNING", "0");
  MprapiRouter stopped("", mockPath(true));
  EXPECT_FALSE(stopped.isServiceRunning());
  r = poll(stopped);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->name, "ERROR_DDM_NOT_RUNNING");
  EXPECT_NE(r.error->message.find("stopped"), std::string::npos) << r.error->message;

  MprapiRouter remote("vpn1.example.org", mockPath(true));
  r = poll(remote);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->name, "RPC_S_SERVER_UNAVAILABLE");
}

TEST_F(MprapiTest, DllErrorsNameTheFileAndTheProblem) {
  try {
    MprapiRouter missing("", exeDir() + "\\no_such_mprapi.dll");
    FAIL() << "loading a missing DLL must throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_mprapi.dll"), std::string::npos) << e.what();
  }
  try {
    MprapiRouter wrong("", "kernel32.dll");
    FAIL() << "a DLL without the MprAdmin exports must be refused";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("does not export MprAdminIsServiceRunning"), std::string::npos) << e.what();
  }
}

TEST_F(MprapiTest, DefaultLoadsSystem32NeverAStrayCopyBesideTheExe) {
  // A planted mprapi.dll beside the exe (the DLL search order's first place) must be ignored.
  const std::wstring planted = utf8ToUtf16(exeDir() + "\\mprapi.dll");
  ASSERT_TRUE(CopyFileW(utf8ToUtf16(mockPath(true)).c_str(), planted.c_str(), FALSE));
  {
    MprapiRouter router("", "");
    std::string path = router.dllPath();
    std::transform(path.begin(), path.end(), path.begin(), [](unsigned char ch) { return std::tolower(ch); });
    EXPECT_NE(path.find("\\system32\\mprapi.dll"), std::string::npos) << path;
    HMODULE loaded = GetModuleHandleW(L"mprapi.dll");
    ASSERT_TRUE(loaded);
    EXPECT_EQ(GetProcAddress(loaded, "MockRras_OutstandingBuffers"), nullptr) << "the planted mock was loaded";
  }
  DeleteFileW(planted.c_str());
}

// A router `local` of source mprapi over the mock, in YAML.
std::string localMockRouterYaml() {
  std::string escaped;
  for (char ch : mockPath(true)) escaped += ch == '\\' ? std::string("\\\\") : std::string(1, ch);
  return "  - {name: local, source: mprapi, mprapi_dll_path: \"" + escaped + "\"}\n";
}

TEST_F(MprapiTest, ExporterServesMprapiRoutersEndToEnd) {
  const Config config = parseConfig(
      "routers:\n" + localMockRouterYaml() + "  - {name: sim, source: simulator, simulator: {connections: 3}}\n",
      "test.yml");
  Exporter exporter(config);
  bool all_up = false;
  const std::string text = exporter.pollOnce(all_up);
  EXPECT_TRUE(all_up);
  EXPECT_NE(text.find("rras_up{router=\"local\"} 1"), std::string::npos);
  EXPECT_NE(text.find("rras_up{router=\"sim\"} 1"), std::string::npos);
  EXPECT_NE(text.find("user=\"J\xC3\xBCrgen2\""), std::string::npos);
  EXPECT_NE(text.find("tunnel_endpoint=\"203.0.113.1\""), std::string::npos) << text.substr(0, 3000);
}

// ---- interfaces and ports: MprAdminInterfaceEnum and MprAdminPortEnum ----

const char* const kKoeln = "Zweigstelle-K\xC3\xB6ln";
const char* const kShanghai = "\xE5\x88\x86\xE6\x94\xAF-\xE4\xB8\x8A\xE6\xB5\xB7";  // "分支-上海"

template <class Entry>
const Entry& byName(const std::vector<Entry>& entries, const std::string& name) {
  const auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.name == name; });
  if (it == entries.end()) throw std::runtime_error("no entry named " + name);
  return *it;
}

// The mock's five interfaces, every field, in one page (dwPrefMaxLen -1), in the order served.
TEST_F(MprapiTest, InterfacesDecodeEveryField) {
  MprapiRouter router("", mockPath(true));
  RouterHandle h = 0;
  ASSERT_EQ(router.connect(h), NO_ERROR);
  uint32_t resume = 0;
  InterfacePage page;
  ASSERT_EQ(router.enumInterfaces(h, kPrefMaxAll, resume, page), NO_ERROR);
  router.disconnect(h);
  EXPECT_EQ(resume, 0u);
  EXPECT_EQ(page.entries_read, 5u);
  EXPECT_EQ(page.total_entries, 5u);
  ASSERT_EQ(page.entries.size(), 5u);
  std::vector<uint64_t> order;
  for (const auto& i : page.entries) order.push_back(i.handle);
  EXPECT_EQ(order, (std::vector<uint64_t>{0x700C, 0x7004, 0x7000, 0x7008, 0x7010})) << "the DLL's order, kept";

  const auto& lan = byName(page.entries, "Ethernet");
  EXPECT_EQ(lan.handle, 0x7000u);
  EXPECT_EQ(lan.type, InterfaceType::kDedicated);
  EXPECT_TRUE(lan.enabled);
  EXPECT_EQ(lan.state, InterfaceState::kConnected);
  EXPECT_EQ(lan.unreachability_reasons, 0u);
  EXPECT_EQ(lan.last_error, 0u);

  const auto& internal = byName(page.entries, "Internal");
  EXPECT_EQ(internal.handle, 0x7004u);
  EXPECT_EQ(internal.type, InterfaceType::kInternal);
  EXPECT_EQ(internal.state, InterfaceState::kConnected);

  const auto& koeln = byName(page.entries, kKoeln);
  EXPECT_EQ(koeln.handle, 0x7008u);
  EXPECT_EQ(koeln.type, InterfaceType::kFullRouter);
  EXPECT_TRUE(koeln.enabled);
  EXPECT_EQ(koeln.state, InterfaceState::kConnected);
  EXPECT_EQ(koeln.unreachability_reasons, 0u);
  EXPECT_EQ(koeln.last_error, 0u);

  const auto& shanghai = byName(page.entries, kShanghai);
  EXPECT_EQ(shanghai.handle, 0x700Cu);
  EXPECT_EQ(shanghai.type, InterfaceType::kFullRouter);
  EXPECT_TRUE(shanghai.enabled);
  EXPECT_EQ(shanghai.state, InterfaceState::kUnreachable);
  EXPECT_EQ(shanghai.unreachability_reasons, 0x44u);
  EXPECT_EQ(unreachabilityReasonLabels(shanghai.unreachability_reasons),
            (std::vector<std::string>{"connection_failure", "no_device"}));
  EXPECT_EQ(shanghai.last_error, 678u);

  const auto& paris = byName(page.entries, "Filiale-Paris");
  EXPECT_EQ(paris.handle, 0x7010u);
  EXPECT_EQ(paris.type, InterfaceType::kFullRouter);
  EXPECT_FALSE(paris.enabled);
  EXPECT_EQ(paris.state, InterfaceState::kUnreachable);
  EXPECT_EQ(paris.unreachability_reasons, 0x2u);
  EXPECT_EQ(paris.last_error, 0u);
}

// Every port, in use or listening, every field; each connection has its one authenticated port.
TEST_F(MprapiTest, PortsDecodeEveryFieldAndMatchTheConnections) {
  MprapiRouter router("", mockPath(true));
  RouterHandle h = 0;
  ASSERT_EQ(router.connect(h), NO_ERROR);
  uint32_t resume = 0;
  PortPage page;
  ASSERT_EQ(router.enumPorts(h, kPrefMaxAll, resume, page), NO_ERROR);
  router.disconnect(h);
  EXPECT_EQ(resume, 0u);
  EXPECT_EQ(page.entries_read, 13u);  // 5 connections + 2 listening x 4 protocols
  EXPECT_EQ(page.total_entries, 13u);
  ASSERT_EQ(page.entries.size(), 13u);

  const auto& l2tp = byName(page.entries, "VPN3-2");  // connection 2's port
  EXPECT_EQ(l2tp.handle, 0x5008u);
  EXPECT_EQ(l2tp.connection, 0x1008u);
  EXPECT_EQ(l2tp.condition, PortCondition::kAuthenticated);
  EXPECT_EQ(l2tp.total_calls, 3u);
  EXPECT_EQ(l2tp.duration_seconds, 180u);
  EXPECT_EQ(l2tp.media, "rastapi");
  EXPECT_EQ(l2tp.device_name, "WAN Miniport (L2TP)");
  EXPECT_EQ(l2tp.device_type, "vpn");
  EXPECT_EQ(portProtocol(l2tp), "l2tp");

  const auto& listening = byName(page.entries, "VPN4-8");  // the first listening PPTP port
  EXPECT_EQ(listening.handle, 0x5020u);
  EXPECT_EQ(listening.connection, 0u);
  EXPECT_EQ(listening.condition, PortCondition::kListening);
  EXPECT_EQ(listening.total_calls, 13u);
  EXPECT_EQ(listening.duration_seconds, 0u);
  EXPECT_EQ(listening.device_name, "WAN Miniport (PPTP)");
  EXPECT_EQ(portProtocol(listening), "pptp");

  // The ports in use are exactly the connections' (the connection handles of MprAdminConnectionEnum).
  MprapiRouter connections_router("", mockPath(true));
  const auto r = poll(connections_router);
  ASSERT_FALSE(r.error) << r.error->message;
  std::set<uint64_t> connections, in_use;
  for (const auto& c : r.connections) connections.insert(c.handle);
  for (const auto& p : page.entries) {
    if (p.connection != 0) {
      EXPECT_TRUE(in_use.insert(p.connection).second) << "two ports of connection " << p.connection;
      EXPECT_EQ(p.condition, PortCondition::kAuthenticated);
    }
  }
  EXPECT_EQ(in_use, connections);

  const PortCounts counts = countPorts(page.entries);
  using C = PortCondition;
  EXPECT_EQ(counts.by_condition.at("ikev2"), (std::map<C, uint64_t>{{C::kListening, 2}, {C::kAuthenticated, 2}}));
  EXPECT_EQ(counts.by_condition.at("sstp"), (std::map<C, uint64_t>{{C::kListening, 2}, {C::kAuthenticated, 2}}));
  EXPECT_EQ(counts.by_condition.at("l2tp"), (std::map<C, uint64_t>{{C::kListening, 2}, {C::kAuthenticated, 1}}));
  EXPECT_EQ(counts.by_condition.at("pptp"), (std::map<C, uint64_t>{{C::kListening, 2}}));
  EXPECT_EQ(counts.by_condition.size(), 4u);
  EXPECT_EQ(counts.calls.at("sstp"), 2u + 5u + 10u + 14u);
}

// Stores a value outside an enum's constants in a 4-byte enum field, as a DLL could.
template <typename Enum>
void setRaw(Enum& field, DWORD value) {
  static_assert(sizeof(Enum) == sizeof(DWORD));
  std::memcpy(&field, &value, sizeof value);
}

// Unterminated arrays are read within their size; values outside the enums decode as unknown.
TEST_F(MprapiTest, InterfaceAndPortDecodingStaysWithinTheArrays) {
  MPR_INTERFACE_0 i{};
  std::fill(std::begin(i.wszInterfaceName), std::end(i.wszInterfaceName), L'x');
  i.hInterface = reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(0xFFFFFFF0u));
  i.fEnabled = 7;  // any non-zero BOOL
  setRaw(i.dwIfType, 99);
  setRaw(i.dwConnectionState, 4);
  i.fUnReachabilityReasons = 0x80000001u;
  i.dwLastError = 0xFFFFFFFFu;
  const RouterInterface ri = decodeInterface0(i);
  EXPECT_EQ(ri.name, std::string(257, 'x'));
  EXPECT_EQ(ri.handle, 0xFFFFFFF0u);
  EXPECT_TRUE(ri.enabled);
  EXPECT_EQ(ri.type, InterfaceType::kUnknown);
  EXPECT_EQ(ri.state, InterfaceState::kUnknown);
  EXPECT_EQ(ri.unreachability_reasons, 0x80000001u);
  EXPECT_EQ(ri.last_error, 0xFFFFFFFFu);

  RAS_PORT_0 p{};
  std::fill(std::begin(p.wszPortName), std::end(p.wszPortName), L'p');
  std::fill(std::begin(p.wszMediaName), std::end(p.wszMediaName), L'm');
  std::fill(std::begin(p.wszDeviceName), std::end(p.wszDeviceName), L'\u00e9');
  std::fill(std::begin(p.wszDeviceType), std::end(p.wszDeviceType), L't');
  setRaw(p.dwPortCondition, 7);
  const Port port = decodePort0(p);
  EXPECT_EQ(port.name, std::string(17, 'p'));
  EXPECT_EQ(port.media, std::string(17, 'm'));
  std::string e_acute;
  for (int k = 0; k < 129; ++k) e_acute += "\xC3\xA9";
  EXPECT_EQ(port.device_name, e_acute);
  EXPECT_EQ(port.device_type, std::string(17, 't'));
  EXPECT_EQ(port.condition, PortCondition::kUnknown);
  EXPECT_EQ(port.connection, 0u);
}

// The x64 sizes the interfaces and ports kinds assume for "at least one entry a page"
// (kinds/interfaces: 552, kinds/ports: 392; the 32-bit MS-RRASM layouts are 540 and 380).
TEST_F(MprapiTest, NativeInterfaceAndPortSizesAreTheKindsAssumptions) {
  EXPECT_EQ(sizeof(MPR_INTERFACE_0), 552u);
  EXPECT_EQ(offsetof(MPR_INTERFACE_0, hInterface), 520u);
  EXPECT_EQ(offsetof(MPR_INTERFACE_0, dwLastError), 544u);
  EXPECT_EQ(sizeof(RAS_PORT_0), 392u);
  EXPECT_EQ(offsetof(RAS_PORT_0, wszPortName), 28u);
  EXPECT_EQ(offsetof(RAS_PORT_0, wszDeviceType), 354u);
}

// Paging by bytes: dwPrefMaxLen / sizeof(entry) entries a page, the resume handle from the DLL.
TEST_F(MprapiTest, InterfacesAndPortsPageByBytesWithTheResumeHandle) {
  set("MOCK_RRAS_INTERFACES", "7");
  MprapiRouter router("", mockPath(true));
  RouterHandle h = 0;
  ASSERT_EQ(router.connect(h), NO_ERROR);
  const LONG interface_calls = hook("MockRras_InterfaceEnumCalls");
  const uint32_t two_interfaces = 2 * sizeof(MPR_INTERFACE_0) + sizeof(MPR_INTERFACE_0) - 1;
  struct Step {
    ApiCode code;
    uint32_t read, total, resume;
  };
  std::set<uint64_t> handles;
  uint32_t resume = 0;
  for (const Step& step : {Step{ERROR_MORE_DATA, 2, 7, 2}, Step{ERROR_MORE_DATA, 2, 5, 4},
                           Step{ERROR_MORE_DATA, 2, 3, 6}, Step{NO_ERROR, 1, 1, 0}}) {
    InterfacePage page;
    ASSERT_EQ(router.enumInterfaces(h, two_interfaces, resume, page), step.code);
    EXPECT_EQ(page.entries_read, step.read);
    EXPECT_EQ(page.entries.size(), step.read);
    EXPECT_EQ(page.total_entries, step.total);
    EXPECT_EQ(resume, step.resume);
    for (const auto& i : page.entries) handles.insert(i.handle);
  }
  EXPECT_EQ(handles.size(), 7u);
  EXPECT_EQ(hook("MockRras_InterfaceEnumCalls") - interface_calls, 4);

  // Fewer bytes than one entry: none, ERROR_MORE_DATA, the resume handle where it was.
  InterfacePage empty;
  resume = 0;
  EXPECT_EQ(router.enumInterfaces(h, sizeof(MPR_INTERFACE_0) - 1, resume, empty), ERROR_MORE_DATA);
  EXPECT_EQ(empty.entries_read, 0u);
  EXPECT_EQ(resume, 0u);

  const LONG port_calls = hook("MockRras_PortEnumCalls");
  std::set<uint64_t> ports;
  resume = 0;
  for (const Step& step : {Step{ERROR_MORE_DATA, 3, 13, 3}, Step{ERROR_MORE_DATA, 3, 10, 6},
                           Step{ERROR_MORE_DATA, 3, 7, 9}, Step{ERROR_MORE_DATA, 3, 4, 12}, Step{NO_ERROR, 1, 1, 0}}) {
    PortPage page;
    ASSERT_EQ(router.enumPorts(h, 3 * sizeof(RAS_PORT_0), resume, page), step.code);
    EXPECT_EQ(page.entries_read, step.read);
    EXPECT_EQ(page.entries.size(), step.read);
    EXPECT_EQ(page.total_entries, step.total);
    EXPECT_EQ(resume, step.resume);
    for (const auto& p : page.entries) ports.insert(p.handle);
  }
  EXPECT_EQ(ports.size(), 13u);
  EXPECT_EQ(hook("MockRras_PortEnumCalls") - port_calls, 5);

  // Through the collectors: page_size_bytes 1 is raised to one native entry, never zero entries.
  RouterSnapshot snapshot;
  auto error = collectKind("interfaces", router, h, 1, snapshot);
  ASSERT_FALSE(error) << error->message;
  ASSERT_TRUE(snapshot.interfaces);
  ASSERT_EQ(snapshot.interfaces->size(), 7u);
  EXPECT_EQ(snapshot.interfaces->front().name, "Ethernet");  // sorted by name
  EXPECT_EQ(hook("MockRras_InterfaceEnumCalls") - interface_calls, 4 + 1 + 7);
  error = collectKind("ports", router, h, 1, snapshot);
  ASSERT_FALSE(error) << error->message;
  ASSERT_TRUE(snapshot.ports);
  EXPECT_EQ(snapshot.ports->by_condition.at("sstp").at(PortCondition::kAuthenticated), 2u);
  EXPECT_EQ(hook("MockRras_PortEnumCalls") - port_calls, 5 + 13);
  router.disconnect(h);
}

// A router that refuses the interface and port calls: each call answers the code with no buffer,
// the connections stay readable, and only those two collectors fail.
TEST_F(MprapiTest, RefusedInterfacesAndPortsLeaveTheConnectionsReadable) {
  set("MOCK_RRAS_INTERFACES_ERROR", std::to_string(ERROR_ACCESS_DENIED));
  set("MOCK_RRAS_PORTS_ERROR", std::to_string(ERROR_ACCESS_DENIED));
  {
    MprapiRouter router("", mockPath(true));
    RouterHandle h = 0;
    ASSERT_EQ(router.connect(h), NO_ERROR);
    uint32_t resume = 7;
    InterfacePage interfaces;
    EXPECT_EQ(router.enumInterfaces(h, kPrefMaxAll, resume, interfaces), ERROR_ACCESS_DENIED);
    EXPECT_EQ(resume, 7u) << "a failed call leaves the resume handle alone";
    EXPECT_TRUE(interfaces.entries.empty());
    PortPage ports;
    EXPECT_EQ(router.enumPorts(h, kPrefMaxAll, resume, ports), ERROR_ACCESS_DENIED);
    EXPECT_TRUE(ports.entries.empty());
    RouterSnapshot snapshot;
    const auto error = collectKind("interfaces", router, h, 65536, snapshot);
    ASSERT_TRUE(error);
    EXPECT_EQ(error->name, "ERROR_ACCESS_DENIED");
    EXPECT_FALSE(snapshot.interfaces);
    router.disconnect(h);
    const auto r = poll(router);
    ASSERT_FALSE(r.error) << r.error->message;
    EXPECT_EQ(r.connections.size(), 5u);
  }
  const Config config = parseConfig("routers:\n" + localMockRouterYaml(), "test.yml");
  Exporter exporter(config);
  bool all_up = false;
  const std::string text = exporter.pollOnce(all_up);
  EXPECT_TRUE(all_up);
  EXPECT_NE(text.find("rras_up{router=\"local\"} 1"), std::string::npos);
  EXPECT_NE(text.find("user=\"J\xC3\xBCrgen2\""), std::string::npos);
  EXPECT_NE(text.find("rras_collector_success{collector=\"connections\",router=\"local\"} 1"), std::string::npos);
  EXPECT_NE(text.find("rras_collector_success{collector=\"interfaces\",router=\"local\"} 0"), std::string::npos);
  EXPECT_NE(text.find("rras_collector_success{collector=\"ports\",router=\"local\"} 0"), std::string::npos);
  EXPECT_EQ(text.find("rras_interface_state{"), std::string::npos);
  EXPECT_EQ(text.find("rras_ports_by_condition{"), std::string::npos);
}

// A DLL without the two exports (a function table without them): the calls answer
// ERROR_PROC_NOT_FOUND without calling anything.
TEST_F(MprapiTest, WithoutTheExportsInterfacesAndPortsAnswerProcNotFound) {
  HMODULE mock = LoadLibraryW(utf8ToUtf16(mockPath(false)).c_str());
  ASSERT_TRUE(mock);
  auto get = [&](const char* name) { return reinterpret_cast<void*>(GetProcAddress(mock, name)); };
  MprapiFunctions f;
  f.isServiceRunning = reinterpret_cast<decltype(f.isServiceRunning)>(get("MprAdminIsServiceRunning"));
  f.serverConnect = reinterpret_cast<decltype(f.serverConnect)>(get("MprAdminServerConnect"));
  f.serverDisconnect = reinterpret_cast<decltype(f.serverDisconnect)>(get("MprAdminServerDisconnect"));
  f.serverGetInfo = reinterpret_cast<decltype(f.serverGetInfo)>(get("MprAdminServerGetInfo"));
  f.connectionEnum = reinterpret_cast<decltype(f.connectionEnum)>(get("MprAdminConnectionEnum"));
  f.bufferFree = reinterpret_cast<decltype(f.bufferFree)>(get("MprAdminBufferFree"));
  {
    MprapiRouter router("", f);
    RouterHandle h = 0;
    ASSERT_EQ(router.connect(h), NO_ERROR);
    const LONG interface_calls = hook("MockRras_InterfaceEnumCalls", false);
    const LONG port_calls = hook("MockRras_PortEnumCalls", false);
    uint32_t resume = 0;
    InterfacePage interfaces;
    EXPECT_EQ(router.enumInterfaces(h, kPrefMaxAll, resume, interfaces), ERROR_PROC_NOT_FOUND);
    PortPage ports;
    EXPECT_EQ(router.enumPorts(h, kPrefMaxAll, resume, ports), ERROR_PROC_NOT_FOUND);
    EXPECT_EQ(hook("MockRras_InterfaceEnumCalls", false), interface_calls);
    EXPECT_EQ(hook("MockRras_PortEnumCalls", false), port_calls);
    router.disconnect(h);
    const auto r = poll(router);
    ASSERT_FALSE(r.error) << r.error->message;
    EXPECT_EQ(r.connections.size(), 5u);
  }
  // The DLL loaded by path resolves both.
  MprapiRouter loaded("", mockPath(false));
  RouterHandle h = 0;
  ASSERT_EQ(loaded.connect(h), NO_ERROR);
  uint32_t resume = 0;
  InterfacePage interfaces;
  EXPECT_EQ(loaded.enumInterfaces(h, kPrefMaxAll, resume, interfaces), NO_ERROR);
  EXPECT_EQ(interfaces.entries.size(), 5u);
  loaded.disconnect(h);
  FreeLibrary(mock);
}

TEST_F(MprapiTest, ExporterServesInterfacesAndPortsEndToEnd) {
  const Config config = parseConfig("routers:\n" + localMockRouterYaml(), "test.yml");
  Exporter exporter(config);
  bool all_up = false;
  const std::string text = exporter.pollOnce(all_up);
  EXPECT_TRUE(all_up);
  const std::string shanghai = kShanghai;
  for (const std::string& line : {
           std::string("rras_collector_success{collector=\"interfaces\",router=\"local\"} 1"),
           std::string("rras_collector_success{collector=\"ports\",router=\"local\"} 1"),
           std::string("rras_interface_info{interface=\"Ethernet\",router=\"local\",type=\"dedicated\"} 1"),
           std::string("rras_interface_state{interface=\"Ethernet\",router=\"local\",state=\"connected\"} 1"),
           std::string("rras_interface_state{interface=\"") + kKoeln + "\",router=\"local\",state=\"connected\"} 1",
           "rras_interface_state{interface=\"" + shanghai + "\",router=\"local\",state=\"unreachable\"} 1",
           "rras_interface_state{interface=\"" + shanghai + "\",router=\"local\",state=\"connected\"} 0",
           "rras_interface_unreachable_reason{interface=\"" + shanghai +
               "\",reason=\"connection_failure\",router=\"local\"} 1",
           "rras_interface_unreachable_reason{interface=\"" + shanghai + "\",reason=\"no_device\",router=\"local\"} 1",
           "rras_interface_last_error_info{error=\"" + apiCodeName(678) + "\",interface=\"" + shanghai +
               "\",router=\"local\"} 1",
           std::string("rras_interface_enabled{interface=\"Filiale-Paris\",router=\"local\"} 0"),
           std::string("rras_interfaces{router=\"local\",state=\"connected\",type=\"full_router\"} 1"),
           std::string("rras_interfaces{router=\"local\",state=\"unreachable\",type=\"full_router\"} 2"),
           std::string("rras_ports_by_condition{condition=\"authenticated\",protocol=\"sstp\",router=\"local\"} 2"),
           std::string("rras_ports_by_condition{condition=\"authenticated\",protocol=\"ikev2\",router=\"local\"} 2"),
           std::string("rras_ports_by_condition{condition=\"authenticated\",protocol=\"l2tp\",router=\"local\"} 1"),
           std::string("rras_ports_by_condition{condition=\"authenticated\",protocol=\"pptp\",router=\"local\"} 0"),
           std::string("rras_ports_by_condition{condition=\"listening\",protocol=\"pptp\",router=\"local\"} 2"),
           std::string("rras_port_calls_total{protocol=\"sstp\",router=\"local\"} 31"),
       }) {
    EXPECT_NE(text.find("\n" + line + "\n"), std::string::npos) << line;
  }
}

// Run only by crash_is_failure_test.sh: proves a crash under Wine fails the test run.
TEST(CrashProbe, DISABLED_NullDereference) {
  volatile int* p = nullptr;
  *p = 42;
}

}  // namespace
}  // namespace rras
