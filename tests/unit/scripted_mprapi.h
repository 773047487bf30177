// mprapi.dll's MprAdmin* functions scripted in process (Windows build, run under Wine): the fault
// matrix drives the real MprapiRouter, its decoding and buffer handling, the Enumerator and the
// interfaces and ports collectors with what a DLL could do wrong or a remote router could answer.
// One script at a time (the matrix runs its rows one after the other); every buffer handed out is
// tracked, so a row can require that MprAdminBufferFree got each one back exactly once.
#pragma once

#include <windows.h>
#include <mprapi.h>
#include <mprerror.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <set>

#include "mock_connections.h"  // tests/windows/mock_mprapi: the mock DLL's connections and paging rule
#include "sources/mprapi/mprapi_library.h"

namespace rras::testing::scripted_mprapi {

struct Script {
  DWORD connections = 5;
  DWORD per_page = 2;       // entries per page, whatever dwPrefMaxLen says
  bool enum_ex = true;      // export MprAdminConnectionEnumEx (Windows 7 / 2008 R2 and later)
  DWORD max_level = 3;      // MprAdminConnectionEnum levels above: ERROR_INVALID_LEVEL
  bool running = true;      // MprAdminIsServiceRunning; false: every call after connect answers
                            // ERROR_DDM_NOT_RUNNING
  DWORD connect_error = 0;  // MprAdminServerConnect's answer
  // EnumEx: an error for its call number n (0-based over the router's life), or 0 to answer.
  std::function<DWORD(int call)> enum_ex_error = [](int) { return DWORD{0}; };
  bool resume_stuck = false;         // EnumEx: ERROR_MORE_DATA with the same resume handle each time
  bool read_without_buffer = false;  // EnumEx: dwEntriesRead > 0 and no buffer
  bool hang = false;                 // EnumEx blocks in synchronous I/O until CancelSynchronousIo
  // MprAdminInterfaceEnum / MprAdminPortEnum (level 0; per_page entries a page, the mock DLL's
  // interfaces and ports of mock_connections.h). Not exported: the table has no such function
  // and MprapiRouter answers ERROR_PROC_NOT_FOUND.
  bool interface_enum = true, port_enum = true;
  DWORD interfaces = mock_connections::kDefaultInterfaces;
  DWORD listening_ports = mock_connections::kDefaultListeningPorts;  // per protocol, besides one per connection
  // An error for call number n (0-based over the router's life), or 0 to answer.
  std::function<DWORD(int call)> interface_error = [](int) { return DWORD{0}; };
  std::function<DWORD(int call)> port_error = [](int) { return DWORD{0}; };
  bool interface_hang = false, port_hang = false;  // block in synchronous I/O until CancelSynchronousIo
  // dwEntriesRead 2 and no buffer: a reply that cannot be what it says.
  bool interfaces_without_buffer = false, ports_without_buffer = false;
};

struct State {
  std::mutex mu;
  Script script;
  std::set<void*> buffers;  // handed out, not yet freed
  int connects = 0, enum_ex_calls = 0, interface_calls = 0, port_calls = 0, bad_frees = 0;
  std::atomic<bool> hang_aborted{false};  // the blocked ReadFile ended with ERROR_OPERATION_ABORTED
};

inline State& state() {
  static State s;
  return s;
}

inline void* allocate(size_t bytes) {
  void* p = std::calloc(1, bytes);
  std::lock_guard lock(state().mu);
  state().buffers.insert(p);
  return p;
}

inline char g_server_token;

inline BOOL WINAPI isServiceRunning(LPWSTR) {
  std::lock_guard lock(state().mu);
  return state().script.running ? TRUE : FALSE;
}

inline DWORD WINAPI serverConnect(LPWSTR, MPR_SERVER_HANDLE* handle) {
  std::lock_guard lock(state().mu);
  ++state().connects;
  if (state().script.connect_error) return state().script.connect_error;
  *handle = &g_server_token;
  return NO_ERROR;
}

inline VOID WINAPI serverDisconnect(MPR_SERVER_HANDLE) {}

inline DWORD WINAPI bufferFree(LPVOID buffer) {
  std::lock_guard lock(state().mu);
  if (state().buffers.erase(buffer) == 0) {
    ++state().bad_frees;
    return ERROR_INVALID_PARAMETER;
  }
  std::free(buffer);
  return NO_ERROR;
}

inline DWORD WINAPI serverGetInfo(MPR_SERVER_HANDLE, DWORD level, LPBYTE* buffer) {
  *buffer = nullptr;
  DWORD connections = 0;
  {
    std::lock_guard lock(state().mu);
    if (!state().script.running) return ERROR_DDM_NOT_RUNNING;
    connections = state().script.connections;
  }
  if (level != 0) return ERROR_INVALID_LEVEL;
  auto* info = static_cast<MPR_SERVER_0*>(allocate(sizeof(MPR_SERVER_0)));
  info->dwUpTime = 3600;
  info->dwTotalPorts = 128;
  info->dwPortsInUse = connections;
  *buffer = reinterpret_cast<LPBYTE>(info);
  return NO_ERROR;
}

// Blocks in a synchronous ReadFile on a pipe nobody writes, as an RPC to a hung router blocks;
// only CancelSynchronousIo from another thread ends it.
inline DWORD hangInSynchronousIo() {
  HANDLE r = nullptr, w = nullptr;
  if (!CreatePipe(&r, &w, nullptr, 0)) return GetLastError();
  char byte = 0;
  DWORD got = 0;
  const BOOL ok = ReadFile(r, &byte, 1, &got, nullptr);
  const DWORD error = ok ? NO_ERROR : GetLastError();
  CloseHandle(r);
  CloseHandle(w);
  state().hang_aborted = error == ERROR_OPERATION_ABORTED;
  return error == ERROR_OPERATION_ABORTED ? ERROR_CANCELLED : error;
}

inline DWORD WINAPI connectionEnum(RAS_SERVER_HANDLE, DWORD level, LPBYTE* buffer, DWORD, LPDWORD read, LPDWORD total,
                                   LPDWORD resume) {
  *buffer = nullptr;
  *read = *total = 0;
  Script s;
  {
    std::lock_guard lock(state().mu);
    s = state().script;
  }
  if (!s.running) return ERROR_DDM_NOT_RUNNING;
  if (level > s.max_level) return ERROR_INVALID_LEVEL;
  if (level != 0) return ERROR_NOT_SUPPORTED;  // the rows that need levels 1-3 use the mock DLL's suite
  return mock_connections::page<RAS_CONNECTION_0>(s.connections, s.per_page, allocate, mock_connections::fillLevel0,
                                                  buffer, read, total, resume);
}

inline DWORD WINAPI connectionEnumEx(RAS_SERVER_HANDLE, PMPRAPI_OBJECT_HEADER header, DWORD, LPDWORD read,
                                     LPDWORD total, PRAS_CONNECTION_EX* connections, LPDWORD resume) {
  *connections = nullptr;
  *read = *total = 0;
  if (header->size != sizeof(RAS_CONNECTION_EX)) return ERROR_INVALID_PARAMETER;
  Script s;
  int call = 0;
  {
    std::lock_guard lock(state().mu);
    s = state().script;
    call = state().enum_ex_calls++;
  }
  if (s.hang) return hangInSynchronousIo();
  if (const DWORD error = s.enum_ex_error(call)) return error;
  if (!s.running) return ERROR_DDM_NOT_RUNNING;
  if (s.read_without_buffer) {
    *read = *total = 2;
    return NO_ERROR;
  }
  const DWORD before = *resume;
  const DWORD code =
      mock_connections::page<RAS_CONNECTION_EX>(s.connections, s.per_page, allocate, mock_connections::fillEx,
                                                reinterpret_cast<LPBYTE*>(connections), read, total, resume);
  if (s.resume_stuck && code == ERROR_MORE_DATA && before != 0) *resume = before;
  return code;
}

inline DWORD WINAPI interfaceEnum(MPR_SERVER_HANDLE, DWORD level, LPBYTE* buffer, DWORD, LPDWORD read, LPDWORD total,
                                  LPDWORD resume) {
  *buffer = nullptr;
  *read = *total = 0;
  Script s;
  int call = 0;
  {
    std::lock_guard lock(state().mu);
    s = state().script;
    call = state().interface_calls++;
  }
  if (s.interface_hang) return hangInSynchronousIo();
  if (const DWORD error = s.interface_error(call)) return error;
  if (!s.running) return ERROR_DDM_NOT_RUNNING;
  if (level != 0) return ERROR_INVALID_LEVEL;
  if (s.interfaces_without_buffer) {
    *read = *total = 2;
    return NO_ERROR;
  }
  return mock_connections::page<MPR_INTERFACE_0>(s.interfaces, s.per_page, allocate, mock_connections::fillInterface0,
                                                 buffer, read, total, resume);
}

inline DWORD WINAPI portEnum(RAS_SERVER_HANDLE, DWORD level, HANDLE connection, LPBYTE* buffer, DWORD, LPDWORD read,
                             LPDWORD total, LPDWORD resume) {
  *buffer = nullptr;
  *read = *total = 0;
  Script s;
  int call = 0;
  {
    std::lock_guard lock(state().mu);
    s = state().script;
    call = state().port_calls++;
  }
  if (s.port_hang) return hangInSynchronousIo();
  if (const DWORD error = s.port_error(call)) return error;
  if (!s.running) return ERROR_DDM_NOT_RUNNING;
  if (level != 0 || connection != INVALID_HANDLE_VALUE) return ERROR_INVALID_PARAMETER;  // every port, or a bug
  if (s.ports_without_buffer) {
    *read = *total = 2;
    return NO_ERROR;
  }
  return mock_connections::page<RAS_PORT_0>(
      mock_connections::portCount(s.connections, s.listening_ports), s.per_page, allocate,
      [&](DWORD p, RAS_PORT_0& port) { mock_connections::fillPort0(s.connections, p, port); }, buffer, read, total,
      resume);
}

// Resets the state to `script` and returns the function table MprapiRouter uses.
inline MprapiFunctions start(Script script) {
  {
    std::lock_guard lock(state().mu);
    for (void* p : state().buffers) std::free(p);
    state().buffers.clear();
    state().connects = state().enum_ex_calls = state().interface_calls = state().port_calls = state().bad_frees = 0;
    state().hang_aborted = false;
    state().script = std::move(script);
  }
  MprapiFunctions f;
  f.isServiceRunning = isServiceRunning;
  f.serverConnect = serverConnect;
  f.serverDisconnect = serverDisconnect;
  f.serverGetInfo = serverGetInfo;
  f.connectionEnum = connectionEnum;
  f.bufferFree = bufferFree;
  f.connectionEnumEx = state().script.enum_ex ? connectionEnumEx : nullptr;
  f.interfaceEnum = state().script.interface_enum ? interfaceEnum : nullptr;
  f.portEnum = state().script.port_enum ? portEnum : nullptr;
  return f;
}

}  // namespace rras::testing::scripted_mprapi
