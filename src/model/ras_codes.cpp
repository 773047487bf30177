#include "model/ras_codes.h"

#include <cstdio>

namespace rras {

std::string pppAuthLabel(uint32_t protocol, uint32_t data) {
  switch (protocol) {
    case 0xC023:
      return "pap";
    case 0xC027:
      return "spap";
    case 0xC227:
      return "eap";
    case 0xC223:
      switch (data) {
        case 0x05:
          return "chap";
        case 0x80:
          return "mschap";
        case 0x81:
          return "mschapv2";
        default:
          return "chap";
      }
    default:
      return "";
  }
}

std::string ikev2AuthLabel(uint32_t protocol) {
  switch (protocol) {
    case 1:
      return "ikev2_cert";
    case 2:
      return "ikev2_eap";
    default:
      return "";
  }
}

std::string ipv6FromPrefixAndInterfaceId(const uint8_t prefix[8], uint32_t prefix_length,
                                         const uint8_t interface_id[8]) {
  bool any_id = false;
  for (int i = 0; i < 8; ++i) any_id = any_id || interface_id[i] != 0;
  if (prefix_length == 0 || !any_id) return "";
  uint16_t groups[8];
  for (size_t i = 0; i < 4; ++i) groups[i] = static_cast<uint16_t>(prefix[2 * i] << 8 | prefix[2 * i + 1]);
  for (size_t i = 0; i < 4; ++i)
    groups[4 + i] = static_cast<uint16_t>(interface_id[2 * i] << 8 | interface_id[2 * i + 1]);
  // RFC 5952: the longest run (first if tied) of two or more zero groups becomes "::".
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string out;
  char hex[8];
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(hex, sizeof hex, "%x", groups[i]);
    out += hex;
  }
  return out;
}

}  // namespace rras
