// The portable record of a RAS port (RAS_PORT_0 / MS-RRASM RASI_PORT_0): what every source
// decodes MprAdminPortEnum's entries into. Ports are counted per protocol, never exported one by
// one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rras {

// RAS_PORT_CONDITION (mprapi.h), in wire order.
enum class PortCondition : uint8_t {
  kNonOperational = 0,
  kDisconnected,
  kCallingBack,
  kListening,
  kAuthenticating,
  kAuthenticated,
  kInitializing,
  kUnknown,
};
std::string_view portConditionLabel(PortCondition c);
PortCondition portConditionFromWire(uint32_t v);

struct Port {
  uint64_t handle = 0;      // hPort
  uint64_t connection = 0;  // hConnection (0 when no connection uses the port)
  PortCondition condition = PortCondition::kUnknown;
  uint32_t total_calls = 0;                           // dwTotalNumberOfCalls
  uint32_t duration_seconds = 0;                      // dwConnectDuration
  std::string name, media, device_name, device_type;  // wszPortName, wszMediaName, wszDeviceName, wszDeviceType
};

// The tunnel protocol of a port from its device name ("WAN Miniport (SSTP)") or media name:
// sstp, ikev2, l2tp, pptp, gre, pppoe or other.
std::string_view portProtocol(const Port& p);

}  // namespace rras
