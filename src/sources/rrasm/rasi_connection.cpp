// The flat RASI_CONNECTION_0..3 structs inside the opnum 1 buffer: packed 32-bit C layouts
// (natural alignment, handles as DWORD, enums as 4 bytes), offsets from research/rrasm.md §2.3.
#include "model/ras_codes.h"
#include "sources/rrasm/dimsvc_codec.h"

namespace rras::rrasm {

namespace {

// The IPX address width shifts everything behind PPP_IPXCP_INFO in levels 1 and 2.
constexpr size_t kIpxWide = 16;  // WCHAR[23] + 2 bytes of padding over WCHAR[16]

// An IPv4 projection: PPP_IPCP_INFO(2) {dwError; wszAddress[16]; wszRemoteAddress[16]; ...}.
// The remote address is the client's; nothing when the projection failed.
std::string clientIpv4(std::span<const uint8_t> e, size_t ipcp) {
  if (loadU32(e, ipcp) != 0) return {};
  return loadWideString(e, ipcp + 36, 16);
}

// PPP_LCP_INFO: the protocol that authenticated the remote peer (the client).
std::string lcpAuth(std::span<const uint8_t> e, size_t lcp) {
  if (loadU32(e, lcp) != 0) return {};
  return pppAuthLabel(loadU32(e, lcp + 12), loadU32(e, lcp + 16));
}

}  // namespace

Connection decodeRasiConnection(std::span<const uint8_t> e, int level) {
  Connection c;
  const size_t shift = e.size() == 288 || e.size() == 844 ? kIpxWide : 0;
  switch (level) {
    case 0:
      c.levels = kHasLevel0;
      c.handle = loadU32(e, 0);
      c.interface_handle = loadU32(e, 4);
      c.duration_seconds = loadU32(e, 8);
      c.interface_type = interfaceTypeFromWire(loadU32(e, 12));
      c.flags = loadU32(e, 16);
      c.interface_name = loadWideString(e, 20, 257);
      c.user = loadWideString(e, 534, 257);
      c.domain = loadWideString(e, 1048, 16);
      c.remote_computer = loadWideString(e, 1080, 17);
      break;
    case 1: {
      c.levels = kHasLevel1;
      c.handle = loadU32(e, 0);
      c.interface_handle = loadU32(e, 4);
      c.client_ipv4 = clientIpv4(e, 48);
      const size_t counters = 224 + shift;
      WireCounters& w = c.counters;
      uint32_t* fields[] = {
          &w.bytes_sent,     &w.bytes_received,        &w.frames_sent,          &w.frames_received,
          &w.crc_errors,     &w.timeout_errors,        &w.alignment_errors,     &w.hardware_overrun_errors,
          &w.framing_errors, &w.buffer_overrun_errors, &w.compression_ratio_in, &w.compression_ratio_out};
      for (size_t i = 0; i < std::size(fields); ++i) *fields[i] = loadU32(e, counters + 4 * i);
      break;
    }
    case 2:
      c.levels = kHasLevel2;
      c.handle = loadU32(e, 0);
      c.user = loadWideString(e, 4, 257);
      c.interface_type = interfaceTypeFromWire(loadU32(e, 520));
      c.client_ipv4 = clientIpv4(e, 580);
      c.auth_protocol = lcpAuth(e, 784 + shift);
      break;
    case 3:
      c.levels = kHasLevel3;
      c.handle = loadU32(e, 8);
      c.user = loadWideString(e, 12, 257);
      c.interface_type = interfaceTypeFromWire(loadU32(e, 528));
      c.client_ipv4 = clientIpv4(e, 588);
      // PPP_IPV6_CP_INFO @664: dwVersion, dwSize, dwError, bInterfaceIdentifier[8],
      // bRemoteInterfaceIdentifier[8], dwOptions, dwRemoteOptions, bPrefix[8], dwPrefixLength.
      if (loadU32(e, 672) == 0) c.client_ipv6 = ipv6FromPrefixAndInterfaceId(&e[700], loadU32(e, 708), &e[684]);
      c.auth_protocol = lcpAuth(e, 732);
      c.quarantine_state = quarantineStateFromWire(loadU32(e, 776));
      break;
    default:
      throw MalformedReply("RASI_CONNECTION_" + std::to_string(level) + " is not a known level");
  }
  return c;
}

}  // namespace rras::rrasm
