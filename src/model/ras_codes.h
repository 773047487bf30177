// RAS wire codes to the labels the metrics use, shared by every source that decodes real
// structures (mprapi, rrasm): PPP LCP authentication, IKEv2 authentication, IPv6 from PPP IPV6CP.
#pragma once

#include <cstdint>
#include <string>

namespace rras {

// dwAuthenticationProtocol / dwAuthenticationData of PPP_LCP_INFO (PPP_LCP_PAP 0xC023,
// PPP_LCP_SPAP 0xC027, PPP_LCP_CHAP 0xC223 with MD5 0x05, MS 0x80, MSv2 0x81, PPP_LCP_EAP 0xC227):
// pap, spap, chap, mschap, mschapv2, eap; "" when none or unknown.
std::string pppAuthLabel(uint32_t protocol, uint32_t data);

// IKEV2_PROJECTION_INFO.dwAuthenticationProtocol (MPRAPI_IKEV2_AUTH_USING_CERT 1, _EAP 2):
// ikev2_cert, ikev2_eap; "" otherwise.
std::string ikev2AuthLabel(uint32_t protocol);

// The client's IPv6 address from the negotiated prefix and its interface identifier, in RFC 5952
// text; "" when no prefix was negotiated (prefix length 0 or all-zero identifier).
std::string ipv6FromPrefixAndInterfaceId(const uint8_t prefix[8], uint32_t prefix_length,
                                         const uint8_t interface_id[8]);

// MPRAPI PROJECTION_INFO.projectionInfoType.
inline constexpr uint8_t kProjectionInfoPpp = 1;
inline constexpr uint8_t kProjectionInfoIkev2 = 2;

}  // namespace rras
