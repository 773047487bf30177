/*
 * The flat structs opnums 0, 1, 4 and 20 carry in DIM_INFORMATION_CONTAINER.pBuffer, declared as
 * C structs from [MS-RRASM] 2.2.1.2.x. The spec defines pBuffer as bytes, so no NDR engine lays
 * these out: a server copies its C structs, handles as DWORD, enums as 4-byte C enums, natural
 * alignment. Declared here with DWORD handles, they have the 32-bit layout on this x64 build
 * too; the _Static_asserts pin the sizes research/rrasm.md §2.3 derives and, for RASI_PORT_0
 * and MPRI_INTERFACE_0, the offsets and sizes their spec declarations give (README.md, "Opnums
 * 4 and 20").
 *
 * PPP_IPXCP_INFO.wszAddress is [16] in the spec and [IPXADDRESSLEN + 1] = [23] in the SDK
 * (rrasm-real.md §4.3): both variants exist, picked per scenario (ipx_chars).
 */
#ifndef REFERENCE_RASI_LAYOUTS_H
#define REFERENCE_RASI_LAYOUTS_H

#include <stddef.h>

#include "dimsvc.h"

/* 2.2.1.2.61-63 */
typedef struct {
  BOOL fLanOnlyMode;
  DWORD dwUpTime;
  DWORD dwTotalPorts;
  DWORD dwPortsInUse;
} REF_MPR_SERVER_0;
typedef struct {
  DWORD dwNumPptpPorts;
  DWORD dwPptpPortFlags;
  DWORD dwNumL2tpPorts;
  DWORD dwL2tpPortFlags;
} REF_MPR_SERVER_1;
typedef struct {
  DWORD dwNumPptpPorts;
  DWORD dwPptpPortFlags;
  DWORD dwNumL2tpPorts;
  DWORD dwL2tpPortFlags;
  DWORD dwNumSstpPorts;
  DWORD dwSstpPortFlags;
} REF_MPR_SERVER_2;

/* PPP projection pieces (2.2.1.2.64 ff.) */
typedef struct {
  DWORD dwError;
  WCHAR wszWksta[17];
} REF_PPP_NBFCP_INFO;
typedef struct {
  DWORD dwError;
  WCHAR wszAddress[16];
  WCHAR wszRemoteAddress[16];
} REF_PPP_IPCP_INFO;
typedef struct {
  DWORD dwError;
  WCHAR wszAddress[16];
  WCHAR wszRemoteAddress[16];
  DWORD dwOptions;
  DWORD dwRemoteOptions;
} REF_PPP_IPCP_INFO2;
typedef struct {
  DWORD dwError;
  WCHAR wszAddress[16];
} REF_PPP_IPXCP_INFO16;
typedef struct {
  DWORD dwError;
  WCHAR wszAddress[23];
} REF_PPP_IPXCP_INFO23;
typedef struct {
  DWORD dwError;
  WCHAR wszAddress[33];
} REF_PPP_ATCP_INFO;
typedef struct {
  DWORD dwError;
  DWORD dwCompressionAlgorithm;
  DWORD dwOptions;
  DWORD dwRemoteCompressionAlgorithm;
  DWORD dwRemoteOptions;
} REF_PPP_CCP_INFO;
typedef struct {
  DWORD dwError;
  DWORD dwAuthenticationProtocol;
  DWORD dwAuthenticationData;
  DWORD dwRemoteAuthenticationProtocol;
  DWORD dwRemoteAuthenticationData;
  DWORD dwTerminateReason;
  DWORD dwRemoteTerminateReason;
  DWORD dwOptions;
  DWORD dwRemoteOptions;
  DWORD dwEapTypeId;
  DWORD dwRemoteEapTypeId;
} REF_PPP_LCP_INFO;
typedef struct {
  DWORD dwVersion;
  DWORD dwSize;
  DWORD dwError;
  BYTE bInterfaceIdentifier[8];
  BYTE bRemoteInterfaceIdentifier[8];
  DWORD dwOptions;
  DWORD dwRemoteOptions;
  BYTE bPrefix[8];
  DWORD dwPrefixLength;
} REF_PPP_IPV6_CP_INFO;

/* PPP_INFO / PPP_INFO_2 come in both IPX widths; PPP_INFO_3 has no IPX. */
#define REF_DEFINE_PPP_INFO(W)             \
  typedef struct {                         \
    REF_PPP_NBFCP_INFO nbf;                \
    REF_PPP_IPCP_INFO ip;                  \
    REF_PPP_IPXCP_INFO##W ipx;             \
    REF_PPP_ATCP_INFO at;                  \
  } REF_PPP_INFO_##W;                      \
  typedef struct {                         \
    REF_PPP_NBFCP_INFO nbf;                \
    REF_PPP_IPCP_INFO2 ip;                 \
    REF_PPP_IPXCP_INFO##W ipx;             \
    REF_PPP_ATCP_INFO at;                  \
    REF_PPP_CCP_INFO ccp;                  \
    REF_PPP_LCP_INFO lcp;                  \
  } REF_PPP_INFO_2_##W;                    \
  typedef struct {                         \
    DWORD dwConnection;                    \
    DWORD dwInterface;                     \
    REF_PPP_INFO_##W PppInfo;              \
    DWORD dwBytesXmited;                   \
    DWORD dwBytesRcved;                    \
    DWORD dwFramesXmited;                  \
    DWORD dwFramesRcved;                   \
    DWORD dwCrcErr;                        \
    DWORD dwTimeoutErr;                    \
    DWORD dwAlignmentErr;                  \
    DWORD dwHardwareOverrunErr;            \
    DWORD dwFramingErr;                    \
    DWORD dwBufferOverrunErr;              \
    DWORD dwCompressionRatioIn;            \
    DWORD dwCompressionRatioOut;           \
  } REF_RASI_CONNECTION_1_##W;             \
  typedef struct {                         \
    DWORD dwConnection;                    \
    WCHAR wszUserName[257];                \
    ROUTER_INTERFACE_TYPE dwInterfaceType; \
    GUID guid;                             \
    REF_PPP_INFO_2_##W PppInfo2;           \
  } REF_RASI_CONNECTION_2_##W;
REF_DEFINE_PPP_INFO(16)
REF_DEFINE_PPP_INFO(23)

typedef struct {
  REF_PPP_NBFCP_INFO nbf;
  REF_PPP_IPCP_INFO2 ip;
  REF_PPP_IPV6_CP_INFO ipv6;
  REF_PPP_CCP_INFO ccp;
  REF_PPP_LCP_INFO lcp;
} REF_PPP_INFO_3;

/* 2.2.1.2.77 */
typedef struct {
  DWORD dwConnection;
  DWORD dwInterface;
  DWORD dwConnectDuration;
  ROUTER_INTERFACE_TYPE dwInterfaceType;
  DWORD dwConnectionFlags;
  WCHAR wszInterfaceName[257];
  WCHAR wszUserName[257];
  WCHAR wszLogonDomain[16];
  WCHAR wszRemoteComputer[17];
} REF_RASI_CONNECTION_0;

/* 2.2.1.2.80 */
typedef struct {
  DWORD dwVersion;
  DWORD dwSize;
  DWORD dwConnection;
  WCHAR wszUserName[257];
  ROUTER_INTERFACE_TYPE dwInterfaceType;
  GUID guid;
  REF_PPP_INFO_3 PppInfo3;
  RAS_QUARANTINE_STATE rasQuarState;
  FILETIME timer;
} REF_RASI_CONNECTION_3;

/* 2.2.1.2.75: opnum 4 (RRasAdminPortEnum, 3.1.4.5) level 0. */
typedef struct {
  DWORD dwPort;
  DWORD dwConnection;
  RAS_PORT_CONDITION dwPortCondition;
  DWORD dwTotalNumberOfCalls;
  DWORD dwConnectDuration;
  WCHAR wszPortName[17];
  WCHAR wszMediaName[17];
  WCHAR wszDeviceName[129];
  WCHAR wszDeviceType[17];
} REF_RASI_PORT_0;

/* 2.2.1.2.81: opnum 20 (RRouterInterfaceEnum, 3.1.4.21) level 0. */
typedef struct {
  WCHAR wszInterfaceName[257];
  DWORD dwInterface;
  BOOL fEnabled;
  ROUTER_INTERFACE_TYPE dwIfType;
  ROUTER_CONNECTION_STATE dwConnectionState;
  DWORD fUnReachabilityReasons;
  DWORD dwLastError;
} REF_MPRI_INTERFACE_0;

_Static_assert(sizeof(ROUTER_INTERFACE_TYPE) == 4, "a C enum is 4 bytes in the flat buffers");
_Static_assert(sizeof(ROUTER_CONNECTION_STATE) == 4 && sizeof(RAS_PORT_CONDITION) == 4, "4-byte C enums");
_Static_assert(sizeof(REF_MPR_SERVER_0) == 16 && sizeof(REF_MPR_SERVER_1) == 16 && sizeof(REF_MPR_SERVER_2) == 24,
               "MPR_SERVER_n");
_Static_assert(sizeof(REF_RASI_CONNECTION_0) == 1116, "RASI_CONNECTION_0");
_Static_assert(sizeof(REF_RASI_CONNECTION_1_16) == 272 && sizeof(REF_RASI_CONNECTION_1_23) == 288, "RASI_CONNECTION_1");
_Static_assert(sizeof(REF_RASI_CONNECTION_2_16) == 828 && sizeof(REF_RASI_CONNECTION_2_23) == 844, "RASI_CONNECTION_2");
_Static_assert(sizeof(REF_RASI_CONNECTION_3) == 788, "RASI_CONNECTION_3");
_Static_assert(offsetof(REF_RASI_CONNECTION_3, PppInfo3.ipv6) == 664, "RASI_CONNECTION_3 offsets");
_Static_assert(offsetof(REF_RASI_CONNECTION_3, rasQuarState) == 776, "RASI_CONNECTION_3 offsets");
_Static_assert(offsetof(REF_RASI_CONNECTION_2_16, PppInfo2.lcp) == 784, "RASI_CONNECTION_2 offsets");
_Static_assert(offsetof(REF_RASI_CONNECTION_2_23, PppInfo2.lcp) == 800, "RASI_CONNECTION_2 offsets");
_Static_assert(sizeof(REF_RASI_PORT_0) == 380, "RASI_PORT_0");
_Static_assert(offsetof(REF_RASI_PORT_0, dwPortCondition) == 8 && offsetof(REF_RASI_PORT_0, dwConnectDuration) == 16,
               "RASI_PORT_0 offsets");
_Static_assert(offsetof(REF_RASI_PORT_0, wszPortName) == 20 && offsetof(REF_RASI_PORT_0, wszMediaName) == 54,
               "RASI_PORT_0 offsets");
_Static_assert(offsetof(REF_RASI_PORT_0, wszDeviceName) == 88 && offsetof(REF_RASI_PORT_0, wszDeviceType) == 346,
               "RASI_PORT_0 offsets");
_Static_assert(sizeof(REF_MPRI_INTERFACE_0) == 540, "MPRI_INTERFACE_0 (32-bit MPR_INTERFACE_0: DWORD handle)");
_Static_assert(offsetof(REF_MPRI_INTERFACE_0, dwInterface) == 516 && offsetof(REF_MPRI_INTERFACE_0, fEnabled) == 520,
               "MPRI_INTERFACE_0 offsets (2 alignment bytes after the name)");
_Static_assert(offsetof(REF_MPRI_INTERFACE_0, dwIfType) == 524 &&
                   offsetof(REF_MPRI_INTERFACE_0, dwConnectionState) == 528,
               "MPRI_INTERFACE_0 offsets");
_Static_assert(offsetof(REF_MPRI_INTERFACE_0, fUnReachabilityReasons) == 532 &&
                   offsetof(REF_MPRI_INTERFACE_0, dwLastError) == 536,
               "MPRI_INTERFACE_0 offsets");

/* The NDR types of opnum 45, in memory (x64): the wire sizes are Wine's business. */
_Static_assert(sizeof(PPP_PROJECTION_INFO_1) == 192, "PPP projection arm in memory");
_Static_assert(sizeof(IKEV2_PROJECTION_INFO_1) == 144, "IKEv2 projection arm in memory");
_Static_assert(sizeof(RAS_CONNECTION_EX_1_IDL) == 1664, "RAS_CONNECTION_EX_1_IDL");
_Static_assert(sizeof(RAS_CONNECTION_EX_IDL) == 1672, "RAS_CONNECTION_EX_IDL");

#endif
