// Sizes of the flat structs MprAdminConnectionEnum returns (the 32-bit Win32 layouts that
// MS-RRASM carries; research/rrasm.md §2.3). dwPrefMaxLen is measured in these bytes.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

namespace rras::wire {

inline constexpr std::array<uint32_t, 4> kRasiConnectionSize = {1116, 272, 828, 788};
// The same structs in the native x64 layout (8-byte handles, natural alignment), which a local
// mprapi.dll on 64-bit Windows pages by; a page must hold at least one entry in either.
inline constexpr std::array<uint32_t, 4> kX64RasConnectionSize = {1128, 296, 848, 792};
// sizeof(RAS_CONNECTION_EX) as mingw-w64 mprapi.h declares it on x64 (MPRAPI_OBJECT_HEADER.size).
inline constexpr uint32_t kRasConnectionExSize = 1672;
// MPR_INTERFACE_0 and RAS_PORT_0: the 32-bit layouts MS-RRASM carries (MPRI_INTERFACE_0,
// RASI_PORT_0) and the x64 ones of a local mprapi.dll (8-byte handles).
inline constexpr uint32_t kInterface0Size = 540, kX64Interface0Size = 552;
inline constexpr uint32_t kPort0Size = 380, kX64Port0Size = 392;

// dwPrefMaxLen for a configured page size (-1: everything) and entries of `wire_size` bytes
// (`native_size` in a local x64 mprapi.dll): at least one entry in either layout, since fewer bytes
// than one entry would make the router answer zero entries forever.
inline uint32_t prefMaxLen(int64_t page_size_bytes, uint32_t wire_size, uint32_t native_size) {
  if (page_size_bytes < 0) return 0xFFFFFFFFu;
  return static_cast<uint32_t>(
      std::clamp<int64_t>(page_size_bytes, std::max(wire_size, native_size), int64_t{0xFFFFFFFE}));
}

// Entries a page may hold for dwPrefMaxLen (MS-RRASM 3.1.4.46): -1 means all; fewer bytes than
// one entry gives zero entries; otherwise one more than what fits.
inline uint64_t entriesPerPage(uint32_t pref_max_len, uint32_t entry_size) {
  if (pref_max_len == 0xFFFFFFFFu) return UINT64_MAX;
  if (pref_max_len < entry_size) return 0;
  return pref_max_len / entry_size + 1;
}

}  // namespace rras::wire
