#include "kinds/ports/ports_kind.h"

#include <string>
#include <utility>

namespace rras {

namespace {

using prometheus::MetricType;

constexpr PortCondition kConditions[] = {PortCondition::kNonOperational, PortCondition::kDisconnected,
                                         PortCondition::kCallingBack,    PortCondition::kListening,
                                         PortCondition::kAuthenticating, PortCondition::kAuthenticated,
                                         PortCondition::kInitializing};

std::optional<PollError> collect(const CollectContext& c, RouterSnapshot& snapshot) {
  // Counted page by page: a router has a port or two per connection, and only the counts are kept.
  PortCounts counts;
  auto error = c.readEach<Port>(
      "MprAdminPortEnum", wire::kPort0Size, wire::kX64Port0Size,
      [&](uint32_t pref, uint32_t& resume, PortPage& page) { return c.api.enumPorts(c.handle, pref, resume, page); },
      [&](Port&& port) { countPort(counts, port); });
  if (error) return error;
  snapshot.ports = std::move(counts);
  return std::nullopt;
}

void adopt(RouterSnapshot& part, RouterSnapshot& into) { into.ports = std::move(part.ports); }

void families(FamilyBuilder& f, std::span<const RouterSnapshot* const> routers) {
  auto& by_condition = f.add("rras_ports_by_condition", MetricType::Gauge,
                             "RAS ports by tunnel protocol (from the device or media name) and condition "
                             "(MprAdminPortEnum, RAS_PORT_0); every condition of every protocol present, 0 included.");
  auto& calls = f.add("rras_port_calls_total", MetricType::Counter,
                      "Calls the ports of a protocol have taken (sum of dwTotalNumberOfCalls; resets when RRAS "
                      "restarts).");
  auto& configured = f.add("rras_configured_ports", MetricType::Gauge,
                           "Ports configured per protocol (MPR_SERVER_1: pptp, l2tp; MPR_SERVER_2: sstp).");
  for (const RouterSnapshot* s : routers) {
    if (!s->ports) continue;
    for (const auto& [protocol, counts] : s->ports->by_condition) {
      for (PortCondition c : kConditions) {
        const auto it = counts.find(c);
        sample(by_condition,
               {{"condition", std::string(portConditionLabel(c))}, {"protocol", protocol}, {"router", s->router}},
               it == counts.end() ? 0.0 : static_cast<double>(it->second));
      }
    }
    for (const auto& [protocol, n] : s->ports->calls) {
      sample(calls, {{"protocol", protocol}, {"router", s->router}}, static_cast<double>(n));
    }
    const std::pair<const char*, const std::optional<uint32_t>*> configured_ports[] = {
        {"pptp", &s->server_info.pptp_ports},
        {"l2tp", &s->server_info.l2tp_ports},
        {"sstp", &s->server_info.sstp_ports}};
    for (const auto& [protocol, n] : configured_ports) {
      if (*n) sample(configured, {{"protocol", protocol}, {"router", s->router}}, **n);
    }
  }
}

}  // namespace

void countPort(PortCounts& counts, const Port& p) {
  const std::string protocol(portProtocol(p));
  ++counts.by_condition[protocol][p.condition];
  counts.calls[protocol] += p.total_calls;
}

PortCounts countPorts(const std::vector<Port>& ports) {
  PortCounts out;
  for (const Port& p : ports) countPort(out, p);
  return out;
}

KindDescriptor portsKind() { return {"ports", collect, adopt, families}; }

}  // namespace rras
