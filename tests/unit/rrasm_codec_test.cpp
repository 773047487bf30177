// Golden-byte tests of the DIMSVC codec (src/sources/rrasm/dimsvc_codec.h): requests byte for
// byte as MS-RRASM lays them out, replies built here at the offsets of research/rrasm.md §2.3,
// rrasm-real.md §5.2 and [MS-RRASM] 2.2.1.2.75 / 2.2.1.2.81 (independently of the decoder), and
// hostile replies that must be refused with MalformedReply, never read out of bounds. Links the
// codec only: no Samba.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "dimsvc_replies.h"
#include "model/utf16.h"
#include "sources/rrasm/dimsvc_codec.h"
#include "sources/rrasm/rrasm_status.h"

namespace rras::rrasm {
namespace {

using namespace replies;  // NOLINT(google-build-using-namespace): the reply builders

// ---- requests ----

TEST(RrasmCodec, ServerGetInfoRequestIsTheLevelOnly) { EXPECT_EQ(encodeServerGetInfo(2), hex("02000000")); }

TEST(RrasmCodec, ConnectionEnumRequestMatchesTheSpecLayout) {
  // dwLevel, empty container (size 0, NULL), dwPreferedMaximumLength, unique resume pointer.
  EXPECT_EQ(encodeConnectionEnum(0, 0xFFFFFFFF, 0), hex("00000000 00000000 00000000 ffffffff 00000200 00000000"));
  EXPECT_EQ(encodeConnectionEnum(3, 65536, 7), hex("03000000 00000000 00000000 00000100 00000200 07000000"));
}

TEST(RrasmCodec, ConnectionEnumExRequestCarriesTheObjectHeader) {
  // revision 1, RAS_CONNECTION_OBJECT, size 1672 (0x0688), prefmax, resume pointer.
  EXPECT_EQ(encodeConnectionEnumEx(0xFFFFFFFF, 0), hex("01018806 ffffffff 00000200 00000000"));
  EXPECT_EQ(encodeConnectionEnumEx(3344, 2), hex("01018806 100d0000 00000200 02000000"));
}

// ---- opnum 0 ----

TEST(RrasmCodec, ServerGetInfoLevel0) {
  const Bytes reply = hex("10000000 00000200 10000000 00000000 805101 00 80000000 05000000 00000000");
  const auto r = decodeServerGetInfo(reply, 0);
  EXPECT_EQ(r.status, 0u);
  EXPECT_EQ(r.info.level, 0);
  EXPECT_FALSE(r.info.lan_only_mode);
  EXPECT_EQ(r.info.uptime_seconds, 0x015180u);
  EXPECT_EQ(r.info.total_ports, 128u);
  EXPECT_EQ(r.info.ports_in_use, 5u);
}

TEST(RrasmCodec, ServerGetInfoLevel2HasOnlyPortsPerProtocol) {
  const Bytes reply = hex("18000000 00000200 18000000 20000000 00000000 10000000 00000000 40000000 00000000 00000000");
  const auto r = decodeServerGetInfo(reply, 2);
  EXPECT_EQ(*r.info.pptp_ports, 32u);
  EXPECT_EQ(*r.info.l2tp_ports, 16u);
  EXPECT_EQ(*r.info.sstp_ports, 64u);
  EXPECT_EQ(r.info.total_ports, 0u);
}

TEST(RrasmCodec, ServerGetInfoErrorStatusNeedsNoBuffer) {
  EXPECT_EQ(decodeServerGetInfo(hex("00000000 00000000 7c000000"), 2).status, 124u);  // ERROR_INVALID_LEVEL
}

TEST(RrasmCodec, ServerGetInfoRefusesAShortStruct) {
  EXPECT_THROW(decodeServerGetInfo(hex("04000000 00000200 04000000 01000000 00000000"), 0), MalformedReply);
}

// ---- opnum 1 ----

TEST(RrasmCodec, ConnectionEnumLevel0TwoEntries) {
  Bytes buffer = level0Entry(0x11, u"alice");
  const Bytes second = level0Entry(0x12, u"Zo\u00eb \U0001F600");
  buffer.insert(buffer.end(), second.begin(), second.end());
  const Bytes reply = enumReply(buffer, 2, 2, 0, 0);
  // The research capture's first bytes: size 2232, referent, max_count 2232, dwConnection 0x11.
  EXPECT_EQ(Bytes(reply.begin(), reply.begin() + 24), hex("b8080000 00000200 b8080000 11000000 21000000 100e0000"));
  const auto r = decodeConnectionEnum(reply, 0);
  ASSERT_EQ(r.status, 0u);
  ASSERT_EQ(r.page.entries.size(), 2u);
  EXPECT_EQ(r.page.entries_read, 2u);
  const Connection& c = r.page.entries[0];
  EXPECT_EQ(c.handle, 0x11u);
  EXPECT_EQ(c.interface_handle, 0x21u);
  EXPECT_EQ(c.duration_seconds, 3600u);
  EXPECT_EQ(c.interface_type, InterfaceType::kClient);
  EXPECT_EQ(c.flags, 1u);
  EXPECT_EQ(c.interface_name, "vpn-if");
  EXPECT_EQ(c.user, "alice");
  EXPECT_EQ(c.domain, "CORP");
  EXPECT_EQ(c.remote_computer, "LAPTOP-7");
  EXPECT_EQ(c.levels, kHasLevel0);
  EXPECT_EQ(r.page.entries[1].user, "Zo\xc3\xab \xf0\x9f\x98\x80");
}

// Level 1 in both strides: the IPX address shifts the counters by 16 bytes.
class Level1Stride : public ::testing::TestWithParam<uint32_t> {};

TEST_P(Level1Stride, DecodesCountersAndClientAddress) {
  const uint32_t stride = GetParam();
  const size_t counters = stride == 272 ? 224 : 240;
  Blob e(stride);
  e.u32(0, 0x77);
  e.u32(4, 0x88);
  e.u32(48, 0);  // IPCP dwError
  e.wide(52, u"10.0.0.1");
  e.wide(84, u"10.0.0.42");
  for (uint32_t i = 0; i < 12; ++i) e.u32(counters + 4 * i, 1000 + i);
  const auto r = decodeConnectionEnum(enumReply(e.b, 1, 1, 0, 0), 1);
  ASSERT_EQ(r.page.entries.size(), 1u);
  const Connection& c = r.page.entries[0];
  EXPECT_EQ(c.handle, 0x77u);
  EXPECT_EQ(c.client_ipv4, "10.0.0.42");
  EXPECT_EQ(c.counters.bytes_sent, 1000u);
  EXPECT_EQ(c.counters.bytes_received, 1001u);
  EXPECT_EQ(c.counters.frames_sent, 1002u);
  EXPECT_EQ(c.counters.frames_received, 1003u);
  EXPECT_EQ(c.counters.crc_errors, 1004u);
  EXPECT_EQ(c.counters.buffer_overrun_errors, 1009u);
  EXPECT_EQ(c.counters.compression_ratio_out, 1011u);
  EXPECT_TRUE(c.hasCounters());
}
INSTANTIATE_TEST_SUITE_P(Ipx, Level1Stride, ::testing::Values(272u, 288u));

class Level2Stride : public ::testing::TestWithParam<uint32_t> {};

TEST_P(Level2Stride, DecodesUserAddressAndAuthentication) {
  const uint32_t stride = GetParam();
  const size_t lcp = stride == 828 ? 784 : 800;
  Blob e(stride);
  e.u32(0, 0x99);
  e.wide(4, u"bob");
  e.u32(520, 2);                // ROUTER_IF_TYPE_FULL_ROUTER
  e.wide(616, u"192.168.7.3");  // PPP_IPCP_INFO2 wszRemoteAddress
  e.u32(lcp + 12, 0xC223);      // dwRemoteAuthenticationProtocol CHAP
  e.u32(lcp + 16, 0x81);        // MS-CHAPv2
  const auto r = decodeConnectionEnum(enumReply(e.b, 1, 1, 0, 0), 2);
  const Connection& c = r.page.entries.at(0);
  EXPECT_EQ(c.handle, 0x99u);
  EXPECT_EQ(c.user, "bob");
  EXPECT_EQ(c.interface_type, InterfaceType::kFullRouter);
  EXPECT_EQ(c.client_ipv4, "192.168.7.3");
  EXPECT_EQ(c.auth_protocol, "mschapv2");
}
INSTANTIATE_TEST_SUITE_P(Ipx, Level2Stride, ::testing::Values(828u, 844u));

TEST(RrasmCodec, ConnectionEnumLevel3WithIpv6AndQuarantine) {
  Blob e(788);
  e.u32(0, 3);  // dwVersion
  e.u32(8, 0xABCDEF01);
  e.wide(12, u"carol");
  e.u32(672, 0);                          // IPv6CP dwError
  e.bytes(684, hex("0000000000000042"));  // bRemoteInterfaceIdentifier
  e.bytes(700, hex("fd00000000000001"));  // bPrefix
  e.u32(708, 64);                         // dwPrefixLength
  e.u32(732 + 12, 0xC227);                // EAP
  e.u32(776, 2);                          // RAS_QUAR_STATE_PROBATION
  const auto r = decodeConnectionEnum(enumReply(e.b, 1, 1, 0, 0), 3);
  const Connection& c = r.page.entries.at(0);
  EXPECT_EQ(c.handle, 0xABCDEF01u);
  EXPECT_EQ(c.user, "carol");
  EXPECT_EQ(c.client_ipv6, "fd00:0:0:1::42");
  EXPECT_EQ(c.auth_protocol, "eap");
  EXPECT_EQ(c.quarantine_state, QuarantineState::kProbation);
  EXPECT_EQ(c.levels, kHasLevel3);
}

TEST(RrasmCodec, ConnectionEnumMoreDataCarriesTheResumeHandle) {
  const auto r = decodeConnectionEnum(enumReply(level0Entry(5, u"x"), 1, 9, 1, 234), 0);
  EXPECT_EQ(r.status, 234u);
  EXPECT_EQ(r.resume_handle, 1u);
  EXPECT_EQ(r.page.total_entries, 9u);
}

TEST(RrasmCodec, ConnectionEnumErrorStatusIsReturnedAsIs) {
  EXPECT_EQ(decodeConnectionEnum(enumReply({}, 0, 0, 0, 903), 0).status, 903u);
  EXPECT_EQ(decodeConnectionEnum(enumReply({}, 0, 0, 0, 5), 3).status, 5u);
}

// A buffer shorter than the level's struct, with a success status, is refused at every level of
// both calls: an over-read would stay inside the reply, where ASan cannot see it.
TEST(RrasmCodec, ShortBuffersAreRefusedAtEveryLevel) {
  const uint32_t mpr_server_size[] = {16, 16, 24};
  for (uint32_t level = 0; level <= 2; ++level) {
    for (uint32_t size = 0; size <= mpr_server_size[level]; size += 4) {
      Stub s;
      s.u32(size);
      s.u32(size ? 0x00020000 : 0);
      if (size) {
        s.u32(size);
        s.raw(Bytes(size, 0x11));
      }
      s.u32(0);  // success
      if (size < mpr_server_size[level]) {
        EXPECT_THROW(decodeServerGetInfo(s.b, level), MalformedReply) << "level " << level << ", " << size << " bytes";
      } else {
        EXPECT_EQ(decodeServerGetInfo(s.b, level).status, 0u) << "level " << level;
      }
    }
  }
  const std::vector<std::vector<uint32_t>> strides = {{1116}, {272, 288}, {828, 844}, {788}};
  for (uint32_t level = 0; level <= 3; ++level) {
    for (const uint32_t stride : strides[level]) {
      for (const uint32_t size : {4u, stride - 4, stride / 2}) {
        EXPECT_THROW(decodeConnectionEnum(enumReply(Bytes(size, 0), 1, 1, 0, 0), level), MalformedReply)
            << "level " << level << ", " << size << " bytes for one entry";
      }
      EXPECT_EQ(decodeConnectionEnum(enumReply(Bytes(stride, 0), 1, 1, 0, 0), level).page.entries.size(), 1u);
    }
  }
}

// ---- opnum 45 ----

TEST(RrasmCodec, ConnectionEnumExElementSizesFollowNdr20) {
  // Header 16 bytes, PPP element 1672 (8-aligned), IKEv2 element 1620 (its 140-byte arm has no
  // trailing gap in NDR20), resume pointer, status.
  EXPECT_EQ(exElement(false, 1).size(), 1672u);
  EXPECT_EQ(exElement(true, 1).size(), 1620u);
  EXPECT_EQ(exReply({exElement(false, 1), exElement(true, 2)}, 2, 0, 0).size(), 16u + 1672 + 1620 + 12);
  // After an IKEv2 element the next one starts 8-aligned: 4 bytes of padding.
  EXPECT_EQ(exReply({exElement(true, 1), exElement(false, 2)}, 2, 0, 0).size(), 16u + 1620 + 4 + 1672 + 12);
}

// Distinct values in every field, so a misplaced offset shows up as a wrong value.
ExEntry distinctEntry(bool ikev2, uint32_t n) {
  ExEntry x;
  x.ikev2 = ikev2;
  x.handle = 0x7000 + n;
  x.interface_handle = 0x9000 + n;
  x.duration = 100 + n;
  x.if_type = static_cast<uint16_t>(n % 8);
  x.quarantine = static_cast<uint16_t>(n % 4);
  x.interface_name = u"if-" + std::u16string(1, static_cast<char16_t>(u'a' + n));
  x.user = u"J\u00fcrgen-" + std::u16string(1, static_cast<char16_t>(u'0' + n));
  x.domain = u"DOM" + std::u16string(1, static_cast<char16_t>(u'0' + n));
  x.computer = u"PC-" + std::u16string(1, static_cast<char16_t>(u'0' + n));
  x.tunnel_endpoint = u"203.0.113." + std::u16string(1, static_cast<char16_t>(u'0' + n));
  x.ipv4 = u"10.0.0." + std::u16string(1, static_cast<char16_t>(u'0' + n));
  x.counter_base = 1000 * (n + 1);
  x.auth = ikev2 ? (n % 2 ? 1u : 2u) : (n % 2 ? 0xC223u : 0xC227u);
  return x;
}

std::string utf8(const std::u16string& s) { return utf16ToUtf8(s.data(), s.size()); }

void expectDecoded(const Connection& c, const ExEntry& x) {
  SCOPED_TRACE("handle " + std::to_string(x.handle));
  EXPECT_EQ(c.handle, x.handle);
  EXPECT_EQ(c.interface_handle, x.interface_handle);
  EXPECT_EQ(c.levels, kHasEx);
  EXPECT_EQ(c.protocol, x.ikev2 ? "ikev2" : "ppp");
  EXPECT_EQ(c.duration_seconds, x.duration);
  EXPECT_EQ(static_cast<int>(c.interface_type), x.if_type);
  EXPECT_EQ(static_cast<int>(c.quarantine_state), x.quarantine);
  EXPECT_EQ(c.flags, x.ikev2 ? 0x10u : 0x1u);
  EXPECT_EQ(c.interface_name, utf8(x.interface_name));
  EXPECT_EQ(c.user, utf8(x.user));
  EXPECT_EQ(c.domain, utf8(x.domain));
  EXPECT_EQ(c.remote_computer, utf8(x.computer));
  EXPECT_EQ(c.tunnel_endpoint, utf8(x.tunnel_endpoint));
  EXPECT_EQ(c.client_ipv4, utf8(x.ipv4));
  EXPECT_EQ(c.client_ipv6, x.ikev2 ? "2001:db8::7" : "");
  const uint32_t b = x.counter_base;
  const WireCounters& w = c.counters;
  EXPECT_EQ(std::vector<uint32_t>({w.bytes_sent, w.bytes_received, w.frames_sent, w.frames_received, w.crc_errors,
                                   w.timeout_errors, w.alignment_errors, w.hardware_overrun_errors, w.framing_errors,
                                   w.buffer_overrun_errors, w.compression_ratio_in, w.compression_ratio_out}),
            std::vector<uint32_t>({b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11}));
  const char* auth = x.ikev2 ? (x.auth == 1 ? "ikev2_cert" : "ikev2_eap") : (x.auth == 0xC223 ? "chap" : "eap");
  EXPECT_EQ(c.auth_protocol, auth);
}

// IKEv2 entries first, in the middle and last of a page, the last page ending in ERROR_MORE_DATA:
// with a 144-byte arm every later field and both handles of the page would be misread.
TEST(RrasmCodec, ConnectionEnumExIkev2InEveryPagePosition) {
  const std::vector<std::vector<bool>> pages = {
      {true, false, false}, {false, true, false}, {false, false, true}, {true, true, true}, {true}};
  for (const auto& kinds : pages) {
    for (const uint32_t status : {0u, 234u}) {
      std::vector<ExEntry> entries;
      std::vector<Bytes> elements;
      for (size_t i = 0; i < kinds.size(); ++i) {
        entries.push_back(distinctEntry(kinds[i], static_cast<uint32_t>(i + 1)));
        elements.push_back(exElement(entries.back()));
      }
      const uint32_t resume = status ? 42u : 0u;
      const auto r = decodeConnectionEnumEx(exReply(elements, 9, resume, status));
      EXPECT_EQ(r.status, status);
      EXPECT_EQ(r.resume_handle, resume);
      EXPECT_EQ(r.page.total_entries, 9u);
      ASSERT_EQ(r.page.entries.size(), entries.size());
      for (size_t i = 0; i < entries.size(); ++i) expectDecoded(r.page.entries[i], entries[i]);
    }
  }
}

TEST(RrasmCodec, ConnectionEnumExEmptyAndErrors) {
  const auto empty = decodeConnectionEnumEx(exReply({}, 0, 0, 0));
  EXPECT_EQ(empty.status, 0u);
  EXPECT_TRUE(empty.page.entries.empty());
  EXPECT_EQ(decodeConnectionEnumEx(exReply({}, 0, 0, 127)).status, 127u);
}

// ---- opnums 20 and 4 ----

TEST(RrasmCodec, InterfaceEnumRequestMatchesTheSpecLayout) {
  // RRouterInterfaceEnum (3.1.4.21): dwLevel 0, empty container (size 0, NULL pBuffer),
  // dwPreferedMaximumLength, unique resume pointer (referent, value).
  EXPECT_EQ(encodeInterfaceEnum(0xFFFFFFFF, 0), hex("00000000 00000000 00000000 ffffffff 00000200 00000000"));
  EXPECT_EQ(encodeInterfaceEnum(1080, 5), hex("00000000 00000000 00000000 38040000 00000200 05000000"));
}

TEST(RrasmCodec, PortEnumRequestMatchesTheSpecLayout) {
  // RRasAdminPortEnum (3.1.4.5): dwLevel 0, hRasConnection (INVALID_HANDLE_VALUE: every port), then
  // as opnum 20.
  EXPECT_EQ(encodePortEnum(0xFFFFFFFF, 0), hex("00000000 ffffffff 00000000 00000000 ffffffff 00000200 00000000"));
  EXPECT_EQ(encodePortEnum(760, 3), hex("00000000 ffffffff 00000000 00000000 f8020000 00000200 03000000"));
  EXPECT_EQ(encodePortEnum(760, 3, 0x102), hex("00000000 02010000 00000000 00000000 f8020000 00000200 03000000"));
}

TEST(RrasmCodec, FlatEntrySizesAreTheSpecStructs) {
  EXPECT_EQ(interfaceEntry({}).size(), 540u);
  EXPECT_EQ(portEntry({}).size(), 380u);
}

// Every field distinct, every ROUTER_CONNECTION_STATE (and one past them), BOOL TRUE as 1 and as
// another positive value, names non-ASCII and filling their WCHAR[257] (256 units and a NUL, and
// all 257 without a terminator).
std::vector<InterfaceEntry> distinctInterfaces() {
  std::vector<InterfaceEntry> out;
  const std::u16string names[] = {u"Zweigstelle-K\u00f6ln", u"\u5206\u652f-\u4e0a\u6d77", std::u16string(256, u'x'),
                                  u"dod \U0001F310", std::u16string(257, u'\u00e9')};
  for (uint32_t n = 0; n < 5; ++n) {
    InterfaceEntry x;
    x.handle = 0x11 + n * 0x01010101;
    x.name = names[n];
    x.enabled = n == 2 ? 0 : (n == 3 ? 7 : 1);
    x.type = n + 1;
    x.state = n;  // 0..3 and 4 (not a ROUTER_CONNECTION_STATE)
    x.unreachability = n == 0 ? 0 : (1u << (n + 1)) | 1u;
    x.last_error = n == 0 ? 0 : 600 + n;
    out.push_back(x);
  }
  return out;
}

void expectInterface(const RouterInterface& i, const InterfaceEntry& x) {
  SCOPED_TRACE("interface " + std::to_string(x.handle));
  EXPECT_EQ(i.handle, x.handle);
  EXPECT_EQ(i.name, utf8(x.name));
  EXPECT_EQ(i.enabled, x.enabled != 0);
  EXPECT_EQ(static_cast<uint32_t>(i.type), x.type);
  EXPECT_EQ(i.state, x.state <= 3 ? static_cast<InterfaceState>(x.state) : InterfaceState::kUnknown);
  EXPECT_EQ(i.unreachability_reasons, x.unreachability);
  EXPECT_EQ(i.last_error, x.last_error);
}

TEST(RrasmCodec, InterfaceEnumDecodesEveryField) {
  const auto entries = distinctInterfaces();
  std::vector<Bytes> raw;
  for (const auto& x : entries) raw.push_back(interfaceEntry(x));
  const auto r = decodeInterfaceEnum(flatReply(concat(raw), 5, 5, 0, 0));
  ASSERT_EQ(r.status, 0u);
  EXPECT_EQ(r.page.entries_read, 5u);
  EXPECT_EQ(r.page.total_entries, 5u);
  EXPECT_EQ(r.resume_handle, 0u);
  ASSERT_EQ(r.page.entries.size(), 5u);
  for (size_t k = 0; k < entries.size(); ++k) expectInterface(r.page.entries[k], entries[k]);
  // The states in wire order, and the ones named in the spec's text: spot checks independent of
  // the model's enum order.
  EXPECT_EQ(interfaceStateLabel(r.page.entries[0].state), "unreachable");
  EXPECT_EQ(interfaceStateLabel(r.page.entries[1].state), "disconnected");
  EXPECT_EQ(interfaceStateLabel(r.page.entries[2].state), "connecting");
  EXPECT_EQ(interfaceStateLabel(r.page.entries[3].state), "connected");
  EXPECT_EQ(interfaceStateLabel(r.page.entries[4].state), "unknown");
  EXPECT_EQ(interfaceTypeLabel(r.page.entries[1].type), "full_router");
  EXPECT_EQ(r.page.entries[2].name, std::string(256, 'x'));
  EXPECT_EQ(r.page.entries[4].name.size(), 257u * 2);  // no terminator: the whole array, no more
}

// Every RAS_PORT_CONDITION (0..6) and one past them, names non-ASCII and filling their arrays.
std::vector<PortEntry> distinctPorts() {
  std::vector<PortEntry> out;
  for (uint32_t n = 0; n < 8; ++n) {
    PortEntry x;
    x.handle = 0x301 + n * 0x00010001;
    x.connection = n % 3 ? 0x7000 + n : 0;
    x.condition = n;
    x.calls = 1000 * n + 7;
    x.duration = 60 * n + 1;
    x.name = u"VPN" + std::u16string(1, static_cast<char16_t>(u'0' + n)) + u"-" + std::u16string(1, u'\u00e4');
    x.media = n == 1 ? std::u16string(17, u'm') : u"rastapi";
    x.device_name = n == 2 ? std::u16string(128, u'\u00f6') : u"WAN Miniport (IKEv2)";
    x.device_type = n == 3 ? std::u16string(16, u't') : u"vpn";
    if (n == 4) x.name = std::u16string(16, u'\u7aef');
    out.push_back(x);
  }
  return out;
}

void expectPort(const Port& p, const PortEntry& x) {
  SCOPED_TRACE("port " + std::to_string(x.handle));
  EXPECT_EQ(p.handle, x.handle);
  EXPECT_EQ(p.connection, x.connection);
  EXPECT_EQ(p.condition, x.condition <= 6 ? static_cast<PortCondition>(x.condition) : PortCondition::kUnknown);
  EXPECT_EQ(p.total_calls, x.calls);
  EXPECT_EQ(p.duration_seconds, x.duration);
  EXPECT_EQ(p.name, utf8(x.name));
  EXPECT_EQ(p.media, utf8(x.media));
  EXPECT_EQ(p.device_name, utf8(x.device_name));
  EXPECT_EQ(p.device_type, utf8(x.device_type));
}

TEST(RrasmCodec, PortEnumDecodesEveryField) {
  const auto entries = distinctPorts();
  std::vector<Bytes> raw;
  for (const auto& x : entries) raw.push_back(portEntry(x));
  const auto r = decodePortEnum(flatReply(concat(raw), 8, 8, 0, 0));
  ASSERT_EQ(r.status, 0u);
  EXPECT_EQ(r.page.entries_read, 8u);
  ASSERT_EQ(r.page.entries.size(), 8u);
  for (size_t k = 0; k < entries.size(); ++k) expectPort(r.page.entries[k], entries[k]);
  const char* conditions[] = {"non_operational", "disconnected",  "calling_back", "listening",
                              "authenticating",  "authenticated", "initializing", "unknown"};
  for (size_t k = 0; k < 8; ++k) EXPECT_EQ(portConditionLabel(r.page.entries[k].condition), conditions[k]) << k;
  EXPECT_EQ(r.page.entries[1].media, std::string(17, 'm'));  // fills WCHAR[17]: no terminator
  EXPECT_EQ(r.page.entries[4].name, utf8(std::u16string(16, u'\u7aef')));
}

// ERROR_MORE_DATA: the page, the total from the resume position and the resume handle; the last
// page answers success without one.
TEST(RrasmCodec, InterfaceAndPortPagingCarriesTheResumeHandle) {
  const auto ifaces = distinctInterfaces();
  const auto first = decodeInterfaceEnum(
      flatReply(concat({interfaceEntry(ifaces[0]), interfaceEntry(ifaces[1])}), 2, 5, 2, status::kMoreData));
  EXPECT_EQ(first.status, status::kMoreData);
  EXPECT_EQ(first.resume_handle, 2u);
  EXPECT_EQ(first.page.total_entries, 5u);
  ASSERT_EQ(first.page.entries.size(), 2u);
  expectInterface(first.page.entries[1], ifaces[1]);
  const auto last = decodeInterfaceEnum(flatReply(interfaceEntry(ifaces[4]), 1, 1, 0, 0));
  EXPECT_EQ(last.status, 0u);
  expectInterface(last.page.entries.at(0), ifaces[4]);

  const auto ports = distinctPorts();
  const auto page = decodePortEnum(
      flatReply(concat({portEntry(ports[5]), portEntry(ports[6]), portEntry(ports[7])}), 3, 4, 7, status::kMoreData));
  EXPECT_EQ(page.status, status::kMoreData);
  EXPECT_EQ(page.resume_handle, 7u);
  EXPECT_EQ(page.page.total_entries, 4u);
  ASSERT_EQ(page.page.entries.size(), 3u);
  expectPort(page.page.entries[2], ports[7]);
  // Fewer bytes asked for than one entry: no entries, ERROR_MORE_DATA, the resume handle kept.
  const auto none = decodePortEnum(flatReply({}, 0, 9, 4, status::kMoreData));
  EXPECT_EQ(none.status, status::kMoreData);
  EXPECT_EQ(none.resume_handle, 4u);
  EXPECT_TRUE(none.page.entries.empty());
}

TEST(RrasmCodec, InterfaceAndPortMoreDataWithoutResumeIsRefused) {
  const Bytes i = interfaceEntry({});
  const Bytes p = portEntry({});
  EXPECT_THROW(decodeInterfaceEnum(flatReply(i, 1, 2, std::nullopt, status::kMoreData)), MalformedReply);
  EXPECT_THROW(decodeInterfaceEnum(flatReply(i, 1, 2, 0, status::kMoreData)), MalformedReply);
  EXPECT_THROW(decodePortEnum(flatReply(p, 1, 2, std::nullopt, status::kMoreData)), MalformedReply);
  EXPECT_THROW(decodePortEnum(flatReply(p, 1, 2, 0, status::kMoreData)), MalformedReply);
  // Success needs none.
  EXPECT_EQ(decodePortEnum(flatReply(p, 1, 1, std::nullopt, 0)).page.entries.size(), 1u);
}

TEST(RrasmCodec, InterfaceAndPortErrorStatusesAreReturnedAsIs) {
  for (const uint32_t code : {5u, 87u, 124u, 903u, 1745u}) {
    const auto i = decodeInterfaceEnum(flatReply({}, 0, 0, 0, code));
    EXPECT_EQ(i.status, code);
    EXPECT_TRUE(i.page.entries.empty());
    const auto p = decodePortEnum(flatReply({}, 0, 0, std::nullopt, code));
    EXPECT_EQ(p.status, code);
    EXPECT_TRUE(p.page.entries.empty());
  }
  EXPECT_TRUE(decodeInterfaceEnum(flatReply({}, 0, 0, 0, 0)).page.entries.empty());
}

// A buffer shorter than one entry, a stride other than the struct's (the x64 SDK sizes 552 and
// 392 included), and counts that disagree with the buffer are refused.
TEST(RrasmCodec, InterfaceAndPortStrideMustBeTheStructSize) {
  auto refused = [](uint32_t size, uint32_t bytes, uint32_t entries) {
    const Bytes reply = flatReply(Bytes(bytes, 0x41), entries, entries, 0, 0);
    if (size == 540) {
      EXPECT_THROW(decodeInterfaceEnum(reply), MalformedReply) << bytes << " bytes, " << entries << " entries";
    } else {
      EXPECT_THROW(decodePortEnum(reply), MalformedReply) << bytes << " bytes, " << entries << " entries";
    }
  };
  for (const uint32_t size : {540u, 380u}) {
    for (const uint32_t bytes : {4u, 100u, size / 2, size - 4, size - 1}) refused(size, bytes, 1);
    refused(size, size + 4, 1);
    refused(size, size == 540 ? 552 : 392, 1);        // the x64 struct
    refused(size, 2 * (size == 540 ? 552 : 392), 2);  // x64 stride, two entries
    refused(size, 2 * size, 3);                       // two entries claimed as three
    refused(size, 3 * size, 2);                       // three entries claimed as two
    refused(size, 2 * size, 0xFFFFFFFF);              // a huge count
  }
  EXPECT_EQ(decodeInterfaceEnum(flatReply(Bytes(540, 0), 1, 1, 0, 0)).page.entries.size(), 1u);
  EXPECT_EQ(decodePortEnum(flatReply(Bytes(380, 0), 1, 1, 0, 0)).page.entries.size(), 1u);
}

TEST(RrasmCodec, InterfaceAndPortEveryTruncationIsRefused) {
  const Bytes ifaces = flatReply(concat({interfaceEntry({}), interfaceEntry({})}), 2, 3, 2, status::kMoreData);
  for (size_t n = 0; n < ifaces.size(); ++n) {
    EXPECT_THROW(decodeInterfaceEnum(std::span(ifaces.data(), n)), MalformedReply) << n;
  }
  const Bytes ports = flatReply(concat({portEntry({}), portEntry({})}), 2, 3, 2, status::kMoreData);
  for (size_t n = 0; n < ports.size(); ++n) {
    EXPECT_THROW(decodePortEnum(std::span(ports.data(), n)), MalformedReply) << n;
  }
}

TEST(RrasmCodec, InterfaceAndPortConformanceAndTrailingBytes) {
  Bytes reply = flatReply(portEntry({}), 1, 1, 0, 0);
  reply[8] = 0x7d;  // max_count 381, dwBufferSize 380
  EXPECT_THROW(decodePortEnum(reply), MalformedReply);
  reply = flatReply(interfaceEntry({}), 1, 1, 0, 0);
  reply[0] = 0x1d;  // dwBufferSize 541, max_count 540
  EXPECT_THROW(decodeInterfaceEnum(reply), MalformedReply);
  // dwBufferSize with a NULL pBuffer.
  EXPECT_THROW(decodeInterfaceEnum(hex("1c020000 00000000 00000000 00000000 00000000 00000000")), MalformedReply);
  // A buffer size larger than the stub.
  EXPECT_THROW(decodePortEnum(hex("ffffff7f 00000200 ffffff7f 00")), MalformedReply);
  reply = flatReply(portEntry({}), 1, 1, 0, 0);
  reply.resize(reply.size() + 4, 0);  // alignment padding is accepted ...
  EXPECT_EQ(decodePortEnum(reply).page.entries.size(), 1u);
  reply.resize(reply.size() + 4, 0);  // ... more is not
  EXPECT_THROW(decodePortEnum(reply), MalformedReply);
}

TEST(RrasmCodec, InterfaceAndPortStringsStayBounded) {
  PortEntry x;
  x.name = std::u16string(17, u'P');                   // fills WCHAR[17], no terminator ...
  x.media = u"\xD800m";                                // lone high surrogate
  x.device_name = std::u16string(129, u'\U0000FFFD');  // fills WCHAR[129]
  x.device_type = u"";
  const auto r = decodePortEnum(flatReply(portEntry(x), 1, 1, 0, 0));
  const Port& p = r.page.entries.at(0);
  EXPECT_EQ(p.name, std::string(17, 'P'));  // ... and does not run into wszMediaName
  EXPECT_EQ(p.media, "\xef\xbf\xbdm");
  EXPECT_EQ(p.device_name.size(), 129u * 3);
  EXPECT_EQ(p.device_type, "");
  InterfaceEntry i;
  i.name = std::u16string(257, u'N');  // no terminator: stops at the array, not at dwInterface
  i.handle = 0x00410041;               // "AA" in UTF-16 if it were read as text
  EXPECT_EQ(decodeInterfaceEnum(flatReply(interfaceEntry(i), 1, 1, 0, 0)).page.entries.at(0).name,
            std::string(257, 'N'));
}

// ---- transport status ----

// Every code of each rule, not one of them: a code dropped from a list must fail here.
TEST(RrasmStatus, EveryBrokenConnectionCodeAsksForTheReconnect) {
  // NTSTATUS names from Samba's ntstatus_gen.h, values written out here.
  const uint32_t lost[] = {0xC000020C /* CONNECTION_DISCONNECTED */,
                           0xC000020D /* CONNECTION_RESET */,
                           0xC000014B /* PIPE_BROKEN */,
                           0xC0000011 /* END_OF_FILE */,
                           0xC00000C3 /* INVALID_NETWORK_RESPONSE */,
                           0xC002001D /* RPC_PROTOCOL_ERROR */,
                           0xC002001B /* RPC_CALL_FAILED */,
                           0xC0020003 /* RPC_INVALID_BINDING */};
  for (const uint32_t nt : lost) EXPECT_TRUE(isBindingLost(apiCodeFromTransport(nt, 0))) << std::hex << nt;
  const uint32_t unreachable[] = {0xC0000236, 0xC000023D, 0xC000023C, 0xC000023F, 0xC00000CC,
                                  0xC00000BE, 0xC0000034, 0xC000003A, 0xC0020017};
  for (const uint32_t nt : unreachable) {
    EXPECT_EQ(apiCodeFromTransport(nt, 0), status::kRpcServerUnavailable) << std::hex << nt;
  }
  // Faults a server raises with a binding-loss status are retried too.
  for (const uint32_t fault : {1702u, 1722u, 1726u}) {
    EXPECT_TRUE(isBindingLost(apiCodeFromTransport(0xC0000001, fault))) << fault;
  }
  EXPECT_FALSE(isBindingLost(apiCodeFromTransport(0xC0000022, 0)));  // access denied: no retry
}

TEST(RrasmStatus, EveryNotHereFaultStepsDown) {
  EXPECT_TRUE(isUnsupportedLevel(apiCodeFromTransport(0xC002002E, 0)));           // NT RPC_PROCNUM_OUT_OF_RANGE
  EXPECT_TRUE(isUnsupportedLevel(apiCodeFromTransport(0xC0000001, 0x1C010002)));  // nca_op_rng_error
  for (const uint32_t fault : {50u, 120u, 124u, 127u, 1745u}) {
    EXPECT_TRUE(isUnsupportedLevel(apiCodeFromTransport(0xC0000001, fault))) << fault;
  }
  EXPECT_EQ(apiCodeFromTransport(0xC0000001, 0x1C010003), status::kRpcUnknownIf);
  EXPECT_EQ(apiCodeFromTransport(0xC0000001, 5), status::kAccessDenied);
  EXPECT_EQ(apiCodeFromTransport(0xC0000001, 0x1C00001A), status::kRpcCallFailed);  // other nca_* fault
}

// ---- hostile replies ----

TEST(RrasmCodec, EveryTruncationIsRefused) {
  const Bytes enum0 = enumReply(level0Entry(1, u"a"), 1, 1, 0, 0);
  for (size_t n = 0; n < enum0.size(); ++n) {
    EXPECT_THROW(decodeConnectionEnum(std::span(enum0.data(), n), 0), MalformedReply) << n;
  }
  const Bytes ex = exReply({exElement(true, 1)}, 1, 0, 0);
  for (size_t n = 0; n < ex.size(); ++n) {
    EXPECT_THROW(decodeConnectionEnumEx(std::span(ex.data(), n)), MalformedReply) << n;
  }
  const Bytes info = hex("10000000 00000200 10000000 00000000 00000000 00000000 00000000 00000000");
  for (size_t n = 0; n < info.size(); ++n) {
    EXPECT_THROW(decodeServerGetInfo(std::span(info.data(), n), 0), MalformedReply) << n;
  }
}

TEST(RrasmCodec, UnknownStrideIsRefused) {
  Blob e(300);
  EXPECT_THROW(decodeConnectionEnum(enumReply(e.b, 1, 1, 0, 0), 1), MalformedReply);
  // Two level-0 entries claimed as three.
  Bytes two = level0Entry(1, u"a");
  const Bytes b = level0Entry(2, u"b");
  two.insert(two.end(), b.begin(), b.end());
  EXPECT_THROW(decodeConnectionEnum(enumReply(two, 3, 3, 0, 0), 0), MalformedReply);
}

TEST(RrasmCodec, ConformanceMismatchIsRefused) {
  Bytes reply = enumReply(level0Entry(1, u"a"), 1, 1, 0, 0);
  reply[8] = 0x5d;  // max_count 1117, dwBufferSize 1116
  EXPECT_THROW(decodeConnectionEnum(reply, 0), MalformedReply);
}

TEST(RrasmCodec, MoreDataWithoutResumeIsRefused) {
  EXPECT_THROW(decodeConnectionEnum(enumReply(level0Entry(1, u"a"), 1, 2, 0, 234), 0), MalformedReply);
}

TEST(RrasmCodec, AlignmentPaddingIsAcceptedButNotMoreTrailingBytes) {
  Bytes reply = enumReply({}, 0, 0, 0, 0);
  reply.resize(reply.size() + 4, 0);
  EXPECT_EQ(decodeConnectionEnum(reply, 0).status, 0u);
  reply.resize(reply.size() + 4, 0);
  EXPECT_THROW(decodeConnectionEnum(reply, 0), MalformedReply);
}

TEST(RrasmCodec, HugeCountsAreRefusedBeforeAllocating) {
  Stub s;
  s.u32(0xFFFFFFFF);
  s.u32(0xFFFFFFFF);
  s.u32(0x00020000);
  s.u32(0xFFFFFFFF);
  EXPECT_THROW(decodeConnectionEnumEx(s.b), MalformedReply);
  // Opnum 1: a buffer size larger than the stub.
  EXPECT_THROW(decodeConnectionEnum(hex("ffffff7f 00000200 ffffff7f 00"), 0), MalformedReply);
}

TEST(RrasmCodec, BadUnionTagsAreRefused) {
  Bytes element = exElement(false, 1);
  element[0] = 2;  // RAS_CONNECTION_EX_IDL revision
  EXPECT_THROW(decodeConnectionEnumEx(exReply({element}, 1, 0, 0)), MalformedReply);
  element = exElement(false, 1);
  element[8 + 1456] = 3;  // projectionInfoType
  EXPECT_THROW(decodeConnectionEnumEx(exReply({element}, 1, 0, 0)), MalformedReply);
}

TEST(RrasmCodec, StringsWithoutTerminatorOrWithLoneSurrogatesStayBounded) {
  Blob e(1116);
  for (size_t i = 0; i < 17; ++i) e.u16(1080 + 2 * i, 'A');  // remote computer fills its array
  e.u16(534, 0xD800);                                        // lone high surrogate in the user name
  e.u16(536, 'x');
  const auto r = decodeConnectionEnum(enumReply(e.b, 1, 1, 0, 0), 0);
  EXPECT_EQ(r.page.entries.at(0).remote_computer, std::string(17, 'A'));
  EXPECT_EQ(r.page.entries.at(0).user, "\xef\xbf\xbdx");
}

}  // namespace
}  // namespace rras::rrasm
