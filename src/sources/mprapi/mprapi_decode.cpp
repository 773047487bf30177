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

// The fields RAS_CONNECTION_0 and RAS_CONNECTION_EX share, by name.
template <typename Entry>
void identity(Connection& c, const Entry& in) {
  c.handle = handleValue(in.hConnection);
  c.interface_handle = handleValue(in.hInterface);
  c.duration_seconds = in.dwConnectDuration;
  c.interface_type = interfaceTypeFromWire(static_cast<uint32_t>(in.dwInterfaceType));
  c.flags = in.dwConnectionFlags;
  c.interface_name = text(in.wszInterfaceName);
  c.user = text(in.wszUserName);
  c.domain = text(in.wszLogonDomain);
  c.remote_computer = text(in.wszRemoteComputer);
}

// The counters RAS_CONNECTION_1 and RAS_CONNECTION_EX share, by name.
template <typename Entry>
void counters(Connection& c, const Entry& in) {
  c.counters = WireCounters{in.dwBytesXmited, in.dwBytesRcved,       in.dwFramesXmited,       in.dwFramesRcved,
                            in.dwCrcErr,      in.dwTimeoutErr,       in.dwAlignmentErr,       in.dwHardwareOverrunErr,
                            in.dwFramingErr,  in.dwBufferOverrunErr, in.dwCompressionRatioIn, in.dwCompressionRatioOut};
}

// The user, interface type, client IPv4 and authentication RAS_CONNECTION_2 and _3 share.
template <typename Entry, typename PppInfo>
void pppIdentity(Connection& c, const Entry& in, const PppInfo& ppp) {
  c.handle = handleValue(in.hConnection);
  c.user = text(in.wszUserName);
  c.interface_type = interfaceTypeFromWire(static_cast<uint32_t>(in.dwInterfaceType));
  c.client_ipv4 = negotiated(ppp.ip.dwError, ppp.ip.wszRemoteAddress);
  if (ppp.lcp.dwError == 0)
    c.auth_protocol = pppAuthLabel(ppp.lcp.dwAuthenticationProtocol, ppp.lcp.dwAuthenticationData);
}

// The addresses PPP_PROJECTION_INFO and IKEV2_PROJECTION_INFO share, by name.
template <typename Projection>
void projectedAddresses(Connection& c, const Projection& p) {
  c.client_ipv4 = negotiated(p.dwIPv4NegotiationError, p.wszRemoteAddress);
  if (p.dwIPv6NegotiationError == 0) {
    c.client_ipv6 = ipv6FromPrefixAndInterfaceId(p.bPrefix, p.dwPrefixLength, p.bRemoteInterfaceIdentifier);
  }
}

std::string ipv6(const PPP_IPV6_CP_INFO& info) {
  if (info.dwError != 0) return "";
  return ipv6FromPrefixAndInterfaceId(info.bPrefix, info.dwPrefixLength, info.bRemoteInterfaceIdentifier);
}

}  // namespace

Connection decodeConnection0(const RAS_CONNECTION_0& in) {
  Connection c;
  c.levels = kHasLevel0;
  identity(c, in);
  return c;
}

Connection decodeConnection1(const RAS_CONNECTION_1& in) {
  Connection c;
  c.levels = kHasLevel1;
  c.handle = handleValue(in.hConnection);
  c.interface_handle = handleValue(in.hInterface);
  c.client_ipv4 = negotiated(in.PppInfo.ip.dwError, in.PppInfo.ip.wszRemoteAddress);
  counters(c, in);
  return c;
}

Connection decodeConnection2(const RAS_CONNECTION_2& in) {
  Connection c;
  c.levels = kHasLevel2;
  pppIdentity(c, in, in.PppInfo2);
  return c;
}

Connection decodeConnection3(const RAS_CONNECTION_3& in) {
  Connection c;
  c.levels = kHasLevel3;
  pppIdentity(c, in, in.PppInfo3);
  c.client_ipv6 = ipv6(in.PppInfo3.ipv6);
  c.quarantine_state = quarantineStateFromWire(static_cast<uint32_t>(in.rasQuarState));
  return c;
}

Connection decodeConnectionEx(const RAS_CONNECTION_EX& in) {
  Connection c;
  c.levels = kHasEx;
  identity(c, in);
  c.quarantine_state = quarantineStateFromWire(static_cast<uint32_t>(in.rasQuarState));
  counters(c, in);
  c.tunnel_endpoint = text(in.wszRemoteEndpointAddress);
  const auto& projection = in.ProjectionInfo;
  if (projection.projectionInfoType == kProjectionInfoIkev2) {
    c.protocol = "ikev2";
    projectedAddresses(c, projection.Ikev2ProjectionInfo);
    c.auth_protocol = ikev2AuthLabel(projection.Ikev2ProjectionInfo.dwAuthenticationProtocol);
  } else if (projection.projectionInfoType == kProjectionInfoPpp) {
    const auto& p = projection.PppProjectionInfo;
    c.protocol = "ppp";
    projectedAddresses(c, p);
    if (p.dwLcpError == 0) c.auth_protocol = pppAuthLabel(p.dwAuthenticationProtocol, p.dwAuthenticationData);
  } else {
    c.protocol = "unknown";
  }
  return c;
}

RouterInterface decodeInterface0(const MPR_INTERFACE_0& in) {
  RouterInterface i;
  i.handle = handleValue(in.hInterface);
  i.name = text(in.wszInterfaceName);
  i.type = interfaceTypeFromWire(static_cast<uint32_t>(in.dwIfType));
  i.enabled = in.fEnabled != FALSE;
  i.state = interfaceStateFromWire(static_cast<uint32_t>(in.dwConnectionState));
  i.unreachability_reasons = in.fUnReachabilityReasons;
  i.last_error = in.dwLastError;
  return i;
}

Port decodePort0(const RAS_PORT_0& in) {
  Port p;
  p.handle = handleValue(in.hPort);
  p.connection = handleValue(in.hConnection);
  p.condition = portConditionFromWire(static_cast<uint32_t>(in.dwPortCondition));
  p.total_calls = in.dwTotalNumberOfCalls;
  p.duration_seconds = in.dwConnectDuration;
  p.name = text(in.wszPortName);
  p.media = text(in.wszMediaName);
  p.device_name = text(in.wszDeviceName);
  p.device_type = text(in.wszDeviceType);
  return p;
}

}  // namespace rras
