// RAS_CONNECTION_EX_IDL, the element of the RRasAdminConnectionEnumEx array: real NDR20 with two
// encapsulated unions (each tag 8-aligned), enum16 members and 8-aligned projection arms. NDR20
// marshals no structure's trailing gap ([MS-RPCE] 2.2.5.3.4.1 makes it an NDR64 rule), so each arm
// is as long as its last member reaches: PPP 192 bytes, IKEv2 140 (144 in memory). widl + Wine's
// rpcrt4 on the spec's IDL put the same bytes on the wire (tests/reference_dimsvc).
#include "model/ras_codes.h"
#include "sources/rrasm/dimsvc_codec.h"

namespace rras::rrasm {

namespace {

constexpr uint8_t kRevision1 = 1;
constexpr size_t kArmSize = 1456;      // RAS_CONNECTION_EX_1_IDL up to the projection union
constexpr size_t kPppArmSize = 192;    // PPP_PROJECTION_INFO_1: ends on dwCcpRemoteOptions at 188
constexpr size_t kIkev2ArmSize = 140;  // IKEV2_PROJECTION_INFO_1: ends on dwEncryptionMethod at 136
}  // namespace

Connection decodeRasConnectionEx(NdrReader& r, uint32_t index) {
  const std::string where = "element " + std::to_string(index);
  r.align(8, "RAS_CONNECTION_EX_IDL alignment");
  if (const uint8_t revision = r.u8("RAS_CONNECTION_EX_IDL revision"); revision != kRevision1) {
    r.fail(where + ": unknown RAS_CONNECTION_EX_IDL revision " + std::to_string(revision));
  }
  r.align(8, "RAS_CONNECTION_EX_1_IDL alignment");
  const auto a = r.bytes(kArmSize, "RAS_CONNECTION_EX_1_IDL");

  Connection c;
  c.levels = kHasEx;
  c.duration_seconds = loadU32(a, 4);
  c.interface_type = interfaceTypeFromWire(loadU16(a, 8));  // enum16
  c.flags = loadU32(a, 12);
  c.interface_name = loadWideString(a, 16, 257);
  c.user = loadWideString(a, 530, 257);
  c.domain = loadWideString(a, 1044, 16);
  c.remote_computer = loadWideString(a, 1076, 17);
  c.quarantine_state = quarantineStateFromWire(loadU16(a, 1128));  // enum16
  WireCounters& w = c.counters;
  uint32_t* fields[] = {
      &w.bytes_sent,     &w.bytes_received,        &w.frames_sent,          &w.frames_received,
      &w.crc_errors,     &w.timeout_errors,        &w.alignment_errors,     &w.hardware_overrun_errors,
      &w.framing_errors, &w.buffer_overrun_errors, &w.compression_ratio_in, &w.compression_ratio_out};
  for (size_t i = 0; i < std::size(fields); ++i) *fields[i] = loadU32(a, 1140 + 4 * i);
  c.tunnel_endpoint = loadWideString(a, 1192, 65);

  r.align(8, "PROJECTION_INFO_IDL_1 alignment");
  const uint8_t projection = r.u8("PROJECTION_INFO_IDL_1 projectionInfoType");
  if (projection != kProjectionInfoPpp && projection != kProjectionInfoIkev2) {
    r.fail(where + ": unknown projectionInfoType " + std::to_string(projection));
  }
  r.align(8, "projection arm alignment");
  const bool ppp = projection == kProjectionInfoPpp;
  const auto p = r.bytes(ppp ? kPppArmSize : kIkev2ArmSize, ppp ? "PPP_PROJECTION_INFO_1" : "IKEV2_PROJECTION_INFO_1");
  c.protocol = ppp ? "ppp" : "ikev2";
  // Both arms start {dwIPv4NegotiationError; wszAddress[16]; wszRemoteAddress[16]}.
  if (loadU32(p, 0) == 0) c.client_ipv4 = loadWideString(p, 36, 16);
  // IPv6: error, bInterfaceIdentifier, bRemoteInterfaceIdentifier, bPrefix, dwPrefixLength at
  // 88/92/100/108/116 (PPP) and 80/84/92/100/108 (IKEv2: no IPv4 option DWORDs before the
  // 8-aligned sub-interface index).
  const size_t v6 = ppp ? 88 : 80;
  if (loadU32(p, v6) == 0) c.client_ipv6 = ipv6FromPrefixAndInterfaceId(&p[v6 + 20], loadU32(p, v6 + 28), &p[v6 + 12]);
  if (ppp) {
    if (loadU32(p, 128) == 0) c.auth_protocol = pppAuthLabel(loadU32(p, 140), loadU32(p, 144));
  } else {
    c.auth_protocol = ikev2AuthLabel(loadU32(p, 124));
  }
  c.handle = r.u32("hConnection");
  c.interface_handle = r.u32("hInterface");
  return c;
}

}  // namespace rras::rrasm
