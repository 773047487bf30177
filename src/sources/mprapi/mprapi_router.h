// The `mprapi` source: RouterApi over the real MprAdmin* functions of mprapi.dll (Windows only).
// Each call maps one to one; every buffer the DLL returns is freed with MprAdminBufferFree on
// every path, decoding included.
#pragma once

#include <windows.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "router/router_api.h"
#include "sources/mprapi/mprapi_library.h"

namespace rras {

class MprapiRouter final : public RouterApi {
 public:
  // `server`: "" = the local machine. `dll_path`: "" = System32\mprapi.dll (tests name a mock).
  // Throws std::runtime_error when the DLL cannot be loaded.
  MprapiRouter(std::string server, const std::string& dll_path);
  // Over functions already in the process (tests script the DLL's behaviour with them).
  MprapiRouter(std::string server, const MprapiFunctions& functions);
  ~MprapiRouter() override;

  bool isServiceRunning() override;
  ApiCode connect(RouterHandle& handle) override;
  void disconnect(RouterHandle handle) override;
  ApiCode serverInfo(RouterHandle handle, int level, ServerInfo& out) override;
  ApiCode enumConnections(RouterHandle handle, int level, uint32_t pref_max_len, uint32_t& resume_handle,
                          ConnectionPage& page) override;
  ApiCode enumConnectionsEx(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle,
                            ConnectionPage& page) override;
  // MprAdminInterfaceEnum level 0 (MPR_INTERFACE_0); ERROR_PROC_NOT_FOUND when the DLL lacks it.
  ApiCode enumInterfaces(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle,
                         InterfacePage& page) override;
  // MprAdminPortEnum level 0 (RAS_PORT_0) of every port, in use or not (hRasConnection
  // INVALID_HANDLE_VALUE); ERROR_PROC_NOT_FOUND when the DLL lacks it.
  ApiCode enumPorts(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle, PortPage& page) override;
  // Cancels the synchronous I/O (the RPC to a remote router) of a call in flight.
  void cancel() override;

  const std::string& dllPath() const { return library_.path(); }

 private:
  class CallScope;  // records the calling thread so cancel() can reach it
  wchar_t* serverName();

  std::wstring server_;
  MprapiLibrary library_;
  std::mutex call_mu_;
  HANDLE call_thread_ = nullptr;  // guarded by call_mu_
};

}  // namespace rras
