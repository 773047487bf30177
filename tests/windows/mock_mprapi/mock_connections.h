// What the test doubles of mprapi.dll serve (the mock DLL under Wine and the fault matrix's
// scripted MprAdmin functions): deterministic, varied connections at every level, the router
// interfaces (MPR_INTERFACE_0) and RAS ports (RAS_PORT_0) that go with them, and the paging rule
// of MprAdminConnectionEnum(Ex), MprAdminInterfaceEnum and MprAdminPortEnum.
#pragma once

#include <windows.h>
#include <mprapi.h>

#include <algorithm>
#include <cstring>
#include <cwchar>

namespace mock_connections {

// Connection i (0-based): deterministic and varied. Users with non-ASCII names; every third is an
// IKEv2 connection (EnumEx), one in five is quarantined at level 3.
inline const wchar_t* const kUsers[] = {L"alice", L"bob", L"J\u00fcrgen", L"\u7528\u6237", L"svc-vpn"};

inline void fill(wchar_t* out, size_t n, const wchar_t* text) { std::swprintf(out, n, L"%ls", text); }

inline HANDLE connectionHandle(DWORD i) { return reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(0x1000 + i * 4)); }
inline HANDLE interfaceHandle(DWORD i) { return reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(0x9000 + i * 4)); }

inline void userOf(DWORD i, wchar_t* out, size_t n) { std::swprintf(out, n, L"%ls%lu", kUsers[i % 5], i); }

inline void fillLevel0(DWORD i, RAS_CONNECTION_0& c) {
  c.hConnection = connectionHandle(i);
  c.hInterface = interfaceHandle(i);
  c.dwConnectDuration = 60 * (i + 1);
  c.dwInterfaceType = ROUTER_IF_TYPE_CLIENT;
  c.dwConnectionFlags = i % 3 == 0 ? 0 : RAS_FLAGS_PPP_CONNECTION;
  userOf(i, c.wszInterfaceName, 257);
  userOf(i, c.wszUserName, 257);
  fill(c.wszLogonDomain, 16, L"CORP");
  std::swprintf(c.wszRemoteComputer, 17, L"PC-%lu", i);
}

inline void fillLevel1(DWORD i, RAS_CONNECTION_1& c) {
  c.hConnection = connectionHandle(i);
  c.hInterface = interfaceHandle(i);
  c.PppInfo.ip.dwError = 0;
  std::swprintf(c.PppInfo.ip.wszRemoteAddress, 16, L"10.8.%lu.%lu", i / 250, 2 + i % 250);
  c.dwBytesXmited = 1000 * (i + 1);
  c.dwBytesRcved = 3000 * (i + 1);
  c.dwFramesXmited = 10 * (i + 1);
  c.dwFramesRcved = 30 * (i + 1);
  c.dwCrcErr = i % 4;
  c.dwCompressionRatioIn = 10;
  c.dwCompressionRatioOut = 20;
}

inline void fillLevel2(DWORD i, RAS_CONNECTION_2& c) {
  c.hConnection = connectionHandle(i);
  userOf(i, c.wszUserName, 257);
  c.dwInterfaceType = ROUTER_IF_TYPE_CLIENT;
  std::swprintf(c.PppInfo2.ip.wszRemoteAddress, 16, L"10.8.%lu.%lu", i / 250, 2 + i % 250);
  c.PppInfo2.lcp.dwAuthenticationProtocol = i % 2 ? PPP_LCP_EAP : PPP_LCP_CHAP;
  c.PppInfo2.lcp.dwAuthenticationData = i % 2 ? 0 : PPP_LCP_CHAP_MSV2;
}

inline void fillLevel3(DWORD i, RAS_CONNECTION_3& c) {
  c.dwVersion = 3;
  c.dwSize = sizeof(RAS_CONNECTION_3);
  c.hConnection = connectionHandle(i);
  userOf(i, c.wszUserName, 257);
  c.dwInterfaceType = ROUTER_IF_TYPE_CLIENT;
  std::swprintf(c.PppInfo3.ip.wszRemoteAddress, 16, L"10.8.%lu.%lu", i / 250, 2 + i % 250);
  c.PppInfo3.lcp.dwAuthenticationProtocol = i % 2 ? PPP_LCP_EAP : PPP_LCP_CHAP;
  c.PppInfo3.lcp.dwAuthenticationData = i % 2 ? 0 : PPP_LCP_CHAP_MSV2;
  c.PppInfo3.ipv6.dwError = i % 2 ? 0 : 1;  // IPv6 negotiated for odd connections
  c.PppInfo3.ipv6.bPrefix[0] = 0xfd;
  c.PppInfo3.ipv6.dwPrefixLength = 64;
  c.PppInfo3.ipv6.bRemoteInterfaceIdentifier[7] = static_cast<BYTE>(i + 1);
  c.rasQuarState = i % 5 == 4 ? RAS_QUAR_STATE_QUARANTINE : RAS_QUAR_STATE_NORMAL;
}

inline void fillEx(DWORD i, RAS_CONNECTION_EX& c) {
  RAS_CONNECTION_0 c0{};
  fillLevel0(i, c0);
  RAS_CONNECTION_1 c1{};
  fillLevel1(i, c1);
  c.Header.revision = MPRAPI_RAS_CONNECTION_OBJECT_REVISION_1;
  c.Header.type = MPRAPI_OBJECT_TYPE_RAS_CONNECTION_OBJECT;
  c.Header.size = sizeof(RAS_CONNECTION_EX);
  c.dwConnectDuration = c0.dwConnectDuration;
  c.dwInterfaceType = c0.dwInterfaceType;
  c.dwConnectionFlags = c0.dwConnectionFlags;
  std::memcpy(c.wszInterfaceName, c0.wszInterfaceName, sizeof c.wszInterfaceName);
  std::memcpy(c.wszUserName, c0.wszUserName, sizeof c.wszUserName);
  std::memcpy(c.wszLogonDomain, c0.wszLogonDomain, sizeof c.wszLogonDomain);
  std::memcpy(c.wszRemoteComputer, c0.wszRemoteComputer, sizeof c.wszRemoteComputer);
  c.rasQuarState = i % 5 == 4 ? RAS_QUAR_STATE_QUARANTINE : RAS_QUAR_STATE_NORMAL;
  c.dwBytesXmited = c1.dwBytesXmited;
  c.dwBytesRcved = c1.dwBytesRcved;
  c.dwFramesXmited = c1.dwFramesXmited;
  c.dwFramesRcved = c1.dwFramesRcved;
  c.dwCrcErr = c1.dwCrcErr;
  c.dwCompressionRatioIn = c1.dwCompressionRatioIn;
  c.dwCompressionRatioOut = c1.dwCompressionRatioOut;
  std::swprintf(c.wszRemoteEndpointAddress, 65, L"203.0.113.%lu", 1 + i % 254);
  fill(c.wszLocalEndpointAddress, 65, L"198.51.100.1");
  if (i % 3 == 0) {
    c.ProjectionInfo.projectionInfoType = 2;  // IKEv2
    auto& p = c.ProjectionInfo.Ikev2ProjectionInfo;
    std::swprintf(p.wszRemoteAddress, 16, L"10.8.%lu.%lu", i / 250, 2 + i % 250);
    p.dwIPv6NegotiationError = 1;
    p.dwAuthenticationProtocol = 2;  // EAP
  } else {
    c.ProjectionInfo.projectionInfoType = 1;  // PPP
    auto& p = c.ProjectionInfo.PppProjectionInfo;
    std::swprintf(p.wszRemoteAddress, 16, L"10.8.%lu.%lu", i / 250, 2 + i % 250);
    p.dwIPv6NegotiationError = 1;
    p.dwAuthenticationProtocol = PPP_LCP_CHAP;
    p.dwAuthenticationData = PPP_LCP_CHAP_MSV2;
  }
  c.hConnection = connectionHandle(i);
  c.hInterface = interfaceHandle(i);
}

// ---- router interfaces (MprAdminInterfaceEnum level 0) ----
// The first five: the LAN ("Ethernet", dedicated), the internal interface, and three site-to-site
// (full router, demand-dial) interfaces: one connected, one unreachable after a failed connect
// (connection_failure | no_device, dwLastError 678 ERROR_NO_ANSWER), one disabled by the
// administrator. Interface 5 and beyond: "site-<i>", enabled and disconnected.
inline constexpr DWORD kDefaultInterfaces = 5;
inline constexpr DWORD kUnreachableLastError = 678;  // ERROR_NO_ANSWER (raserror.h)
inline HANDLE routerInterfaceHandle(DWORD i) {
  return reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(0x7000 + i * 4));
}

inline void fillInterface0(DWORD i, MPR_INTERFACE_0& x) {
  x.hInterface = routerInterfaceHandle(i);
  x.fEnabled = TRUE;
  x.dwIfType = ROUTER_IF_TYPE_FULL_ROUTER;
  x.dwConnectionState = ROUTER_IF_STATE_CONNECTED;
  x.fUnReachabilityReasons = 0;
  x.dwLastError = NO_ERROR;
  switch (i) {
    case 0:
      fill(x.wszInterfaceName, 257, L"Ethernet");
      x.dwIfType = ROUTER_IF_TYPE_DEDICATED;
      break;
    case 1:
      fill(x.wszInterfaceName, 257, L"Internal");
      x.dwIfType = ROUTER_IF_TYPE_INTERNAL;
      break;
    case 2:
      fill(x.wszInterfaceName, 257, L"Zweigstelle-K\u00f6ln");
      break;
    case 3:
      fill(x.wszInterfaceName, 257, L"\u5206\u652f-\u4e0a\u6d77");  // "分支-上海"
      x.dwConnectionState = ROUTER_IF_STATE_UNREACHABLE;
      x.fUnReachabilityReasons = MPR_INTERFACE_CONNECTION_FAILURE | MPR_INTERFACE_NO_DEVICE;
      x.dwLastError = kUnreachableLastError;
      break;
    case 4:
      fill(x.wszInterfaceName, 257, L"Filiale-Paris");
      x.fEnabled = FALSE;
      x.dwConnectionState = ROUTER_IF_STATE_UNREACHABLE;
      x.fUnReachabilityReasons = MPR_INTERFACE_ADMIN_DISABLED;
      break;
    default:
      std::swprintf(x.wszInterfaceName, 257, L"site-%lu", i);
      x.dwConnectionState = ROUTER_IF_STATE_DISCONNECTED;
      break;
  }
}

// ---- RAS ports (MprAdminPortEnum level 0) ----
// Port p < connections is connection p's (authenticated, its handle and duration; IKEv2 for every
// third connection as EnumEx says, else SSTP, L2TP or PPTP); then `listening` listening ports of
// each protocol (SSTP, IKEv2, L2TP, PPTP), without a connection.
inline constexpr DWORD kDefaultListeningPorts = 2;
inline constexpr const wchar_t* kPortDevices[] = {L"WAN Miniport (SSTP)", L"WAN Miniport (IKEv2)",
                                                  L"WAN Miniport (L2TP)", L"WAN Miniport (PPTP)"};
inline HANDLE portHandle(DWORD p) { return reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(0x5000 + p * 4)); }
inline DWORD portCount(DWORD connections, DWORD listening) { return connections + 4 * listening; }

// The index in kPortDevices of connection i's port.
inline DWORD connectionDevice(DWORD i) {
  if (i % 3 == 0) return 1;   // IKEv2
  if (i % 3 == 1) return 0;   // SSTP
  return i % 2 == 0 ? 2 : 3;  // L2TP, PPTP
}

inline void fillPort0(DWORD connections, DWORD p, RAS_PORT_0& x) {
  x.hPort = portHandle(p);
  DWORD device = 0;
  if (p < connections) {
    device = connectionDevice(p);
    x.hConnection = connectionHandle(p);
    x.dwPortCondition = RAS_PORT_AUTHENTICATED;
    x.dwTotalNumberOfCalls = p + 1;
    x.dwConnectDuration = 60 * (p + 1);  // the connection's dwConnectDuration
  } else {
    const DWORD k = p - connections;
    device = k % 4;
    x.hConnection = nullptr;
    x.dwPortCondition = RAS_PORT_LISTENING;
    x.dwTotalNumberOfCalls = 10 + k;
    x.dwConnectDuration = 0;
  }
  std::swprintf(x.wszPortName, MAX_PORT_NAME + 1, L"VPN%lu-%lu", device + 1, p);
  fill(x.wszMediaName, MAX_MEDIA_NAME + 1, L"rastapi");
  fill(x.wszDeviceName, MAX_DEVICE_NAME + 1, kPortDevices[device]);
  fill(x.wszDeviceType, MAX_DEVICETYPE_NAME + 1, L"vpn");
}

// Which entry is served at position `p` of `n`: a fixed permutation that is never handle
// order (odd indices from the end, then even ones), the same at every level and page. The API
// promises no order, so the doubles do not give one.
inline DWORD servedAt(DWORD p, DWORD n) {
  const DWORD odd = n / 2;
  return p < odd ? 2 * (odd - 1 - p) + 1 : 2 * (p - odd);
}

// One page of `entries` entries (connections, interfaces or ports) from *resume, at most
// `max_entries` of them, in a buffer from `allocate`, each filled by `fill_entry(index, entry)`:
// ERROR_MORE_DATA while more remain, the resume handle is the position of the next entry and 0
// once the enumeration completes.
template <typename Entry, typename Allocate, typename Fill>
DWORD page(DWORD entries, DWORD max_entries, Allocate allocate, Fill fill_entry, LPBYTE* buffer, LPDWORD read,
           LPDWORD total, LPDWORD resume) {
  const DWORD start = resume ? *resume : 0;
  if (start > entries) return ERROR_INVALID_PARAMETER;
  const DWORD remaining = entries - start;
  const DWORD count = std::min(max_entries, remaining);
  *total = remaining;
  if (count > 0) {
    auto* out = static_cast<Entry*>(allocate(sizeof(Entry) * count));
    for (DWORD k = 0; k < count; ++k) fill_entry(servedAt(start + k, entries), out[k]);
    *buffer = reinterpret_cast<LPBYTE>(out);
  }
  *read = count;
  const bool more = start + count < entries;
  if (resume) *resume = more ? start + count : 0;
  return more ? ERROR_MORE_DATA : NO_ERROR;
}

}  // namespace mock_connections
