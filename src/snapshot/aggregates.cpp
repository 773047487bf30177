#include <unordered_map>

#include "snapshot/router_snapshot.h"

namespace rras {

Aggregates computeAggregates(const std::vector<TrackedConnection>& connections) {
  Aggregates agg;
  agg.connections_total = connections.size();
  std::unordered_map<std::string, uint32_t> per_user;
  for (const auto& t : connections) {
    const Connection& c = t.connection;
    ++agg.connections[{std::string(interfaceTypeLabel(c.interface_type)), c.protocol}];
    if (!c.user.empty()) ++per_user[accountKey(c.domain, c.user)];
    if (c.quarantine_state != QuarantineState::kUnknown) {
      agg.has_quarantine = true;
      if (c.quarantine_state == QuarantineState::kQuarantine || c.quarantine_state == QuarantineState::kProbation) {
        ++agg.quarantine[std::string(quarantineStateLabel(c.quarantine_state))];
      }
    }
  }
  agg.users = per_user.size();
  for (const auto& [user, count] : per_user) agg.users_with_multiple_connections += count > 1;
  return agg;
}

}  // namespace rras
