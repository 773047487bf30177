// The flat level-0 structs of opnums 20 and 4 inside their DIM_INFORMATION_CONTAINER: 32-bit C
// layouts (natural alignment, handles as DWORD, enums as 4 bytes), offsets from [MS-RRASM]
// 2.2.1.2.81 and 2.2.1.2.75 (tests/reference_dimsvc/README.md, "Opnums 4 and 20").
#include "sources/rrasm/dimsvc_codec.h"

namespace rras::rrasm {

// MPRI_INTERFACE_0, 540 bytes: wszInterfaceName[257] (+2 alignment bytes), dwInterface,
// fEnabled, dwIfType, dwConnectionState, fUnReachabilityReasons, dwLastError.
RouterInterface decodeMpriInterface0(std::span<const uint8_t> e) {
  if (e.size() != kMpriInterface0Size) {
    throw MalformedReply("MPRI_INTERFACE_0 of " + std::to_string(e.size()) + " bytes");
  }
  RouterInterface i;
  i.name = loadWideString(e, 0, 257);
  i.handle = loadU32(e, 516);
  i.enabled = loadU32(e, 520) != 0;  // BOOL: TRUE is any value > 0
  i.type = interfaceTypeFromWire(loadU32(e, 524));
  i.state = interfaceStateFromWire(loadU32(e, 528));
  i.unreachability_reasons = loadU32(e, 532);
  i.last_error = loadU32(e, 536);
  return i;
}

// RASI_PORT_0, 380 bytes: dwPort, dwConnection, dwPortCondition, dwTotalNumberOfCalls,
// dwConnectDuration, wszPortName[17], wszMediaName[17], wszDeviceName[129], wszDeviceType[17].
Port decodeRasiPort0(std::span<const uint8_t> e) {
  if (e.size() != kRasiPort0Size) throw MalformedReply("RASI_PORT_0 of " + std::to_string(e.size()) + " bytes");
  Port p;
  p.handle = loadU32(e, 0);
  p.connection = loadU32(e, 4);
  p.condition = portConditionFromWire(loadU32(e, 8));
  p.total_calls = loadU32(e, 12);
  p.duration_seconds = loadU32(e, 16);
  p.name = loadWideString(e, 20, 17);
  p.media = loadWideString(e, 54, 17);
  p.device_name = loadWideString(e, 88, 129);
  p.device_type = loadWideString(e, 346, 17);
  return p;
}

}  // namespace rras::rrasm
