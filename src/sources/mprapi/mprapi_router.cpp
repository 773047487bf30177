#include "sources/mprapi/mprapi_router.h"

#include <stdexcept>
#include <utility>

#include "platform/windows_strings.h"
#include "sources/mprapi/mprapi_decode.h"

namespace rras {

namespace {

// Frees a buffer the DLL allocated, whatever happens while it is read.
class BufferGuard {
 public:
  BufferGuard(const MprapiFunctions& f, void* buffer) : f_(f), buffer_(buffer) {}
  ~BufferGuard() {
    if (buffer_) f_.bufferFree(buffer_);
  }
  BufferGuard(const BufferGuard&) = delete;
  BufferGuard& operator=(const BufferGuard&) = delete;

 private:
  const MprapiFunctions& f_;
  void* buffer_;
};

HANDLE toHandle(RouterHandle h) { return reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(h)); }

// What every enumeration does with the DLL's answer, right after the call: the buffer is freed on
// every path; on success or ERROR_MORE_DATA its entries are decoded into the page and the resume
// handle is taken.
template <typename Entry, typename Record>
DWORD adoptPage(const MprapiFunctions& f, DWORD code, void* buffer, DWORD read, DWORD total, DWORD resume,
                Record (*decode)(const Entry&), uint32_t& resume_handle, Page<Record>& page) {
  BufferGuard guard(f, buffer);
  if (code != NO_ERROR && code != ERROR_MORE_DATA) return code;
  page = Page<Record>{};
  page.entries_read = read;  // entries without a buffer: the pager reports MALFORMED_REPLY
  page.total_entries = total;
  if (buffer) {
    const auto* entries = static_cast<const Entry*>(buffer);
    page.entries.reserve(read);
    for (DWORD i = 0; i < read; ++i) page.entries.push_back(decode(entries[i]));
  }
  resume_handle = resume;
  return code;
}

}  // namespace

class MprapiRouter::CallScope {
 public:
  explicit CallScope(MprapiRouter& router) : router_(router) {
    HANDLE self = nullptr;
    DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &self, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    std::lock_guard lock(router_.call_mu_);
    router_.call_thread_ = self;
  }
  ~CallScope() {
    std::lock_guard lock(router_.call_mu_);
    if (router_.call_thread_) CloseHandle(router_.call_thread_);
    router_.call_thread_ = nullptr;
  }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  MprapiRouter& router_;
};

MprapiRouter::MprapiRouter(std::string server, const std::string& dll_path)
    : server_(utf8ToUtf16(server)), library_(dll_path) {}

MprapiRouter::MprapiRouter(std::string server, const MprapiFunctions& functions)
    : server_(utf8ToUtf16(server)), library_(functions, "in-process mprapi functions") {}

MprapiRouter::~MprapiRouter() = default;

wchar_t* MprapiRouter::serverName() { return server_.empty() ? nullptr : server_.data(); }

bool MprapiRouter::isServiceRunning() {
  CallScope scope(*this);
  return library_.functions().isServiceRunning(serverName()) != FALSE;
}

ApiCode MprapiRouter::connect(RouterHandle& handle) {
  CallScope scope(*this);
  MPR_SERVER_HANDLE h = nullptr;
  const DWORD code = library_.functions().serverConnect(serverName(), &h);
  if (code == NO_ERROR) handle = static_cast<RouterHandle>(reinterpret_cast<ULONG_PTR>(h));
  return code;
}

void MprapiRouter::disconnect(RouterHandle handle) { library_.functions().serverDisconnect(toHandle(handle)); }

ApiCode MprapiRouter::serverInfo(RouterHandle handle, int level, ServerInfo& out) {
  CallScope scope(*this);
  const auto& f = library_.functions();
  LPBYTE buffer = nullptr;
  const DWORD code = f.serverGetInfo(toHandle(handle), static_cast<DWORD>(level), &buffer);
  BufferGuard guard(f, buffer);
  if (code != NO_ERROR) return code;
  if (!buffer) return ERROR_INVALID_DATA;
  out = ServerInfo{};
  out.level = level;
  if (level == 0) {
    const auto* s = reinterpret_cast<const MPR_SERVER_0*>(buffer);
    out.lan_only_mode = s->fLanOnlyMode != FALSE;
    out.uptime_seconds = s->dwUpTime;
    out.total_ports = s->dwTotalPorts;
    out.ports_in_use = s->dwPortsInUse;
  } else if (level == 1) {
    const auto* s = reinterpret_cast<const MPR_SERVER_1*>(buffer);
    out.pptp_ports = s->dwNumPptpPorts;
    out.l2tp_ports = s->dwNumL2tpPorts;
  } else if (level == 2) {
    const auto* s = reinterpret_cast<const MPR_SERVER_2*>(buffer);
    out.pptp_ports = s->dwNumPptpPorts;
    out.l2tp_ports = s->dwNumL2tpPorts;
    out.sstp_ports = s->dwNumSstpPorts;
  } else {
    return ERROR_INVALID_LEVEL;
  }
  return NO_ERROR;
}

ApiCode MprapiRouter::enumConnections(RouterHandle handle, int level, uint32_t pref_max_len, uint32_t& resume_handle,
                                      ConnectionPage& page) {
  if (level < 0 || level > 3) return ERROR_INVALID_LEVEL;
  CallScope scope(*this);
  const auto& f = library_.functions();
  LPBYTE buffer = nullptr;
  DWORD read = 0, total = 0, resume = resume_handle;
  const DWORD code =
      f.connectionEnum(toHandle(handle), static_cast<DWORD>(level), &buffer, pref_max_len, &read, &total, &resume);
  switch (level) {
    case 0:
      return adoptPage(f, code, buffer, read, total, resume, decodeConnection0, resume_handle, page);
    case 1:
      return adoptPage(f, code, buffer, read, total, resume, decodeConnection1, resume_handle, page);
    case 2:
      return adoptPage(f, code, buffer, read, total, resume, decodeConnection2, resume_handle, page);
    default:
      return adoptPage(f, code, buffer, read, total, resume, decodeConnection3, resume_handle, page);
  }
}

ApiCode MprapiRouter::enumConnectionsEx(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle,
                                        ConnectionPage& page) {
  const auto& f = library_.functions();
  if (!f.connectionEnumEx) return ERROR_PROC_NOT_FOUND;  // before Windows 7 / Server 2008 R2
  CallScope scope(*this);
  MPRAPI_OBJECT_HEADER header{};
  header.revision = MPRAPI_RAS_CONNECTION_OBJECT_REVISION_1;
  header.type = MPRAPI_OBJECT_TYPE_RAS_CONNECTION_OBJECT;
  header.size = sizeof(RAS_CONNECTION_EX);
  RAS_CONNECTION_EX* buffer = nullptr;
  DWORD read = 0, total = 0, resume = resume_handle;
  const DWORD code = f.connectionEnumEx(toHandle(handle), &header, pref_max_len, &read, &total, &buffer, &resume);
  return adoptPage(f, code, buffer, read, total, resume, decodeConnectionEx, resume_handle, page);
}

ApiCode MprapiRouter::enumInterfaces(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle,
                                     InterfacePage& page) {
  const auto& f = library_.functions();
  if (!f.interfaceEnum) return ERROR_PROC_NOT_FOUND;
  CallScope scope(*this);
  LPBYTE buffer = nullptr;
  DWORD read = 0, total = 0, resume = resume_handle;
  // MprAdminInterfaceEnum takes the MPR_SERVER_HANDLE MprAdminServerConnect gave.
  const DWORD code = f.interfaceEnum(toHandle(handle), 0, &buffer, pref_max_len, &read, &total, &resume);
  return adoptPage(f, code, buffer, read, total, resume, decodeInterface0, resume_handle, page);
}

ApiCode MprapiRouter::enumPorts(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle, PortPage& page) {
  const auto& f = library_.functions();
  if (!f.portEnum) return ERROR_PROC_NOT_FOUND;
  CallScope scope(*this);
  LPBYTE buffer = nullptr;
  DWORD read = 0, total = 0, resume = resume_handle;
  // hRasConnection INVALID_HANDLE_VALUE: "all the ports in use or available for use by RRAS".
  const DWORD code =
      f.portEnum(toHandle(handle), 0, INVALID_HANDLE_VALUE, &buffer, pref_max_len, &read, &total, &resume);
  return adoptPage(f, code, buffer, read, total, resume, decodePort0, resume_handle, page);
}

void MprapiRouter::cancel() {
  std::lock_guard lock(call_mu_);
  if (call_thread_) CancelSynchronousIo(call_thread_);
}

}  // namespace rras
