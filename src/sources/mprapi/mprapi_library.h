// mprapi.dll, loaded at run time from System32 only (a stray mprapi.dll beside the exe or on the
// PATH is never picked up), or from the test-only `mprapi_dll_path`. Every entry point comes from
// GetProcAddress: mingw's import library lacks MprAdminConnectionEnumEx, and a DLL of Windows
// Server 2008 or older has no such export at all. MprAdminConnectionEnumEx, MprAdminInterfaceEnum
// and MprAdminPortEnum are optional: a DLL without one loads, and the call answers
// ERROR_PROC_NOT_FOUND.
#pragma once

#include <windows.h>
#include <mprapi.h>

#include <memory>
#include <string>

namespace rras {

struct MprapiFunctions {
  decltype(&MprAdminIsServiceRunning) isServiceRunning = nullptr;
  decltype(&MprAdminServerConnect) serverConnect = nullptr;
  decltype(&MprAdminServerDisconnect) serverDisconnect = nullptr;
  decltype(&MprAdminServerGetInfo) serverGetInfo = nullptr;
  decltype(&MprAdminConnectionEnum) connectionEnum = nullptr;
  decltype(&MprAdminBufferFree) bufferFree = nullptr;
  decltype(&MprAdminConnectionEnumEx) connectionEnumEx = nullptr;  // nullptr before Windows 7 / 2008 R2
  // Optional: a DLL without them (or a table without them) fails only the interfaces / ports
  // collector, with ERROR_PROC_NOT_FOUND.
  decltype(&MprAdminInterfaceEnum) interfaceEnum = nullptr;
  decltype(&MprAdminPortEnum) portEnum = nullptr;
};

class MprapiLibrary {
 public:
  // Throws std::runtime_error naming the DLL and the missing entry point or load error.
  explicit MprapiLibrary(const std::string& dll_path);
  // A table of functions already in the process, under a name for messages (tests script faults
  // with it; no DLL is loaded).
  MprapiLibrary(const MprapiFunctions& functions, std::string name);
  ~MprapiLibrary();
  MprapiLibrary(const MprapiLibrary&) = delete;
  MprapiLibrary& operator=(const MprapiLibrary&) = delete;

  const MprapiFunctions& functions() const { return functions_; }
  const std::string& path() const { return path_; }  // the file actually loaded

 private:
  HMODULE module_ = nullptr;
  std::string path_;
  MprapiFunctions functions_;
};

}  // namespace rras
