#include "model/connection.h"

#include <array>

namespace rras {

namespace {
constexpr std::array<std::string_view, 9> kInterfaceTypeLabels = {
    "client", "home_router", "full_router", "dedicated", "internal", "loopback", "tunnel", "dialout", "unknown"};
constexpr std::array<std::string_view, 5> kQuarantineLabels = {"normal", "quarantine", "probation", "not_capable",
                                                               "unknown"};
}  // namespace

std::string_view interfaceTypeLabel(InterfaceType t) { return kInterfaceTypeLabels[static_cast<size_t>(t)]; }

std::string accountKey(std::string_view domain, std::string_view user) {
  std::string key;
  key.reserve(domain.size() + 1 + user.size());
  key += domain;
  key += '\\';
  key += user;
  for (char& c : key) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
  return key;
}

InterfaceType interfaceTypeFromWire(uint32_t v) {
  return v < static_cast<uint32_t>(InterfaceType::kUnknown) ? static_cast<InterfaceType>(v) : InterfaceType::kUnknown;
}

std::string_view quarantineStateLabel(QuarantineState s) { return kQuarantineLabels[static_cast<size_t>(s)]; }

QuarantineState quarantineStateFromWire(uint32_t v) {
  return v < static_cast<uint32_t>(QuarantineState::kUnknown) ? static_cast<QuarantineState>(v)
                                                              : QuarantineState::kUnknown;
}

}  // namespace rras
