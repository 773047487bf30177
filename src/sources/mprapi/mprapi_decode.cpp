#include "sources/mprapi/mprapi_decode.h"

#include <iterator>

#include "model/ras_codes.h"
#include "platform/windows_strings.h"

namespace rras {

namespace {

template <size_t N>
std::string text(const WCHAR (&array)[N]) {
  return utf16ToUtf8(array, N);
}

uint64_t handleValue(HANDLE h) { return static_cast<uint64_t>(reinterpret_cast<ULONG_PTR>(h)); }

// An address only when its projection was negotiated (dwError 0).
template <size_t N>
std::string negotiated(DWORD error, const WCHAR (&address)[N]) {
  return error == 0 ? text(address) : std::string();
}

void counters(Connection& c, DWORD sent, DWORD received, DWORD frames_sent, DWORD frames_received, DWORD crc,
              DWORD timeout, DWORD alignment, DWORD hardware_overrun, DWORD framing, DWORD buffer_overrun,
              DWORD ratio_in, DWORD ratio_out) {
  c.counters = WireCounters{sent,    received, frames_sent,      frames_received, crc,      timeout,
                            alignment, hardware_overrun, framing, buffer_overrun, ratio_in, ratio_out};
}

std::string ipv6(const PPP_IPV6_CP_INFO& info) {
  if (info.dwError != 0) return "";
  return ipv6FromPrefixAndInterfaceId(info.bPrefix, info.dwPrefixLength, info.bRemoteInterfaceIdentifier);
}

}  // namespace

Connection decodeConnection0(const RAS_CONNECTION_0& in) {
  Connection c;
  c.levels = kHasLevel0;
  c.handle = handleValue(in.hConnection);
  c.interface_handle = handleValue(in.hInterface);
  c.duration_seconds = in.dwConnectDuration;
  c.interface_type = interfaceTypeFromWire(static_cast<uint32_t>(in.dwInterfaceType));
  c.flags = in.dwConnectionFlags;
  c.interface_name = text(in.wszInterfaceName);
  c.user = text(in.wszUserName);
  c.domain = text(in.wszLogonDomain);
  c.remote_computer = text(in.wszRemoteComputer);
  return c;
}

Connection decodeConnection1(const RAS_CONNECTION_1& in) {
  Connection c;
  c.levels = kHasLevel1;
  c.handle = handleValue(in.hConnection);
  c.interface_handle = handleValue(in.hInterface);
  c.client_ipv4 = negotiated(in.PppInfo.ip.dwError, in.PppInfo.ip.wszRemoteAddress);
  counters(c, in.dwBytesXmited, in.dwBytesRcved, in.dwFramesXmited, in.dwFramesRcved, in.dwCrcErr, in.dwTimeoutErr,
           in.dwAlignmentErr, in.dwHardwareOverrunErr, in.dwFramingErr, in.dwBufferOverrunErr,
           in.dwCompressionRatioIn, in.dwCompressionRatioOut);
  return c;
}

Connection decodeConnection2(const RAS_CONNECTION_2& in) {
  Connection c;
  c.levels = kHasLevel2;
  c.handle = handleValue(in.hConnection);
  c.user = text(in.wszUserName);
  c.interface_type = interfaceTypeFromWire(static_cast<uint32_t>(in.dwInterfaceType));
  c.client_ipv4 = negotiated(in.PppInfo2.ip.dwError, in.PppInfo2.ip.wszRemoteAddress);
  if (in.PppInfo2.lcp.dwError == 0) {
    c.auth_protocol = pppAuthLabel(in.PppInfo2.lcp.dwAuthenticationProtocol, in.PppInfo2.lcp.dwAuthenticationData);
  }
  return c;
}

Connection decodeConnection3(const RAS_CONNECTION_3& in) {
  Connection c;
  c.levels = kHasLevel3;
  c.handle = handleValue(in.hConnection);
  c.user = text(in.wszUserName);
  c.interface_type = interfaceTypeFromWire(static_cast<uint32_t>(in.dwInterfaceType));
  c.client_ipv4 = negotiated(in.PppInfo3.ip.dwError, in.PppInfo3.ip.wszRemoteAddress);
  c.client_ipv6 = ipv6(in.PppInfo3.ipv6);
  if (in.PppInfo3.lcp.dwError == 0) {
    c.auth_protocol = pppAuthLabel(in.PppInfo3.lcp.dwAuthenticationProtocol, in.PppInfo3.lcp.dwAuthenticationData);
  }
  c.quarantine_state = quarantineStateFromWire(static_cast<uint32_t>(in.rasQuarState));
  return c;
}

Connection decodeConnectionEx(const RAS_CONNECTION_EX& in) {
  Connection c;
  c.levels = kHasEx;
  c.handle = handleValue(in.hConnection);
  c.interface_handle = handleValue(in.hInterface);
  c.duration_seconds = in.dwConnectDuration;
  c.interface_type = interfaceTypeFromWire(static_cast<uint32_t>(in.dwInterfaceType));
  c.flags = in.dwConnectionFlags;
  c.interface_name = text(in.wszInterfaceName);
  c.user = text(in.wszUserName);
  c.domain = text(in.wszLogonDomain);
  c.remote_computer = text(in.wszRemoteComputer);
  c.quarantine_state = quarantineStateFromWire(static_cast<uint32_t>(in.rasQuarState));
  counters(c, in.dwBytesXmited, in.dwBytesRcved, in.dwFramesXmited, in.dwFramesRcved, in.dwCrcErr, in.dwTimeoutErr,
           in.dwAlignmentErr, in.dwHardwareOverrunErr, in.dwFramingErr, in.dwBufferOverrunErr,
           in.dwCompressionRatioIn, in.dwCompressionRatioOut);
  c.tunnel_endpoint = text(in.wszRemoteEndpointAddress);
  const auto& projection = in.ProjectionInfo;
  if (projection.projectionInfoType == kProjectionInfoIkev2) {
    const auto& p = projection.Ikev2ProjectionInfo;
    c.protocol = "ikev2";
    c.client_ipv4 = negotiated(p.dwIPv4NegotiationError, p.wszRemoteAddress);
    if (p.dwIPv6NegotiationError == 0) {
      c.client_ipv6 = ipv6FromPrefixAndInterfaceId(p.bPrefix, p.dwPrefixLength, p.bRemoteInterfaceIdentifier);
    }
    c.auth_protocol = ikev2AuthLabel(p.dwAuthenticationProtocol);
  } else if (projection.projectionInfoType == kProjectionInfoPpp) {
    const auto& p = projection.PppProjectionInfo;
    c.protocol = "ppp";
    c.client_ipv4 = negotiated(p.dwIPv4NegotiationError, p.wszRemoteAddress);
    if (p.dwIPv6NegotiationError == 0) {
      c.client_ipv6 = ipv6FromPrefixAndInterfaceId(p.bPrefix, p.dwPrefixLength, p.bRemoteInterfaceIdentifier);
    }
    if (p.dwLcpError == 0) c.auth_protocol = pppAuthLabel(p.dwAuthenticationProtocol, p.dwAuthenticationData);
  } else {
    c.protocol = "unknown";
  }
  return c;
}

}  // namespace rras
