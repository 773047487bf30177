// The portable connection record: what every source decodes its entries into.
// Strings are UTF-8; handles are widened to 64 bits; counters keep their 32-bit wire width here
// (widening to 64 bits across polls happens in router/connection_tracker).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rras {

// ROUTER_INTERFACE_TYPE (mprapi.h / MS-RRASM 2.2.1.1.1), in wire order.
enum class InterfaceType : uint8_t {
  kClient = 0,
  kHomeRouter,
  kFullRouter,
  kDedicated,
  kInternal,
  kLoopback,
  kTunnel1,
  kDialout,
  kUnknown,
};
std::string_view interfaceTypeLabel(InterfaceType t);
InterfaceType interfaceTypeFromWire(uint32_t v);

// RAS_QUARANTINE_STATE (MS-RRASM 2.2.1.1.12); kUnknown when the level in use does not carry it.
enum class QuarantineState : uint8_t { kNormal = 0, kQuarantine, kProbation, kNotCapable, kUnknown };
std::string_view quarantineStateLabel(QuarantineState s);
QuarantineState quarantineStateFromWire(uint32_t v);

// Which API data a record holds; the Enumerator joins levels by OR-ing these.
enum LevelBits : uint8_t {
  kHasLevel0 = 1,  // names, duration, interface type, flags
  kHasLevel1 = 2,  // byte/frame/error counters, IPv4 address
  kHasLevel2 = 4,  // user, PPP projection with LCP auth and CCP
  kHasLevel3 = 8,  // + IPv6, quarantine state
  kHasEx = 16,     // RAS_CONNECTION_EX: everything above + tunnel endpoints, IKEv2
};

// The 32-bit wire counters of RASI_CONNECTION_1 / RAS_CONNECTION_EX.
struct WireCounters {
  uint32_t bytes_sent = 0, bytes_received = 0;
  uint32_t frames_sent = 0, frames_received = 0;
  uint32_t crc_errors = 0, timeout_errors = 0, alignment_errors = 0;
  uint32_t hardware_overrun_errors = 0, framing_errors = 0, buffer_overrun_errors = 0;
  uint32_t compression_ratio_in = 0, compression_ratio_out = 0;
};

struct Connection {
  uint64_t handle = 0;            // dwConnection / hConnection: identity within one router
  uint64_t interface_handle = 0;  // dwInterface / hInterface
  uint8_t levels = 0;             // LevelBits
  uint32_t duration_seconds = 0;  // dwConnectDuration
  uint32_t flags = 0;             // dwConnectionFlags (RAS_FLAGS_*)
  InterfaceType interface_type = InterfaceType::kUnknown;
  QuarantineState quarantine_state = QuarantineState::kUnknown;
  std::string interface_name, user, domain, remote_computer;
  std::string protocol;  // "ppp" or "ikev2" (projection); "ppp" below EnumEx
  std::string client_ipv4, client_ipv6;
  std::string tunnel_endpoint;  // remote (client) tunnel endpoint address, EnumEx only
  std::string auth_protocol;    // pap, chap, mschap, mschapv2, eap, ikev2-*; "" when unknown
  WireCounters counters;

  bool hasCounters() const { return (levels & (kHasLevel1 | kHasEx)) != 0; }
};

// "domain\user" with ASCII letters lowered: Windows account names are case-insensitive, so this
// is one key per person for counting users and for pseudonyms.
std::string accountKey(std::string_view domain, std::string_view user);

// RAS_FLAGS_* of dwConnectionFlags.
inline constexpr uint32_t kRasFlagsPpp = 0x1;
inline constexpr uint32_t kRasFlagsQuarantinePresent = 0x8;

}  // namespace rras
