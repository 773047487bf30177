// A stand-in mprapi.dll for tests under Wine (Wine's own is stubs that abort). It implements the
// documented MprAdmin semantics the exporter relies on, over a deterministic set of connections:
//   - paging by bytes: a page holds dwPrefMaxLen / sizeof(entry) entries (all for (DWORD)-1,
//     none when fewer bytes than one entry), ERROR_MORE_DATA while more remain, the resume handle
//     is the position of the next entry and 0 once enumeration completes;
//   - levels above MOCK_RRAS_MAX_LEVEL answer ERROR_INVALID_LEVEL;
//   - faults: the service stopped (ERROR_DDM_NOT_RUNNING from server info and every enumeration),
//     connect errors (e.g. access denied), enumeration errors
//     (e.g. ERROR_DDM_NOT_RUNNING);
//   - every buffer is tracked: MprAdminBufferFree rejects unknown and double frees, and
//     MockRras_OutstandingBuffers() tells the tests how many are still held.
// Configuration comes from the environment, read at each MprAdminServerConnect:
//   MOCK_RRAS_CONNECTIONS (default 5), MOCK_RRAS_MAX_LEVEL (3), MOCK_RRAS_SERVER_LEVEL (2),
//   MOCK_RRAS_RUNNING (1), MOCK_RRAS_CONNECT_ERROR (0), MOCK_RRAS_ENUM_ERROR (0),
//   MOCK_RRAS_TOTAL_PORTS (128), MOCK_RRAS_LEVEL_ERROR (124: what a level above the maximum answers,
//   e.g. 50 or 120), MOCK_RRAS_EX_ERROR (0: what the exported MprAdminConnectionEnumEx answers,
//   e.g. 120 ERROR_CALL_NOT_IMPLEMENTED as Windows does from entry points it does not implement),
//   MOCK_RRAS_INTERFACES (5: MprAdminInterfaceEnum's interfaces, mock_connections.h),
//   MOCK_RRAS_LISTENING_PORTS (2: listening ports per protocol besides one port per connection),
//   MOCK_RRAS_INTERFACES_ERROR / MOCK_RRAS_PORTS_ERROR (0: what MprAdminInterfaceEnum /
//   MprAdminPortEnum answer instead, e.g. 5 ERROR_ACCESS_DENIED).
// MprAdminInterfaceEnum and MprAdminPortEnum serve level 0 only (others: ERROR_INVALID_LEVEL, the
// mock's choice), paged like the connections; MprAdminPortEnum's hRasConnection is
// INVALID_HANDLE_VALUE (every port) or a connection's handle (its port; none for an unknown one).
// Built twice: mprapi_mock.dll exports MprAdminConnectionEnumEx, mprapi_mock_noex.dll does not
// (a Windows Server 2008 or older mprapi.dll); both export the interface and port calls.
#include <windows.h>
#include <mprapi.h>
#include <mprerror.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <mutex>
#include <set>

#include "mock_connections.h"

namespace {

using mock_connections::fillEx;
using mock_connections::fillLevel0;
using mock_connections::fillLevel1;
using mock_connections::fillLevel2;
using mock_connections::fillLevel3;

struct Settings {
  DWORD connections = 5, max_level = 3, server_level = 2, connect_error = 0, enum_error = 0, total_ports = 128;
  DWORD level_error = ERROR_INVALID_LEVEL, ex_error = 0;
  DWORD interfaces = mock_connections::kDefaultInterfaces, listening_ports = mock_connections::kDefaultListeningPorts;
  DWORD interfaces_error = 0, ports_error = 0;
  bool running = true;
};

std::mutex g_mu;
Settings g_settings;
std::set<void*> g_buffers;
LONG g_enum_calls = 0, g_interface_enum_calls = 0, g_port_enum_calls = 0;
int g_servers = 0;    // open server handles
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
  s.level_error = envNumber("MOCK_RRAS_LEVEL_ERROR", ERROR_INVALID_LEVEL);
  s.ex_error = envNumber("MOCK_RRAS_EX_ERROR", 0);
  s.interfaces = envNumber("MOCK_RRAS_INTERFACES", mock_connections::kDefaultInterfaces);
  s.listening_ports = envNumber("MOCK_RRAS_LISTENING_PORTS", mock_connections::kDefaultListeningPorts);
  s.interfaces_error = envNumber("MOCK_RRAS_INTERFACES_ERROR", 0);
  s.ports_error = envNumber("MOCK_RRAS_PORTS_ERROR", 0);
  return s;
}

void* allocate(size_t bytes) {
  void* p = std::calloc(1, bytes == 0 ? 1 : bytes);
  std::lock_guard lock(g_mu);
  g_buffers.insert(p);
  return p;
}

bool validServer(HANDLE h) { return h == &g_server_token && g_servers > 0; }

// A page holds dwPrefMaxLen / sizeof(entry) entries: all for (DWORD)-1, none when fewer bytes than one.
template <typename Entry>
DWORD fitting(DWORD pref_max_len) {
  return pref_max_len == MAXDWORD ? MAXDWORD : pref_max_len / static_cast<DWORD>(sizeof(Entry));
}

template <typename Entry>
DWORD enumerate(HANDLE server, LPBYTE* buffer, DWORD pref_max_len, LPDWORD read, LPDWORD total, LPDWORD resume,
                void (*fill_entry)(DWORD, Entry&)) {
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
  if (!s.running) return ERROR_DDM_NOT_RUNNING;  // as MprAdminConnectionEnum's documentation lists
  return mock_connections::page<Entry>(s.connections, fitting<Entry>(pref_max_len), allocate, fill_entry, buffer, read,
                                       total, resume);
}

// The checks MprAdminInterfaceEnum and MprAdminPortEnum share: parameters, level 0, the server
// handle, the service, the injected error. Counts the call; NO_ERROR to go on with `s`.
DWORD beginObjectEnum(HANDLE server, DWORD level, LPBYTE* buffer, LPDWORD read, LPDWORD total, LONG& calls,
                      DWORD Settings::*error, Settings& s) {
  if (!buffer || !read || !total) return ERROR_INVALID_PARAMETER;
  {
    std::lock_guard lock(g_mu);
    if (!validServer(server)) return ERROR_INVALID_HANDLE;
    s = g_settings;
    ++calls;
  }
  *buffer = nullptr;
  *read = 0;
  *total = 0;
  if (s.*error) return s.*error;
  if (!s.running) return ERROR_DDM_NOT_RUNNING;
  if (level != 0) return ERROR_INVALID_LEVEL;
  return NO_ERROR;
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
  if (level > 2) return ERROR_INVALID_LEVEL;
  if (level > s.server_level) return s.level_error;
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
  DWORD max_level = 0, level_error = 0;
  {
    std::lock_guard lock(g_mu);
    max_level = g_settings.max_level;
    level_error = g_settings.level_error;
  }
  if (level > 3) return ERROR_INVALID_LEVEL;
  if (level > max_level) return level_error;
  switch (level) {
    case 0:
      return enumerate<RAS_CONNECTION_0>(server, buffer, pref_max_len, read, total, resume, fillLevel0);
    case 1:
      return enumerate<RAS_CONNECTION_1>(server, buffer, pref_max_len, read, total, resume, fillLevel1);
    case 2:
      return enumerate<RAS_CONNECTION_2>(server, buffer, pref_max_len, read, total, resume, fillLevel2);
    default:
      return enumerate<RAS_CONNECTION_3>(server, buffer, pref_max_len, read, total, resume, fillLevel3);
  }
}

DWORD WINAPI MprAdminConnectionEnumEx(RAS_SERVER_HANDLE server, PMPRAPI_OBJECT_HEADER header, DWORD pref_max_len,
                                      LPDWORD read, LPDWORD total, PRAS_CONNECTION_EX* connections, LPDWORD resume) {
  if (!header || header->revision != MPRAPI_RAS_CONNECTION_OBJECT_REVISION_1 ||
      header->type != MPRAPI_OBJECT_TYPE_RAS_CONNECTION_OBJECT || header->size != sizeof(RAS_CONNECTION_EX)) {
    return ERROR_INVALID_PARAMETER;
  }
  {
    std::lock_guard lock(g_mu);
    if (g_settings.ex_error) return g_settings.ex_error;
  }
  return enumerate<RAS_CONNECTION_EX>(server, reinterpret_cast<LPBYTE*>(connections), pref_max_len, read, total, resume,
                                      fillEx);
}

DWORD WINAPI MprAdminInterfaceEnum(MPR_SERVER_HANDLE server, DWORD level, LPBYTE* buffer, DWORD pref_max_len,
                                   LPDWORD read, LPDWORD total, LPDWORD resume) {
  Settings s;
  if (const DWORD code =
          beginObjectEnum(server, level, buffer, read, total, g_interface_enum_calls, &Settings::interfaces_error, s)) {
    return code;
  }
  return mock_connections::page<MPR_INTERFACE_0>(s.interfaces, fitting<MPR_INTERFACE_0>(pref_max_len), allocate,
                                                 mock_connections::fillInterface0, buffer, read, total, resume);
}

DWORD WINAPI MprAdminPortEnum(RAS_SERVER_HANDLE server, DWORD level, HANDLE connection, LPBYTE* buffer,
                              DWORD pref_max_len, LPDWORD read, LPDWORD total, LPDWORD resume) {
  Settings s;
  if (const DWORD code =
          beginObjectEnum(server, level, buffer, read, total, g_port_enum_calls, &Settings::ports_error, s)) {
    return code;
  }
  const DWORD fits = fitting<RAS_PORT_0>(pref_max_len);
  if (connection == INVALID_HANDLE_VALUE) {
    return mock_connections::page<RAS_PORT_0>(
        mock_connections::portCount(s.connections, s.listening_ports), fits, allocate,
        [&](DWORD p, RAS_PORT_0& port) { mock_connections::fillPort0(s.connections, p, port); }, buffer, read, total,
        resume);
  }
  // One connection's ports: its own port, or none for a handle no connection has.
  DWORD owner = 0;
  while (owner < s.connections && mock_connections::connectionHandle(owner) != connection) ++owner;
  const DWORD entries = owner < s.connections ? 1 : 0;
  return mock_connections::page<RAS_PORT_0>(
      entries, fits, allocate,
      [&](DWORD, RAS_PORT_0& port) { mock_connections::fillPort0(s.connections, owner, port); }, buffer, read, total,
      resume);
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

LONG WINAPI MockRras_InterfaceEnumCalls() {
  std::lock_guard lock(g_mu);
  return g_interface_enum_calls;
}

LONG WINAPI MockRras_PortEnumCalls() {
  std::lock_guard lock(g_mu);
  return g_port_enum_calls;
}

}  // extern "C"
