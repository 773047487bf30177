#include <unordered_map>

#include "model/foreground.h"
#include "snapshot/router_snapshot.h"

namespace rras {

Aggregates computeAggregates(const std::vector<TrackedConnection>& connections) {
  Aggregates agg;
  agg.connections_total = connections.size();
  std::unordered_map<std::string, uint32_t> per_user;
  double weighted_in = 0, weighted_out = 0, bytes_in = 0, bytes_out = 0;
  size_t step = 0;
  for (const auto& t : connections) {
    if (++step % 1024 == 0) foreground::yield();  // a scrape in flight goes first
    const Connection& c = t.connection;
    if (c.hasCounters()) {
      agg.has_counters = true;
      const auto in = static_cast<double>(t.counters.bytes_received);
      const auto out = static_cast<double>(t.counters.bytes_sent);
      weighted_in += in * c.counters.compression_ratio_in / 100.0;
      weighted_out += out * c.counters.compression_ratio_out / 100.0;
      bytes_in += in;
      bytes_out += out;
    }
    ++agg.connections[{std::string(interfaceTypeLabel(c.interface_type)), c.protocol}];
    if (!c.user.empty()) ++per_user[accountKey(c.domain, c.user)];
    if (c.quarantine_state != QuarantineState::kUnknown) {
      agg.has_quarantine = true;
      if (c.quarantine_state == QuarantineState::kQuarantine || c.quarantine_state == QuarantineState::kProbation) {
        ++agg.quarantine[std::string(quarantineStateLabel(c.quarantine_state))];
      }
    }
  }
  if (bytes_in > 0) agg.compression_in = weighted_in / bytes_in;
  if (bytes_out > 0) agg.compression_out = weighted_out / bytes_out;
  agg.users = per_user.size();
  for (const auto& [user, count] : per_user) agg.users_with_multiple_connections += count > 1;
  return agg;
}

}  // namespace rras
