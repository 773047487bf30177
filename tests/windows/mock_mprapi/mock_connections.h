// What the test doubles of mprapi.dll serve (the mock DLL under Wine and the fault matrix's
// scripted MprAdmin functions): deterministic, varied connections at every level, and the paging
// rule of MprAdminConnectionEnum(Ex).
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

// Which connection is served at position `p` of `n`: a fixed permutation that is never handle
// order (odd indices from the end, then even ones), the same at every level and page. The API
// promises no order, so the doubles do not give one.
inline DWORD servedAt(DWORD p, DWORD n) {
  const DWORD odd = n / 2;
  return p < odd ? 2 * (odd - 1 - p) + 1 : 2 * (p - odd);
}

// One page of `connections` entries from *resume, at most `max_entries` of them, in a buffer from
// `allocate`: ERROR_MORE_DATA while more remain, the resume handle is the position of the next
// entry and 0 once the enumeration completes.
template <typename Entry, typename Allocate>
DWORD page(DWORD connections, DWORD max_entries, Allocate allocate, void (*fill_entry)(DWORD, Entry&), LPBYTE* buffer,
           LPDWORD read, LPDWORD total, LPDWORD resume) {
  const DWORD start = resume ? *resume : 0;
  if (start > connections) return ERROR_INVALID_PARAMETER;
  const DWORD remaining = connections - start;
  const DWORD count = std::min(max_entries, remaining);
  *total = remaining;
  if (count > 0) {
    auto* entries = static_cast<Entry*>(allocate(sizeof(Entry) * count));
    for (DWORD k = 0; k < count; ++k) fill_entry(servedAt(start + k, connections), entries[k]);
    *buffer = reinterpret_cast<LPBYTE>(entries);
  }
  *read = count;
  const bool more = start + count < connections;
  if (resume) *resume = more ? start + count : 0;
  return more ? ERROR_MORE_DATA : NO_ERROR;
}

}  // namespace mock_connections
