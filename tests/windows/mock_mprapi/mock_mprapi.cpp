// A stand-in mprapi.dll for tests under Wine (Wine's own is stubs that abort). It implements the
// documented MprAdmin semantics the exporter relies on, over a deterministic set of connections:
//   - paging by bytes: a page holds dwPrefMaxLen / sizeof(entry) entries (all for (DWORD)-1,
//     none when fewer bytes than one entry), ERROR_MORE_DATA while more remain, the resume handle
//     is the position of the next entry and 0 once enumeration completes;
//   - levels above MOCK_RRAS_MAX_LEVEL answer ERROR_INVALID_LEVEL;
//   - faults: the service stopped, connect errors (e.g. access denied), enumeration errors
//     (e.g. ERROR_DDM_NOT_RUNNING);
//   - every buffer is tracked: MprAdminBufferFree rejects unknown and double frees, and
//     MockRras_OutstandingBuffers() tells the tests how many are still held.
// Configuration comes from the environment, read at each MprAdminServerConnect:
//   MOCK_RRAS_CONNECTIONS (default 5), MOCK_RRAS_MAX_LEVEL (3), MOCK_RRAS_SERVER_LEVEL (2),
//   MOCK_RRAS_RUNNING (1), MOCK_RRAS_CONNECT_ERROR (0), MOCK_RRAS_ENUM_ERROR (0),
//   MOCK_RRAS_TOTAL_PORTS (128).
// Built twice: mprapi_mock.dll exports MprAdminConnectionEnumEx, mprapi_mock_noex.dll does not
// (a Windows Server 2008 or older mprapi.dll).
#include <windows.h>
#include <mprapi.h>
#include <mprerror.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <mutex>
#include <set>

namespace {

struct Settings {
  DWORD connections = 5, max_level = 3, server_level = 2, connect_error = 0, enum_error = 0, total_ports = 128;
  bool running = true;
};

std::mutex g_mu;
Settings g_settings;
std::set<void*> g_buffers;
LONG g_enum_calls = 0;
int g_servers = 0;  // open server handles
char g_server_token;  // its address is the one valid server handle

DWORD envNumber(const char* name, DWORD fallback) {
  char v[32];
  const DWORD n = GetEnvironmentVariableA(name, v, sizeof v);
  return n > 0 && n < sizeof v ? static_cast<DWORD>(std::strtoul(v, nullptr, 0)) : fallback;
}

Settings readSettings() {
  Settings s;
  s.connections = envNumber("MOCK_RRAS_CONNECTIONS", 5);
  s.max_level = envNumber("MOCK_RRAS_MAX_LEVEL", 3);
  s.server_level = envNumber("MOCK_RRAS_SERVER_LEVEL", 2);
  s.connect_error = envNumber("MOCK_RRAS_CONNECT_ERROR", 0);
  s.enum_error = envNumber("MOCK_RRAS_ENUM_ERROR", 0);
  s.total_ports = envNumber("MOCK_RRAS_TOTAL_PORTS", 128);
  s.running = envNumber("MOCK_RRAS_RUNNING", 1) != 0;
  return s;
}

void* allocate(size_t bytes) {
  void* p = std::calloc(1, bytes == 0 ? 1 : bytes);
  std::lock_guard lock(g_mu);
  g_buffers.insert(p);
  return p;
}

bool validServer(HANDLE h) { return h == &g_server_token && g_servers > 0; }

// Connection i (0-based): deterministic and varied. Users with non-ASCII names; every third is an
// IKEv2 connection (EnumEx), one in five is quarantined at level 3.
const wchar_t* const kUsers[] = {L"alice", L"bob", L"J\u00fcrgen", L"\u7528\u6237", L"svc-vpn"};

void fill(wchar_t* out, size_t n, const wchar_t* text) { std::swprintf(out, n, L"%ls", text); }

HANDLE connectionHandle(DWORD i) { return reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(0x1000 + i * 4)); }
HANDLE interfaceHandle(DWORD i) { return reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(0x9000 + i * 4)); }

void userOf(DWORD i, wchar_t* out, size_t n) { std::swprintf(out, n, L"%ls%lu", kUsers[i % 5], i); }

void fillLevel0(DWORD i, RAS_CONNECTION_0& c) {
  c.hConnection = connectionHandle(i);
  c.hInterface = interfaceHandle(i);
  c.dwConnectDuration = 60 * (i + 1);
  c.dwInterfaceType = ROUTER_IF_TYPE_CLIENT;
  c.dwConnectionFlags = i % 3 == 0 ? 0 : RAS_FLAGS_PPP_CONNECTION;
  userOf(i, c.wszInterfaceName, 257);
  userOf(i, c.wszUserName, 257);
  fill(c.wszLogonDomain, 16, L"CORP");
  std::swprintf(c.wszRemoteComputer, 17, L"PC-%lu", i);
}

void fillLevel1(DWORD i, RAS_CONNECTION_1& c) {
  c.hConnection = connectionHandle(i);
  c.hInterface = interfaceHandle(i);
  c.PppInfo.ip.dwError = 0;
  std::swprintf(c.PppInfo.ip.wszRemoteAddress, 16, L"10.8.%lu.%lu", i / 250, 2 + i % 250);
  c.dwBytesXmited = 1000 * (i + 1);
  c.dwBytesRcved = 3000 * (i + 1);
  c.dwFramesXmited = 10 * (i + 1);
  c.dwFramesRcved = 30 * (i + 1);
  c.dwCrcErr = i % 4;
  c.dwCompressionRatioIn = 10;
  c.dwCompressionRatioOut = 20;
}

void fillLevel2(DWORD i, RAS_CONNECTION_2& c) {
  c.hConnection = connectionHandle(i);
  userOf(i, c.wszUserName, 257);
  c.dwInterfaceType = ROUTER_IF_TYPE_CLIENT;
  std::swprintf(c.PppInfo2.ip.wszRemoteAddress, 16, L"10.8.%lu.%lu", i / 250, 2 + i % 250);
  c.PppInfo2.lcp.dwAuthenticationProtocol = i % 2 ? PPP_LCP_EAP : PPP_LCP_CHAP;
  c.PppInfo2.lcp.dwAuthenticationData = i % 2 ? 0 : PPP_LCP_CHAP_MSV2;
}

void fillLevel3(DWORD i, RAS_CONNECTION_3& c) {
  c.dwVersion = 3;
  c.dwSize = sizeof(RAS_CONNECTION_3);
  c.hConnection = connectionHandle(i);
  userOf(i, c.wszUserName, 257);
  c.dwInterfaceType = ROUTER_IF_TYPE_CLIENT;
  std::swprintf(c.PppInfo3.ip.wszRemoteAddress, 16, L"10.8.%lu.%lu", i / 250, 2 + i % 250);
  c.PppInfo3.lcp.dwAuthenticationProtocol = i % 2 ? PPP_LCP_EAP : PPP_LCP_CHAP;
  c.PppInfo3.lcp.dwAuthenticationData = i % 2 ? 0 : PPP_LCP_CHAP_MSV2;
  c.PppInfo3.ipv6.dwError = i % 2 ? 0 : 1;  // IPv6 negotiated for odd connections
  c.PppInfo3.ipv6.bPrefix[0] = 0xfd;
  c.PppInfo3.ipv6.dwPrefixLength = 64;
  c.PppInfo3.ipv6.bRemoteInterfaceIdentifier[7] = static_cast<BYTE>(i + 1);
  c.rasQuarState = i % 5 == 4 ? RAS_QUAR_STATE_QUARANTINE : RAS_QUAR_STATE_NORMAL;
}

void fillEx(DWORD i, RAS_CONNECTION_EX& c) {
  RAS_CONNECTION_0 c0{};
  fillLevel0(i, c0);
  RAS_CONNECTION_1 c1{};
  fillLevel1(i, c1);
  c.Header.revision = MPRAPI_RAS_CONNECTION_OBJECT_REVISION_1;
  c.Header.type = MPRAPI_OBJECT_TYPE_RAS_CONNECTION_OBJECT;
  c.Header.size = sizeof(RAS_CONNECTION_EX);
  c.dwConnectDuration = c0.dwConnectDuration;
  c.dwInterfaceType = c0.dwInterfaceType;
  c.dwConnectionFlags = c0.dwConnectionFlags;
  std::memcpy(c.wszInterfaceName, c0.wszInterfaceName, sizeof c.wszInterfaceName);
  std::memcpy(c.wszUserName, c0.wszUserName, sizeof c.wszUserName);
  std::memcpy(c.wszLogonDomain, c0.wszLogonDomain, sizeof c.wszLogonDomain);
  std::memcpy(c.wszRemoteComputer, c0.wszRemoteComputer, sizeof c.wszRemoteComputer);
  c.rasQuarState = i % 5 == 4 ? RAS_QUAR_STATE_QUARANTINE : RAS_QUAR_STATE_NORMAL;
  c.dwBytesXmited = c1.dwBytesXmited;
  c.dwBytesRcved = c1.dwBytesRcved;
  c.dwFramesXmited = c1.dwFramesXmited;
  c.dwFramesRcved = c1.dwFramesRcved;
  c.dwCrcErr = c1.dwCrcErr;
  c.dwCompressionRatioIn = c1.dwCompressionRatioIn;
  c.dwCompressionRatioOut = c1.dwCompressionRatioOut;
  std::swprintf(c.wszRemoteEndpointAddress, 65, L"203.0.113.%lu", 1 + i % 254);
  fill(c.wszLocalEndpointAddress, 65, L"198.51.100.1");
  if (i % 3 == 0) {
    c.ProjectionInfo.projectionInfoType = 2;  // IKEv2
    auto& p = c.ProjectionInfo.Ikev2ProjectionInfo;
    std::swprintf(p.wszRemoteAddress, 16, L"10.8.%lu.%lu", i / 250, 2 + i % 250);
    p.dwIPv6NegotiationError = 1;
    p.dwAuthenticationProtocol = 2;  // EAP
  } else {
    c.ProjectionInfo.projectionInfoType = 1;  // PPP
    auto& p = c.ProjectionInfo.PppProjectionInfo;
    std::swprintf(p.wszRemoteAddress, 16, L"10.8.%lu.%lu", i / 250, 2 + i % 250);
    p.dwIPv6NegotiationError = 1;
    p.dwAuthenticationProtocol = PPP_LCP_CHAP;
    p.dwAuthenticationData = PPP_LCP_CHAP_MSV2;
  }
  c.hConnection = connectionHandle(i);
  c.hInterface = interfaceHandle(i);
}

template <typename Entry, typename Fill>
DWORD enumerate(HANDLE server, LPBYTE* buffer, DWORD pref_max_len, LPDWORD read, LPDWORD total, LPDWORD resume,
                Fill fill_entry) {
  if (!buffer || !read || !total) return ERROR_INVALID_PARAMETER;
  Settings s;
  {
    std::lock_guard lock(g_mu);
    if (!validServer(server)) return ERROR_INVALID_HANDLE;
    s = g_settings;
    ++g_enum_calls;
  }
  *buffer = nullptr;
  *read = 0;
  *total = 0;
  if (s.enum_error) return s.enum_error;
  const DWORD start = resume ? *resume : 0;
  if (start > s.connections) return ERROR_INVALID_PARAMETER;
  const DWORD remaining = s.connections - start;
  const DWORD fits = pref_max_len == MAXDWORD ? remaining : pref_max_len / static_cast<DWORD>(sizeof(Entry));
  const DWORD count = fits < remaining ? fits : remaining;
  *total = remaining;
  if (count > 0) {
    auto* entries = static_cast<Entry*>(allocate(sizeof(Entry) * count));
    for (DWORD k = 0; k < count; ++k) fill_entry(start + k, entries[k]);
    *buffer = reinterpret_cast<LPBYTE>(entries);
  }
  *read = count;
  const bool more = start + count < s.connections;
  if (resume) *resume = more ? start + count : 0;
  return more ? ERROR_MORE_DATA : NO_ERROR;
}

}  // namespace

extern "C" {

BOOL WINAPI MprAdminIsServiceRunning(LPWSTR server) {
  if (server && *server) return FALSE;
  return readSettings().running;
}

DWORD WINAPI MprAdminServerConnect(LPWSTR server, MPR_SERVER_HANDLE* handle) {
  if (!handle) return ERROR_INVALID_PARAMETER;
  if (server && *server) return RPC_S_SERVER_UNAVAILABLE;  // only the local machine exists here
  const Settings s = readSettings();
  if (s.connect_error) return s.connect_error;
  std::lock_guard lock(g_mu);
  g_settings = s;
  ++g_servers;
  *handle = &g_server_token;
  return NO_ERROR;
}

VOID WINAPI MprAdminServerDisconnect(MPR_SERVER_HANDLE handle) {
  std::lock_guard lock(g_mu);
  if (validServer(handle)) --g_servers;
}

DWORD WINAPI MprAdminBufferFree(LPVOID buffer) {
  std::lock_guard lock(g_mu);
  if (g_buffers.erase(buffer) == 0) return ERROR_INVALID_PARAMETER;  // unknown or freed twice
  std::free(buffer);
  return NO_ERROR;
}

DWORD WINAPI MprAdminServerGetInfo(MPR_SERVER_HANDLE server, DWORD level, LPBYTE* buffer) {
  if (!buffer) return ERROR_INVALID_PARAMETER;
  Settings s;
  {
    std::lock_guard lock(g_mu);
    if (!validServer(server)) return ERROR_INVALID_HANDLE;
    s = g_settings;
  }
  *buffer = nullptr;
  if (!s.running) return ERROR_DDM_NOT_RUNNING;
  if (level > 2 || level > s.server_level) return ERROR_INVALID_LEVEL;
  if (level == 0) {
    auto* info = static_cast<MPR_SERVER_0*>(allocate(sizeof(MPR_SERVER_0)));
    info->dwUpTime = 86400;
    info->dwTotalPorts = s.total_ports;
    info->dwPortsInUse = s.connections < s.total_ports ? s.connections : s.total_ports;
    *buffer = reinterpret_cast<LPBYTE>(info);
  } else {
    auto* info = static_cast<MPR_SERVER_2*>(allocate(sizeof(MPR_SERVER_2)));  // level 1 is its prefix
    info->dwNumPptpPorts = s.total_ports / 4;
    info->dwNumL2tpPorts = s.total_ports / 4;
    info->dwNumSstpPorts = s.total_ports / 2;
    *buffer = reinterpret_cast<LPBYTE>(info);
  }
  return NO_ERROR;
}

DWORD WINAPI MprAdminConnectionEnum(RAS_SERVER_HANDLE server, DWORD level, LPBYTE* buffer, DWORD pref_max_len,
                                    LPDWORD read, LPDWORD total, LPDWORD resume) {
  DWORD max_level = 0;
  {
    std::lock_guard lock(g_mu);
    max_level = g_settings.max_level;
  }
  if (level > 3 || level > max_level) return ERROR_INVALID_LEVEL;
  switch (level) {
    case 0: return enumerate<RAS_CONNECTION_0>(server, buffer, pref_max_len, read, total, resume, fillLevel0);
    case 1: return enumerate<RAS_CONNECTION_1>(server, buffer, pref_max_len, read, total, resume, fillLevel1);
    case 2: return enumerate<RAS_CONNECTION_2>(server, buffer, pref_max_len, read, total, resume, fillLevel2);
    default: return enumerate<RAS_CONNECTION_3>(server, buffer, pref_max_len, read, total, resume, fillLevel3);
  }
}

DWORD WINAPI MprAdminConnectionEnumEx(RAS_SERVER_HANDLE server, PMPRAPI_OBJECT_HEADER header, DWORD pref_max_len,
                                      LPDWORD read, LPDWORD total, PRAS_CONNECTION_EX* connections,
                                      LPDWORD resume) {
  if (!header || header->revision != MPRAPI_RAS_CONNECTION_OBJECT_REVISION_1 ||
      header->type != MPRAPI_OBJECT_TYPE_RAS_CONNECTION_OBJECT || header->size != sizeof(RAS_CONNECTION_EX)) {
    return ERROR_INVALID_PARAMETER;
  }
  return enumerate<RAS_CONNECTION_EX>(server, reinterpret_cast<LPBYTE*>(connections), pref_max_len, read, total,
                                      resume, fillEx);
}

// Test hooks.
LONG WINAPI MockRras_OutstandingBuffers() {
  std::lock_guard lock(g_mu);
  return static_cast<LONG>(g_buffers.size());
}

LONG WINAPI MockRras_EnumCalls() {
  std::lock_guard lock(g_mu);
  return g_enum_calls;
}

}  // extern "C"
