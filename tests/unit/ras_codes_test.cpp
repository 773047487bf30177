#include "model/ras_codes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/port.h"
#include "model/router_interface.h"
#include "router/api_status.h"

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

namespace rras {
namespace {

// The names come from mingw-w64's winerror.h / raserror.h values, written out here.
TEST(RasCodesTest, ErrorNamesOfTheCodesRoutersReport) {
  EXPECT_EQ(apiCodeName(120), "ERROR_CALL_NOT_IMPLEMENTED");
  EXPECT_EQ(apiCodeName(678), "ERROR_NO_ANSWER");
  EXPECT_EQ(apiCodeName(651), "ERROR_FROM_DEVICE");
  EXPECT_EQ(apiCodeName(809), "ERROR_VPN_TIMEOUT");
  EXPECT_EQ(apiCodeName(691), "ERROR_AUTHENTICATION_FAILURE");
  EXPECT_EQ(apiCodeName(0x1234), "0x00001234");
}

TEST(RasCodesTest, UnreachabilityReasonsAreTheSpecsConstants) {
  EXPECT_EQ(unreachabilityReasonLabels(0), std::vector<std::string>{});
  EXPECT_EQ(unreachabilityReasonLabels(0x7F),
            (std::vector<std::string>{"out_of_resources", "admin_disabled", "connection_failure", "service_paused",
                                      "dialout_hours_restriction", "no_media_sense", "no_device"}));
  EXPECT_EQ(unreachabilityReasonLabels(0x80000004), (std::vector<std::string>{"connection_failure", "0x80000000"}));
}

TEST(RasCodesTest, PortProtocolFromTheDeviceName) {
  const auto protocol = [](std::string device, std::string media = "rastapi") {
    Port p;
    p.device_name = std::move(device);
    p.media = std::move(media);
    return std::string(portProtocol(p));
  };
  EXPECT_EQ(protocol("WAN Miniport (SSTP)"), "sstp");
  EXPECT_EQ(protocol("WAN Miniport (IKEv2)"), "ikev2");
  EXPECT_EQ(protocol("WAN Miniport (L2TP)"), "l2tp");
  EXPECT_EQ(protocol("WAN Miniport (PPTP)"), "pptp");
  EXPECT_EQ(protocol("WAN Miniport (GRE)"), "gre");
  EXPECT_EQ(protocol("WAN Miniport (PPPOE)"), "pppoe");
  EXPECT_EQ(protocol("", "PPPoE"), "pppoe");
  EXPECT_EQ(protocol("Standard 33600 bps Modem", "Unimodem"), "other");
  EXPECT_EQ(interfaceStateLabel(interfaceStateFromWire(0)), "unreachable");
  EXPECT_EQ(interfaceStateLabel(interfaceStateFromWire(9)), "unknown");
  EXPECT_EQ(portConditionLabel(portConditionFromWire(4)), "authenticating");
  EXPECT_EQ(portConditionLabel(portConditionFromWire(7)), "unknown");
}

}  // namespace
}  // namespace rras
