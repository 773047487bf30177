#include "kinds/interfaces/interfaces_kind.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace rras {

namespace {

using prometheus::MetricType;

constexpr InterfaceState kStates[] = {InterfaceState::kUnreachable, InterfaceState::kDisconnected,
                                      InterfaceState::kConnecting, InterfaceState::kConnected};

std::optional<PollError> collect(const CollectContext& c, RouterSnapshot& snapshot) {
  std::vector<RouterInterface> interfaces;
  auto error = c.readAll(
      "MprAdminInterfaceEnum", wire::kInterface0Size, wire::kX64Interface0Size,
      [&](uint32_t pref, uint32_t& resume, InterfacePage& page) {
        return c.api.enumInterfaces(c.handle, pref, resume, page);
      },
      interfaces);
  if (error) return error;
  std::sort(interfaces.begin(), interfaces.end(),
            [](const RouterInterface& a, const RouterInterface& b) { return a.name < b.name; });
  snapshot.interfaces = std::move(interfaces);
  return std::nullopt;
}

void adopt(RouterSnapshot& part, RouterSnapshot& into) { into.interfaces = std::move(part.interfaces); }

void families(FamilyBuilder& f, std::span<const RouterSnapshot* const> routers) {
  auto& info = f.add("rras_interface_info", MetricType::Gauge,
                     "A router interface (always 1), by type: full_router are site-to-site (demand-dial) "
                     "tunnels (MprAdminInterfaceEnum, MPR_INTERFACE_0).");
  auto& enabled = f.add("rras_interface_enabled", MetricType::Gauge, "1 if the interface is enabled (fEnabled).");
  auto& state = f.add("rras_interface_state", MetricType::Gauge,
                      "The interface's connection state as a state set: 1 for the current state of unreachable, "
                      "disconnected, connecting, connected.");
  auto& reason = f.add("rras_interface_unreachable_reason", MetricType::Gauge,
                       "Why RRAS marked the interface unreachable (always 1), one series per reason bit "
                       "(fUnReachabilityReasons: MPR_INTERFACE_* in lower case without the prefix).");
  auto& last_error = f.add("rras_interface_last_error_info", MetricType::Gauge,
                           "The interface's last connection error (always 1, while dwLastError is not 0), by "
                           "Win32/RAS error name.");
  auto& counts = f.add("rras_interfaces", MetricType::Gauge, "Interfaces by type and connection state.");
  for (const RouterSnapshot* s : routers) {
    if (!s->interfaces) continue;
    std::map<std::pair<std::string, std::string>, uint64_t> by_type_state;
    for (const RouterInterface& i : *s->interfaces) {
      const std::string type(interfaceTypeLabel(i.type));
      const Labels id{{"interface", i.name}, {"router", s->router}};
      sample(info, {{"interface", i.name}, {"router", s->router}, {"type", type}}, 1);
      sample(enabled, id, i.enabled ? 1 : 0);
      for (InterfaceState st : kStates) {
        sample(state, {{"interface", i.name}, {"router", s->router}, {"state", std::string(interfaceStateLabel(st))}},
               i.state == st ? 1 : 0);
      }
      for (const auto& r : unreachabilityReasonLabels(i.unreachability_reasons)) {
        sample(reason, {{"interface", i.name}, {"reason", r}, {"router", s->router}}, 1);
      }
      if (i.last_error != 0) {
        sample(last_error, {{"error", apiCodeName(i.last_error)}, {"interface", i.name}, {"router", s->router}}, 1);
      }
      ++by_type_state[{type, std::string(interfaceStateLabel(i.state))}];
    }
    for (const auto& [key, n] : by_type_state) {
      sample(counts, {{"router", s->router}, {"state", key.second}, {"type", key.first}}, static_cast<double>(n));
    }
  }
}

}  // namespace

KindDescriptor interfacesKind() { return {"interfaces", collect, adopt, families}; }

}  // namespace rras
