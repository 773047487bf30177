// DIMSVC reply stubs built byte by byte at the offsets of research/rrasm.md §2.3 and
// rrasm-real.md §5.2 (NDR20: no trailing gaps), and for opnums 4 and 20 at the offsets of
// [MS-RRASM] 2.2.1.2.75 and 2.2.1.2.81, independently of the decoder: the golden-byte
// tests and the fault matrix's scripted rrasm router use them. They are doubles written from our
// own reading; the reference router (tests/reference_dimsvc, widl + Wine's rpcrt4) is the authority.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rras::rrasm::replies {

using Bytes = std::vector<uint8_t>;

inline Bytes hex(const std::string& text) {
  Bytes out;
  for (size_t i = 0; i + 1 < text.size();) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    out.push_back(static_cast<uint8_t>(std::stoi(text.substr(i, 2), nullptr, 16)));
    i += 2;
  }
  return out;
}

// Writes little-endian values at fixed offsets of a zeroed buffer.
struct Blob {
  explicit Blob(size_t size) : b(size, 0) {}
  void u8(size_t off, uint8_t v) { b.at(off) = v; }
  void u16(size_t off, uint16_t v) {
    b.at(off) = static_cast<uint8_t>(v);
    b.at(off + 1) = static_cast<uint8_t>(v >> 8);
  }
  void u32(size_t off, uint32_t v) {
    for (size_t i = 0; i < 4; ++i) b.at(off + i) = static_cast<uint8_t>(v >> (8 * i));
  }
  void wide(size_t off, const std::u16string& s) {
    for (size_t i = 0; i < s.size(); ++i) u16(off + 2 * i, static_cast<uint16_t>(s[i]));
  }
  // A WCHAR[chars] field: the text may fill it (no terminator) but never spill into the next one.
  void wide(size_t off, const std::u16string& s, size_t chars) {
    if (s.size() > chars) throw std::length_error("text longer than its WCHAR array");
    wide(off, s);
  }
  void bytes(size_t off, const Bytes& v) { std::copy(v.begin(), v.end(), b.begin() + static_cast<long>(off)); }
  Bytes b;
};

// NDR stream writer for whole reply stubs (4-byte values appended in order).
struct Stub {
  void u32(uint32_t v) {
    for (size_t i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void raw(const Bytes& v) { b.insert(b.end(), v.begin(), v.end()); }
  void pad(size_t n) {
    while (b.size() % n) b.push_back(0);
  }
  Bytes b;
};

// An opnum 1 reply: container with `buffer`, entries, total, resume, status.
inline Bytes enumReply(const Bytes& buffer, uint32_t entries, uint32_t total, uint32_t resume, uint32_t status) {
  Stub s;
  s.u32(static_cast<uint32_t>(buffer.size()));
  if (buffer.empty()) {
    s.u32(0);
  } else {
    s.u32(0x00020000);
    s.u32(static_cast<uint32_t>(buffer.size()));
    s.raw(buffer);
    s.pad(4);
  }
  s.u32(entries);
  s.u32(total);
  s.u32(0x00020004);
  s.u32(resume);
  s.u32(status);
  return s.b;
}

inline Bytes level0Entry(uint32_t handle, const std::u16string& user) {
  Blob e(1116);
  e.u32(0, handle);
  e.u32(4, 0x21);
  e.u32(8, 3600);
  e.u32(12, 0);  // ROUTER_IF_TYPE_CLIENT
  e.u32(16, 0x1);
  e.wide(20, u"vpn-if");
  e.wide(534, user);
  e.wide(1048, u"CORP");
  e.wide(1080, u"LAPTOP-7");
  return e.b;
}

// The fields of one RAS_CONNECTION_EX_IDL element; tests vary them so every field can be checked.
struct ExEntry {
  bool ikev2 = false;
  uint32_t handle = 0, interface_handle = 0x55, duration = 120, flags = 0;  // flags 0: 0x10 IKEv2, else 0x1
  uint16_t if_type = 0;                                                     // enum16 ROUTER_IF_TYPE_CLIENT
  uint16_t quarantine = 1;                                                  // enum16 RAS_QUAR_STATE_QUARANTINE
  std::u16string interface_name = u"if", user = u"dave", domain = u"EXAMPLE", computer = u"PC-9";
  std::u16string tunnel_endpoint = u"203.0.113.9", ipv4 = u"10.9.8.7";
  uint32_t counter_base = 500;  // the 13 DWORD counters are counter_base, counter_base + 1, ...
  bool ipv6 = true;             // IKEv2: prefix 2001:db8::/64, interface id ::7
  uint32_t auth = 0;            // 0: PAP for PPP, MPRAPI_IKEV2_AUTH_USING_EAP (2) for IKEv2
};

// A RAS_CONNECTION_EX_IDL element as NDR20 lays it out: 8-aligned tag, arm, inner 8-aligned tag,
// the projection arm (PPP 192 bytes, IKEv2 140: no trailing gap), hConnection, hInterface. The
// element ends there (1672 or 1620 bytes); the next one starts 8-aligned.
inline Bytes exElement(const ExEntry& x) {
  const size_t arm = 8, projection_arm = arm + 1464;
  const size_t projection_size = x.ikev2 ? 140 : 192;
  const size_t handles = projection_arm + projection_size;
  Blob e(handles + 8);
  e.u8(0, 1);  // revision
  e.u8(arm + 0, 1);
  e.u8(arm + 1, 1);
  e.u16(arm + 2, 1672);
  e.u32(arm + 4, x.duration);
  e.u16(arm + 8, x.if_type);
  e.u32(arm + 12, x.flags ? x.flags : (x.ikev2 ? 0x10 : 0x1));
  e.wide(arm + 16, x.interface_name);
  e.wide(arm + 530, x.user);
  e.wide(arm + 1044, x.domain);
  e.wide(arm + 1076, x.computer);
  e.u16(arm + 1128, x.quarantine);
  for (uint32_t i = 0; i < 13; ++i) e.u32(arm + 1140 + 4 * i, x.counter_base + i);
  e.wide(arm + 1192, x.tunnel_endpoint);
  e.wide(arm + 1322, u"198.51.100.1");
  e.u8(arm + 1456, x.ikev2 ? 2 : 1);
  e.wide(projection_arm + 36, x.ipv4);
  if (x.ikev2) {
    if (x.ipv6) {
      e.bytes(projection_arm + 92, hex("0000000000000007"));
      e.bytes(projection_arm + 100, hex("20010db800000000"));
      e.u32(projection_arm + 108, 64);
    } else {
      e.u32(projection_arm + 80, 720);  // dwIPv6NegotiationError
    }
    e.u32(projection_arm + 124, x.auth ? x.auth : 2);
    e.u32(projection_arm + 136, 3);  // dwEncryptionMethod: the arm's last member
  } else {
    e.u32(projection_arm + 88, 720);  // IPv6CP not negotiated
    e.u32(projection_arm + 140, x.auth ? x.auth : 0xC023);
    e.u32(projection_arm + 188, 7);  // dwCcpRemoteOptions: the arm's last member
  }
  e.u32(handles, x.handle);
  e.u32(handles + 4, x.interface_handle);
  return e.b;
}

inline Bytes exElement(bool ikev2, uint32_t handle) {
  ExEntry x;
  x.ikev2 = ikev2;
  x.handle = handle;
  return exElement(x);
}

inline Bytes exReply(const std::vector<Bytes>& elements, uint32_t total, uint32_t resume, uint32_t status) {
  Stub s;
  s.u32(static_cast<uint32_t>(elements.size()));
  s.u32(total);
  if (elements.empty()) {
    s.u32(0);
  } else {
    s.u32(0x00020000);
    s.u32(static_cast<uint32_t>(elements.size()));
    for (const auto& e : elements) {
      s.pad(8);
      s.raw(e);
    }
    s.pad(4);
  }
  s.u32(0x00020004);
  s.u32(resume);
  s.u32(status);
  return s.b;
}

// An opnum 0 reply at level 0: uptime, total ports, ports in use.
inline Bytes serverInfo0Reply(uint32_t uptime, uint32_t total_ports, uint32_t ports_in_use) {
  Stub s;
  s.u32(16);
  s.u32(0x00020000);
  s.u32(16);
  s.u32(0);  // fLanOnlyMode
  s.u32(uptime);
  s.u32(total_ports);
  s.u32(ports_in_use);
  s.u32(0);  // status
  return s.b;
}

// An opnum 0 reply that carries only an error status (no buffer).
inline Bytes serverInfoStatusReply(uint32_t status) {
  Stub s;
  s.u32(0);
  s.u32(0);
  s.u32(status);
  return s.b;
}

// A reply of the flat enumerations (opnums 1, 4, 20): DIM_INFORMATION_CONTAINER {dwBufferSize,
// pBuffer} with the conformant bytes padded to 4, entries read, total, the [unique] resume pointer
// (NULL when `resume` is empty), status. Referents numbered as Wine's NDR engine does: 0x20000
// first, then 0x20004.
inline Bytes flatReply(const Bytes& buffer, uint32_t entries, uint32_t total, std::optional<uint32_t> resume,
                       uint32_t status) {
  Stub s;
  uint32_t referent = 0x00020000;
  s.u32(static_cast<uint32_t>(buffer.size()));
  if (buffer.empty()) {
    s.u32(0);
  } else {
    s.u32(referent);
    referent += 4;
    s.u32(static_cast<uint32_t>(buffer.size()));
    s.raw(buffer);
    s.pad(4);
  }
  s.u32(entries);
  s.u32(total);
  if (resume) {
    s.u32(referent);
    s.u32(*resume);
  } else {
    s.u32(0);
  }
  s.u32(status);
  return s.b;
}

inline Bytes concat(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// MPRI_INTERFACE_0 (2.2.1.2.81), 540 bytes: wszInterfaceName WCHAR[257] at 0 (514 bytes, then 2
// alignment bytes), dwInterface 516, fEnabled 520, dwIfType 524, dwConnectionState 528,
// fUnReachabilityReasons 532, dwLastError 536.
struct InterfaceEntry {
  uint32_t handle = 0;
  std::u16string name = u"if";
  uint32_t enabled = 1, type = 2, state = 3, unreachability = 0, last_error = 0;
};

inline Bytes interfaceEntry(const InterfaceEntry& x) {
  Blob e(540);
  e.wide(0, x.name, 257);
  e.u32(516, x.handle);
  e.u32(520, x.enabled);
  e.u32(524, x.type);
  e.u32(528, x.state);
  e.u32(532, x.unreachability);
  e.u32(536, x.last_error);
  return e.b;
}

// RASI_PORT_0 (2.2.1.2.75), 380 bytes: dwPort 0, dwConnection 4, dwPortCondition 8,
// dwTotalNumberOfCalls 12, dwConnectDuration 16, wszPortName WCHAR[17] 20, wszMediaName[17] 54,
// wszDeviceName[129] 88, wszDeviceType[17] 346.
struct PortEntry {
  uint32_t handle = 0, connection = 0, condition = 3, calls = 0, duration = 0;
  std::u16string name = u"VPN2-0", media = u"rastapi", device_name = u"WAN Miniport (SSTP)", device_type = u"vpn";
};

inline Bytes portEntry(const PortEntry& x) {
  Blob e(380);
  e.u32(0, x.handle);
  e.u32(4, x.connection);
  e.u32(8, x.condition);
  e.u32(12, x.calls);
  e.u32(16, x.duration);
  e.wide(20, x.name, 17);
  e.wide(54, x.media, 17);
  e.wide(88, x.device_name, 129);
  e.wide(346, x.device_type, 17);
  return e.b;
}

}  // namespace rras::rrasm::replies
