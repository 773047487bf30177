// RouterApi: the seam every source implements. It mirrors the MprAdmin calls (DESIGN §2) so the
// Enumerator's algorithm is the same against Windows, the MS-RRASM wire and the simulator.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "model/connection.h"
#include "model/port.h"
#include "model/router_interface.h"
#include "router/api_status.h"

namespace rras {

using RouterHandle = uint64_t;

// MPR_SERVER_0/1/2 (level 0: capacity and uptime; 1: PPTP/L2TP ports; 2: + SSTP ports).
struct ServerInfo {
  int level = -1;  // highest MPR_SERVER_n level obtained; -1 when none
  bool lan_only_mode = false;
  uint32_t uptime_seconds = 0, total_ports = 0, ports_in_use = 0;
  std::optional<uint32_t> pptp_ports, l2tp_ports, sstp_ports;
};

// One page of an enumeration: the entries decoded into portable records.
template <class Entry>
struct Page {
  std::vector<Entry> entries;
  uint32_t entries_read = 0;
  uint32_t total_entries = 0;  // "could have been enumerated from the current resume position"
};
using ConnectionPage = Page<Connection>;
using InterfacePage = Page<RouterInterface>;
using PortPage = Page<Port>;

inline constexpr uint32_t kPrefMaxAll = 0xFFFFFFFFu;  // dwPrefMaxLen = -1

class RouterApi {
 public:
  virtual ~RouterApi() = default;

  // MprAdminIsServiceRunning: the only call that checks the RemoteAccess service.
  virtual bool isServiceRunning() = 0;
  // MprAdminServerConnect: does not check the service.
  virtual ApiCode connect(RouterHandle& handle) = 0;
  virtual void disconnect(RouterHandle handle) = 0;
  // MprAdminServerGetInfo at one level (0..2).
  virtual ApiCode serverInfo(RouterHandle handle, int level, ServerInfo& out) = 0;
  // MprAdminConnectionEnum at one level (0..3): one page; status kMoreData while more remain.
  // The source frees its buffer before returning, on every path.
  virtual ApiCode enumConnections(RouterHandle handle, int level, uint32_t pref_max_len, uint32_t& resume_handle,
                                  ConnectionPage& page) = 0;
  // MprAdminConnectionEnumEx: like enumConnections, RAS_CONNECTION_EX entries.
  virtual ApiCode enumConnectionsEx(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle,
                                    ConnectionPage& page) = 0;
  // MprAdminInterfaceEnum level 0 (MPR_INTERFACE_0), paged like connections. A source without it
  // answers ERROR_NOT_SUPPORTED, which fails only the interfaces collector.
  virtual ApiCode enumInterfaces(RouterHandle, uint32_t /*pref_max_len*/, uint32_t& /*resume_handle*/,
                                 InterfacePage& /*page*/) {
    return status::kNotSupported;
  }
  // MprAdminPortEnum level 0 over all connections (RAS_PORT_0), paged like connections.
  virtual ApiCode enumPorts(RouterHandle, uint32_t /*pref_max_len*/, uint32_t& /*resume_handle*/, PortPage& /*page*/) {
    return status::kNotSupported;
  }
  // Interrupts a call blocked in another thread (poll deadline, shutdown). Safe to call any time;
  // a source that cannot interrupt its calls ignores it.
  virtual void cancel() {}
};

}  // namespace rras
