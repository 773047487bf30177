// The mprapi source through the production path (MprapiRouter -> Enumerator -> Exporter) against
// the project's mock mprapi.dll under Wine. Every test ends with zero outstanding buffers: each
// one the DLL handed out was given back through MprAdminBufferFree.
#include "sources/mprapi/mprapi_router.h"

#include <windows.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "app/exporter.h"
#include "config/config_loader.h"
#include "platform/windows_strings.h"
#include "router/enumerator.h"

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
class MprapiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name :
         {"MOCK_RRAS_CONNECTIONS", "MOCK_RRAS_MAX_LEVEL", "MOCK_RRAS_SERVER_LEVEL", "MOCK_RRAS_RUNNING",
          "MOCK_RRAS_CONNECT_ERROR", "MOCK_RRAS_ENUM_ERROR", "MOCK_RRAS_LEVEL_ERROR", "MOCK_RRAS_EX_ERROR"}) {
      SetEnvironmentVariableA(name, nullptr);
    }
  }
  void TearDown() override { EXPECT_EQ(outstanding(), 0) << "buffers not freed with MprAdminBufferFree"; }

  static void set(const char* name, const std::string& value) { SetEnvironmentVariableA(name, value.c_str()); }

  // The mock's counters, from the same module instance the source loaded.
  static LONG hook(const char* name) {
    HMODULE m = GetModuleHandleW(L"mprapi_mock.dll");
    if (!m) m = GetModuleHandleW(L"mprapi_mock_noex.dll");
    if (!m) return 0;  // not loaded (any more): nothing can be outstanding
    auto f = reinterpret_cast<LONG(WINAPI*)()>(reinterpret_cast<void*>(GetProcAddress(m, name)));
    return f ? f() : -1;
  }
  static LONG outstanding() { return hook("MockRras_OutstandingBuffers"); }

  static EnumerationResult poll(MprapiRouter& router, int64_t page_size = 65536, int max_level = -1) {
    Enumerator enumerator(router, EnumeratorOptions{page_size, max_level, 100000});
    return enumerator.poll();
  }

  static const Connection& byUser(const EnumerationResult& r, const std::string& user) {
    const auto it =
        std::find_if(r.connections.begin(), r.connections.end(), [&](const Connection& c) { return c.user == user; });
    if (it == r.connections.end()) throw std::runtime_error("no connection of " + user);
    return *it;
  }
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
  const LONG calls_before = hook("MockRras_EnumCalls");
  const auto r = poll(router, 1);  // the smallest page: one entry of each level per call
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.connections.size(), 7u);
  EXPECT_EQ(hook("MockRras_EnumCalls") - calls_before, 21);  // 7 entries x levels 3, 1, 0
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

TEST_F(MprapiTest, ExporterServesMprapiRoutersEndToEnd) {
  std::string dll = mockPath(true);
  std::string escaped;
  for (char ch : dll) escaped += ch == '\\' ? std::string("\\\\") : std::string(1, ch);
  const Config config = parseConfig(
      "routers:\n"
      "  - {name: local, source: mprapi, mprapi_dll_path: \"" +
          escaped +
          "\"}\n"
          "  - {name: sim, source: simulator, simulator: {connections: 3}}\n",
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

// Run only by crash_is_failure_test.sh: proves a crash under Wine fails the test run.
TEST(CrashProbe, DISABLED_NullDereference) {
  volatile int* p = nullptr;
  *p = 42;
}

}  // namespace
}  // namespace rras
