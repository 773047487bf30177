// Golden-byte tests of the DIMSVC codec (src/sources/rrasm/dimsvc_codec.h): requests byte for
// byte as MS-RRASM lays them out, replies built here at the offsets of research/rrasm.md §2.3
// and rrasm-real.md §5.2 (independently of the decoder), and hostile replies that must be
// refused with MalformedReply, never read out of bounds. Links the codec only: no Samba.
#include "sources/rrasm/dimsvc_codec.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "dimsvc_replies.h"

namespace rras::rrasm {
namespace {

using namespace replies;  // NOLINT(google-build-using-namespace): the reply builders

// ---- requests ----

TEST(RrasmCodec, ServerGetInfoRequestIsTheLevelOnly) {
  EXPECT_EQ(encodeServerGetInfo(2), hex("02000000"));
}

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
  e.u32(520, 2);  // ROUTER_IF_TYPE_FULL_ROUTER
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
  e.u32(672, 0);  // IPv6CP dwError
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

// ---- opnum 45 ----

TEST(RrasmCodec, ConnectionEnumExPppAndIkev2Elements) {
  const Bytes reply = exReply({exElement(false, 0x1001), exElement(true, 0x1002)}, 2, 0, 0);
  // Header 16 bytes, PPP element 1672 (8-aligned), IKEv2 element 1624, resume pointer, status.
  EXPECT_EQ(reply.size(), 16u + 1672 + 1624 + 12);
  const auto r = decodeConnectionEnumEx(reply);
  ASSERT_EQ(r.page.entries.size(), 2u);
  const Connection& ppp = r.page.entries[0];
  EXPECT_EQ(ppp.handle, 0x1001u);
  EXPECT_EQ(ppp.interface_handle, 0x55u);
  EXPECT_EQ(ppp.levels, kHasEx);
  EXPECT_EQ(ppp.protocol, "ppp");
  EXPECT_EQ(ppp.duration_seconds, 120u);
  EXPECT_EQ(ppp.user, "dave");
  EXPECT_EQ(ppp.domain, "EXAMPLE");
  EXPECT_EQ(ppp.remote_computer, "PC-9");
  EXPECT_EQ(ppp.quarantine_state, QuarantineState::kQuarantine);
  EXPECT_EQ(ppp.counters.bytes_sent, 500u);
  EXPECT_EQ(ppp.counters.compression_ratio_out, 511u);
  EXPECT_EQ(ppp.tunnel_endpoint, "203.0.113.9");
  EXPECT_EQ(ppp.client_ipv4, "10.9.8.7");
  EXPECT_EQ(ppp.auth_protocol, "pap");
  const Connection& ike = r.page.entries[1];
  EXPECT_EQ(ike.handle, 0x1002u);
  EXPECT_EQ(ike.protocol, "ikev2");
  EXPECT_EQ(ike.client_ipv6, "2001:db8::7");
  EXPECT_EQ(ike.auth_protocol, "ikev2_eap");
}

TEST(RrasmCodec, ConnectionEnumExEmptyAndErrors) {
  const auto empty = decodeConnectionEnumEx(exReply({}, 0, 0, 0));
  EXPECT_EQ(empty.status, 0u);
  EXPECT_TRUE(empty.page.entries.empty());
  EXPECT_EQ(decodeConnectionEnumEx(exReply({}, 0, 0, 127)).status, 127u);
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
  e.u16(534, 0xD800);  // lone high surrogate in the user name
  e.u16(536, 'x');
  const auto r = decodeConnectionEnum(enumReply(e.b, 1, 1, 0, 0), 0);
  EXPECT_EQ(r.page.entries.at(0).remote_computer, std::string(17, 'A'));
  EXPECT_EQ(r.page.entries.at(0).user, "\xef\xbf\xbdx");
}

}  // namespace
}  // namespace rras::rrasm
