// The portable record of a router interface (MPR_INTERFACE_0 / MS-RRASM MPRI_INTERFACE_0): what
// every source decodes MprAdminInterfaceEnum's entries into. Site-to-site (demand-dial) tunnels
// are the interfaces of type full_router.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/connection.h"

namespace rras {

// ROUTER_CONNECTION_STATE (mprapi.h), in wire order.
enum class InterfaceState : uint8_t { kUnreachable = 0, kDisconnected, kConnecting, kConnected, kUnknown };
std::string_view interfaceStateLabel(InterfaceState s);
InterfaceState interfaceStateFromWire(uint32_t v);

struct RouterInterface {
  uint64_t handle = 0;  // hInterface
  std::string name;     // wszInterfaceName (UTF-8)
  InterfaceType type = InterfaceType::kUnknown;
  bool enabled = false;  // fEnabled
  InterfaceState state = InterfaceState::kUnknown;
  uint32_t unreachability_reasons = 0;  // fUnReachabilityReasons (MPR_INTERFACE_* bits)
  uint32_t last_error = 0;              // dwLastError (Win32 code; 0 = none)
};

// The MPR_INTERFACE_* unreachability bits, named as the spec's constants in lower case without
// their prefix ("connection_failure" for MPR_INTERFACE_CONNECTION_FAILURE); unknown bits as
// "0x00000080".
std::vector<std::string> unreachabilityReasonLabels(uint32_t bits);

}  // namespace rras
