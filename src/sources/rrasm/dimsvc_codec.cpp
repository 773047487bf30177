#include "sources/rrasm/dimsvc_codec.h"

#include "router/wire_sizes.h"

namespace rras::rrasm {

namespace {

constexpr uint32_t kReferent = 0x00020000;  // any non-zero referent id; MIDL starts here

// MPRAPI_OBJECT_HEADER_IDL for RRasAdminConnectionEnumEx: revision 1, type RAS_CONNECTION_OBJECT,
// size = sizeof(RAS_CONNECTION_EX_IDL), the same on x86 and x64 (research/rrasm.md §5.1).
constexpr uint8_t kObjectRevision = 1;
constexpr uint8_t kObjectTypeRasConnection = 1;

// Sizes of the MPR_SERVER_n structs in the opnum 0 container.
constexpr uint32_t kMprServerSize[] = {16, 16, 24};

// A DIM_INFORMATION_CONTAINER in a reply: {u32 size; [size_is(size)] BYTE* buffer} with the
// deferred conformant array right behind it. Returns the buffer (empty when NULL).
std::span<const uint8_t> readContainer(NdrReader& r) {
  const uint32_t size = r.u32("dwBufferSize");
  if (!r.pointer("pBuffer referent")) {
    if (size != 0) r.fail("dwBufferSize is " + std::to_string(size) + " but pBuffer is NULL");
    return {};
  }
  const uint32_t max_count = r.u32("pBuffer max_count");
  if (max_count != size) {
    r.fail("pBuffer max_count " + std::to_string(max_count) + " differs from dwBufferSize " + std::to_string(size));
  }
  auto buffer = r.bytes(size, "pBuffer bytes");
  r.align(4, "pBuffer padding");
  return buffer;
}

// A stub may end in alignment padding (up to 8 bytes); more after the status is not this reply.
void expectEnd(NdrReader& r) {
  if (r.remaining() >= 8) r.fail(std::to_string(r.remaining()) + " unexpected bytes after the status");
}

template <class Entry>
void checkPaging(NdrReader& r, const PagedReply<Entry>& reply, bool had_resume) {
  if (reply.status == status::kMoreData && (!had_resume || reply.resume_handle == 0)) {
    r.fail("ERROR_MORE_DATA without a resume handle to continue from");
  }
}

bool carriesPage(ApiCode code) { return code == status::kSuccess || code == status::kMoreData; }

// The reply of the flat enumerations (opnums 1, 4, 20): DIM_INFORMATION_CONTAINER, entries read,
// total, unique resume pointer, status. Fills all but the entries and returns the buffer and the
// entry count; the paging rule is checked when the status carries a page.
template <class Entry>
std::span<const uint8_t> readFlatEnum(NdrReader& r, PagedReply<Entry>& reply, uint32_t& entries) {
  const auto buffer = readContainer(r);
  entries = r.u32("lpdwEntriesRead");
  reply.page.total_entries = r.u32("lpdwTotalEntries");
  const bool had_resume = r.pointer("lpdwResumeHandle referent");
  if (had_resume) reply.resume_handle = r.u32("*lpdwResumeHandle");
  reply.status = r.u32("return status");
  expectEnd(r);
  if (carriesPage(reply.status)) {
    checkPaging(r, reply, had_resume);
    reply.page.entries_read = entries;
  }
  return buffer;
}

// Opnums 4 and 20: `entries` structs of exactly `size` bytes, decoded one by one.
template <class Entry, class Decode>
PagedReply<Entry> decodeFixedStrideEnum(std::span<const uint8_t> stub, const char* what, const char* structure,
                                        size_t size, Decode decode) {
  NdrReader r(stub, what);
  PagedReply<Entry> reply;
  uint32_t entries = 0;
  const auto buffer = readFlatEnum(r, reply, entries);
  if (!carriesPage(reply.status) || entries == 0) return reply;
  if (buffer.size() != size * entries) {
    r.fail(std::to_string(buffer.size()) + " buffer bytes for " + std::to_string(entries) + " entries; " + structure +
           " is " + std::to_string(size) + " bytes");
  }
  reply.page.entries.reserve(entries);
  for (size_t i = 0; i < entries; ++i) reply.page.entries.push_back(decode(buffer.subspan(i * size, size)));
  return reply;
}

}  // namespace

bool isKnownRasiStride(int level, uint32_t stride) {
  switch (level) {
    case 0:
      return stride == 1116;
    case 1:
      return stride == 272 || stride == 288;
    case 2:
      return stride == 828 || stride == 844;
    case 3:
      return stride == 788;
    default:
      return false;
  }
}

std::vector<uint8_t> encodeServerGetInfo(uint32_t level) {
  NdrWriter w;
  w.u32(level);  // pInfoStruct is [out] only
  return w.bytes();
}

std::vector<uint8_t> encodeConnectionEnum(uint32_t level, uint32_t pref_max_len, uint32_t resume_handle) {
  NdrWriter w;
  w.u32(level);
  w.u32(0);  // pInfoStruct.dwBufferSize: the caller MUST send 0 ...
  w.u32(0);  // ... and a NULL pBuffer
  w.u32(pref_max_len);
  w.u32(kReferent);  // lpdwResumeHandle is [unique]: always sent, 0 on the first call
  w.u32(resume_handle);
  return w.bytes();
}

std::vector<uint8_t> encodeConnectionEnumEx(uint32_t pref_max_len, uint32_t resume_handle) {
  NdrWriter w;
  w.u8(kObjectRevision);
  w.u8(kObjectTypeRasConnection);
  w.u16(static_cast<uint16_t>(wire::kRasConnectionExSize));
  w.u32(pref_max_len);
  w.u32(kReferent);
  w.u32(resume_handle);
  return w.bytes();
}

std::vector<uint8_t> encodeInterfaceEnum(uint32_t pref_max_len, uint32_t resume_handle) {
  NdrWriter w;
  w.u32(0);  // dwLevel: MPRI_INTERFACE_0
  w.u32(0);  // pInfoStruct.dwBufferSize 0 ...
  w.u32(0);  // ... and a NULL pBuffer
  w.u32(pref_max_len);
  w.u32(kReferent);  // lpdwResumeHandle: [unique], always sent
  w.u32(resume_handle);
  return w.bytes();
}

std::vector<uint8_t> encodePortEnum(uint32_t pref_max_len, uint32_t resume_handle, uint32_t connection) {
  NdrWriter w;
  w.u32(0);           // dwLevel: RASI_PORT_0
  w.u32(connection);  // hRasConnection: kAllPorts for every port
  w.u32(0);           // pInfoStruct.dwBufferSize 0 ...
  w.u32(0);           // ... and a NULL pBuffer
  w.u32(pref_max_len);
  w.u32(kReferent);
  w.u32(resume_handle);
  return w.bytes();
}

ServerInfoReply decodeServerGetInfo(std::span<const uint8_t> stub, uint32_t level) {
  NdrReader r(stub, "RMprAdminServerGetInfo(level " + std::to_string(level) + ") reply");
  ServerInfoReply reply;
  const auto buffer = readContainer(r);
  reply.status = r.u32("return status");
  expectEnd(r);
  if (reply.status != status::kSuccess) return reply;
  if (level > 2) r.fail("the server answered an unknown level " + std::to_string(level));
  if (buffer.size() < kMprServerSize[level]) {
    r.fail("MPR_SERVER_" + std::to_string(level) + " needs " + std::to_string(kMprServerSize[level]) +
           " bytes, the buffer holds " + std::to_string(buffer.size()));
  }
  ServerInfo& info = reply.info;
  info.level = static_cast<int>(level);
  if (level == 0) {
    info.lan_only_mode = loadU32(buffer, 0) != 0;
    info.uptime_seconds = loadU32(buffer, 4);
    info.total_ports = loadU32(buffer, 8);
    info.ports_in_use = loadU32(buffer, 12);
    return reply;
  }
  // MPR_SERVER_1/2: {dwNumPptpPorts, dwPptpPortFlags, dwNumL2tpPorts, dwL2tpPortFlags[, SSTP]}.
  info.pptp_ports = loadU32(buffer, 0);
  info.l2tp_ports = loadU32(buffer, 8);
  if (level == 2) info.sstp_ports = loadU32(buffer, 16);
  return reply;
}

EnumReply decodeConnectionEnum(std::span<const uint8_t> stub, uint32_t level) {
  NdrReader r(stub, "RRasAdminConnectionEnum(level " + std::to_string(level) + ") reply");
  EnumReply reply;
  uint32_t entries = 0;
  const auto buffer = readFlatEnum(r, reply, entries);
  if (!carriesPage(reply.status) || entries == 0) return reply;
  if (level > 3) r.fail("the server answered an unknown level " + std::to_string(level));
  // The stride comes from the reply, so both IPX address widths decode; anything else is refused.
  if (buffer.size() % entries != 0 ||
      !isKnownRasiStride(static_cast<int>(level), static_cast<uint32_t>(buffer.size() / entries))) {
    r.fail(std::to_string(buffer.size()) + " buffer bytes for " + std::to_string(entries) +
           " entries is not a known RASI_CONNECTION_" + std::to_string(level) + " size");
  }
  const size_t stride = buffer.size() / entries;
  reply.page.entries.reserve(entries);
  for (size_t i = 0; i < entries; ++i) {
    reply.page.entries.push_back(decodeRasiConnection(buffer.subspan(i * stride, stride), static_cast<int>(level)));
  }
  return reply;
}

EnumReply decodeConnectionEnumEx(std::span<const uint8_t> stub) {
  NdrReader r(stub, "RRasAdminConnectionEnumEx reply");
  EnumReply reply;
  const uint32_t entries = r.u32("lpdwEntriesRead");
  reply.page.total_entries = r.u32("lpdNumTotalElements");
  const bool has_array = r.pointer("pRasConections referent");
  if (has_array) {
    const uint32_t count = r.u32("pRasConections max_count");
    if (count != entries) {
      r.fail("array max_count " + std::to_string(count) + " differs from lpdwEntriesRead " + std::to_string(entries));
    }
    // Each element is at least an IKEv2 one (8 + 1464 + 140 + 8 bytes, NDR20: no trailing gap):
    // refuse counts the stub cannot hold before allocating.
    constexpr size_t kSmallestElement = 1620;
    if (entries > r.remaining() / kSmallestElement) {
      r.fail(std::to_string(entries) + " entries cannot fit in the " + std::to_string(r.remaining()) + " bytes left");
    }
    reply.page.entries.reserve(entries);
    for (uint32_t i = 0; i < entries; ++i) reply.page.entries.push_back(decodeRasConnectionEx(r, i));
  } else if (entries != 0) {
    r.fail("lpdwEntriesRead is " + std::to_string(entries) + " but the array pointer is NULL");
  }
  const bool had_resume = r.pointer("lpdwResumeHandle referent");
  if (had_resume) reply.resume_handle = r.u32("*lpdwResumeHandle");
  reply.status = r.u32("return status");
  expectEnd(r);
  if (!carriesPage(reply.status)) {
    reply.page = ConnectionPage{};
    return reply;
  }
  checkPaging(r, reply, had_resume);
  reply.page.entries_read = entries;
  return reply;
}

InterfaceEnumReply decodeInterfaceEnum(std::span<const uint8_t> stub) {
  return decodeFixedStrideEnum<RouterInterface>(stub, "RRouterInterfaceEnum(level 0) reply", "MPRI_INTERFACE_0",
                                                kMpriInterface0Size, decodeMpriInterface0);
}

PortEnumReply decodePortEnum(std::span<const uint8_t> stub) {
  return decodeFixedStrideEnum<Port>(stub, "RRasAdminPortEnum(level 0) reply", "RASI_PORT_0", kRasiPort0Size,
                                     decodeRasiPort0);
}

}  // namespace rras::rrasm
