#include "model/ras_codes.h"

#include <gtest/gtest.h>

namespace rras {
namespace {

TEST(RasCodesTest, PppAuthentication) {
  EXPECT_EQ(pppAuthLabel(0xC023, 0), "pap");
  EXPECT_EQ(pppAuthLabel(0xC223, 0x81), "mschapv2");
  EXPECT_EQ(pppAuthLabel(0xC223, 0x80), "mschap");
  EXPECT_EQ(pppAuthLabel(0xC223, 0x05), "chap");
  EXPECT_EQ(pppAuthLabel(0xC227, 0), "eap");
  EXPECT_EQ(pppAuthLabel(0, 0), "");
  EXPECT_EQ(ikev2AuthLabel(1), "ikev2_cert");
  EXPECT_EQ(ikev2AuthLabel(2), "ikev2_eap");
  EXPECT_EQ(ikev2AuthLabel(7), "");
}

TEST(RasCodesTest, Ipv6FromPrefixAndInterfaceIdIsRfc5952) {
  const uint8_t prefix[8] = {0xfd, 0x00, 0, 0, 0, 0, 0, 0};
  const uint8_t id[8] = {0, 0, 0, 0, 0, 0, 0x12, 0x34};
  EXPECT_EQ(ipv6FromPrefixAndInterfaceId(prefix, 64, id), "fd00::1234");
  const uint8_t doc[8] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0};
  const uint8_t id2[8] = {0, 0, 0, 0, 0, 1, 0, 0};
  EXPECT_EQ(ipv6FromPrefixAndInterfaceId(doc, 64, id2), "2001:db8:1::1:0");  // first longest run
  const uint8_t zero[8] = {};
  EXPECT_EQ(ipv6FromPrefixAndInterfaceId(prefix, 64, zero), "");
  EXPECT_EQ(ipv6FromPrefixAndInterfaceId(prefix, 0, id), "");
}

}  // namespace
}  // namespace rras
