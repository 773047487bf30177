// The DIMSVC stubs the rrasm source uses (MS-RRASM, NDR20): requests are encoded, replies decoded
// into the portable records of router/router_api.h. Pure functions over bytes: no Samba, no I/O,
// so the golden-byte tests and the fuzzer (issue 7) drive them directly. Every decode_* treats the
// reply as hostile and throws MalformedReply naming the field and offset; it never reads out of
// bounds and never allocates more than the reply's own size justifies.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "router/router_api.h"
#include "sources/rrasm/ndr_stream.h"

namespace rras::rrasm {

inline constexpr uint16_t kOpServerGetInfo = 0;      // RMprAdminServerGetInfo
inline constexpr uint16_t kOpConnectionEnum = 1;     // RRasAdminConnectionEnum
inline constexpr uint16_t kOpPortEnum = 4;           // RRasAdminPortEnum
inline constexpr uint16_t kOpInterfaceEnum = 20;     // RRouterInterfaceEnum
inline constexpr uint16_t kOpConnectionEnumEx = 45;  // RRasAdminConnectionEnumEx

// The flat level-0 structs of opnums 20 and 4 (32-bit C layouts, 2.2.1.2.81 and 2.2.1.2.75): a
// reply's stride must be exactly this.
inline constexpr uint32_t kMpriInterface0Size = 540;
inline constexpr uint32_t kRasiPort0Size = 380;
// RRasAdminPortEnum's hRasConnection for "every port" (INVALID_HANDLE_VALUE as a DWORD).
inline constexpr uint32_t kAllPorts = 0xFFFFFFFF;

// Flat RASI_CONNECTION_n sizes a reply may use: levels 1 and 2 hold PPP_IPXCP_INFO, whose address
// is WCHAR[16] in the spec and WCHAR[23] in the SDK header (research/rrasm-real.md §0).
bool isKnownRasiStride(int level, uint32_t stride);

std::vector<uint8_t> encodeServerGetInfo(uint32_t level);
std::vector<uint8_t> encodeConnectionEnum(uint32_t level, uint32_t pref_max_len, uint32_t resume_handle);
std::vector<uint8_t> encodeConnectionEnumEx(uint32_t pref_max_len, uint32_t resume_handle);
// Level 0 of both; `connection` is a connection handle or kAllPorts.
std::vector<uint8_t> encodeInterfaceEnum(uint32_t pref_max_len, uint32_t resume_handle);
std::vector<uint8_t> encodePortEnum(uint32_t pref_max_len, uint32_t resume_handle, uint32_t connection = kAllPorts);

struct ServerInfoReply {
  ApiCode status = 0;
  ServerInfo info;  // filled when status is 0
};

// One page of an enumeration as the server answered it.
template <class Entry>
struct PagedReply {
  ApiCode status = 0;
  Page<Entry> page;            // filled when status is 0 or ERROR_MORE_DATA
  uint32_t resume_handle = 0;  // as returned; 0 when the reply carries none
};
using EnumReply = PagedReply<Connection>;
using InterfaceEnumReply = PagedReply<RouterInterface>;
using PortEnumReply = PagedReply<Port>;

ServerInfoReply decodeServerGetInfo(std::span<const uint8_t> stub, uint32_t level);
EnumReply decodeConnectionEnum(std::span<const uint8_t> stub, uint32_t level);
EnumReply decodeConnectionEnumEx(std::span<const uint8_t> stub);
// Level 0 replies of opnums 20 and 4.
InterfaceEnumReply decodeInterfaceEnum(std::span<const uint8_t> stub);
PortEnumReply decodePortEnum(std::span<const uint8_t> stub);

// One flat RASI_CONNECTION_<level> entry of `entry.size()` bytes (a known stride).
Connection decodeRasiConnection(std::span<const uint8_t> entry, int level);
// One RAS_CONNECTION_EX_IDL array element, starting at the reader's position.
Connection decodeRasConnectionEx(NdrReader& reader, uint32_t index);
// One flat MPRI_INTERFACE_0 (kMpriInterface0Size bytes) / RASI_PORT_0 (kRasiPort0Size bytes).
RouterInterface decodeMpriInterface0(std::span<const uint8_t> entry);
Port decodeRasiPort0(std::span<const uint8_t> entry);

}  // namespace rras::rrasm
