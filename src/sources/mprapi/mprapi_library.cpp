#include "sources/mprapi/mprapi_library.h"

#include <stdexcept>
#include <utility>

#include "platform/windows_strings.h"

namespace rras {

namespace {

template <typename F>
void resolve(HMODULE module, const char* name, F& target, const std::string& path, bool required) {
  target = reinterpret_cast<F>(reinterpret_cast<void*>(GetProcAddress(module, name)));
  if (!target && required) {
    throw std::runtime_error(path + " does not export " + name + "; is it the Windows mprapi.dll?");
  }
}

}  // namespace

MprapiLibrary::MprapiLibrary(const std::string& dll_path) {
  if (dll_path.empty()) {
    module_ = LoadLibraryExW(L"mprapi.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  } else {
    module_ = LoadLibraryExW(utf8ToUtf16(dll_path).c_str(), nullptr, LOAD_WITH_ALTERED_SEARCH_PATH);
  }
  const std::string wanted = dll_path.empty() ? "System32\\mprapi.dll" : dll_path;
  if (!module_) {
    const DWORD error = GetLastError();
    throw std::runtime_error("cannot load " + wanted + ": " + win32ErrorText(error) + " (error " +
                             std::to_string(error) + ")");
  }
  wchar_t loaded[MAX_PATH];
  const DWORD n = GetModuleFileNameW(module_, loaded, MAX_PATH);
  path_ = n > 0 ? utf16ToUtf8(loaded, n) : wanted;
  try {
    auto& f = functions_;
    resolve(module_, "MprAdminIsServiceRunning", f.isServiceRunning, path_, true);
    resolve(module_, "MprAdminServerConnect", f.serverConnect, path_, true);
    resolve(module_, "MprAdminServerDisconnect", f.serverDisconnect, path_, true);
    resolve(module_, "MprAdminServerGetInfo", f.serverGetInfo, path_, true);
    resolve(module_, "MprAdminConnectionEnum", f.connectionEnum, path_, true);
    resolve(module_, "MprAdminBufferFree", f.bufferFree, path_, true);
    resolve(module_, "MprAdminConnectionEnumEx", f.connectionEnumEx, path_, false);
    resolve(module_, "MprAdminInterfaceEnum", f.interfaceEnum, path_, false);
    resolve(module_, "MprAdminPortEnum", f.portEnum, path_, false);
  } catch (...) {
    FreeLibrary(module_);
    throw;
  }
}

MprapiLibrary::MprapiLibrary(const MprapiFunctions& functions, std::string name)
    : path_(std::move(name)), functions_(functions) {}

MprapiLibrary::~MprapiLibrary() {
  if (module_) FreeLibrary(module_);
}

}  // namespace rras
