#include <cstdio>
#include <string>

#include "model/port.h"
#include "model/router_interface.h"
#include "model/utf8.h"

namespace rras {

std::string_view interfaceStateLabel(InterfaceState s) {
  switch (s) {
    case InterfaceState::kUnreachable:
      return "unreachable";
    case InterfaceState::kDisconnected:
      return "disconnected";
    case InterfaceState::kConnecting:
      return "connecting";
    case InterfaceState::kConnected:
      return "connected";
    default:
      return "unknown";
  }
}

InterfaceState interfaceStateFromWire(uint32_t v) {
  return v <= 3 ? static_cast<InterfaceState>(v) : InterfaceState::kUnknown;
}

std::vector<std::string> unreachabilityReasonLabels(uint32_t bits) {
  static constexpr std::pair<uint32_t, const char*> kReasons[] = {{0x01, "out_of_resources"},
                                                                  {0x02, "admin_disabled"},
                                                                  {0x04, "connection_failure"},
                                                                  {0x08, "service_paused"},
                                                                  {0x10, "dialout_hours_restriction"},
                                                                  {0x20, "no_media_sense"},
                                                                  {0x40, "no_device"}};
  std::vector<std::string> out;
  for (uint32_t bit = 1; bit != 0; bit <<= 1) {
    if ((bits & bit) == 0) continue;
    std::string name;
    for (const auto& [value, label] : kReasons) {
      if (value == bit) name = label;
    }
    if (name.empty()) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%08X", bit);
      name = buf;
    }
    out.push_back(std::move(name));
  }
  return out;
}

std::string_view portConditionLabel(PortCondition c) {
  switch (c) {
    case PortCondition::kNonOperational:
      return "non_operational";
    case PortCondition::kDisconnected:
      return "disconnected";
    case PortCondition::kCallingBack:
      return "calling_back";
    case PortCondition::kListening:
      return "listening";
    case PortCondition::kAuthenticating:
      return "authenticating";
    case PortCondition::kAuthenticated:
      return "authenticated";
    case PortCondition::kInitializing:
      return "initializing";
    default:
      return "unknown";
  }
}

PortCondition portConditionFromWire(uint32_t v) {
  return v <= 6 ? static_cast<PortCondition>(v) : PortCondition::kUnknown;
}

namespace {
bool containsWord(const std::string& text, std::string_view word) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower.find(word) != std::string::npos;
}
}  // namespace

std::string_view portProtocol(const Port& p) {
  // "WAN Miniport (SSTP)", "WAN Miniport (IKEv2)", ...; the media name ("rastapi", "PPPoE") as a fallback.
  static constexpr std::string_view kProtocols[] = {"sstp", "ikev2", "l2tp", "pptp", "gre", "pppoe"};
  for (const std::string* field : {&p.device_name, &p.device_type, &p.media}) {
    for (auto proto : kProtocols) {
      if (containsWord(*field, proto)) return proto;
    }
  }
  return "other";
}

}  // namespace rras
