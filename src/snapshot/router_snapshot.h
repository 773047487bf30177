// What one poll of one router produced: immutable once published, swapped atomically
// (DESIGN §4). Connections travel in it from the poller to the renderer only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/port.h"
#include "model/router_interface.h"
#include "router/connection_tracker.h"
#include "router/poll_error.h"
#include "router/router_api.h"

namespace rras {

struct Aggregates {
  std::map<std::pair<std::string, std::string>, uint64_t> connections;  // (interface_type, protocol)
  uint64_t connections_total = 0;
  uint64_t users = 0;
  uint64_t users_with_multiple_connections = 0;
  bool has_quarantine = false;                 // the level in use reports quarantine state
  std::map<std::string, uint64_t> quarantine;  // state -> connections (quarantine, probation)
  bool has_counters = false;                   // some connection reported counters (level 1+ / ex)
  // MPPC compression ratio (0..1) over the connections, weighted by their bytes in that direction
  // (in: received, out: sent); 0 when no byte was counted.
  double compression_in = 0, compression_out = 0;
};

Aggregates computeAggregates(const std::vector<TrackedConnection>& connections);

// One collector's outcome in a poll: connections, server, interfaces or ports (kinds/kind_table.h).
struct CollectorStatus {
  std::string name;
  bool success = false;
  double duration_seconds = 0;
  std::optional<PollError> error;  // why it failed; the other collectors are not affected
};

// Ports counted per tunnel protocol (sstp, ikev2, l2tp, pptp, gre, pppoe, other).
struct PortCounts {
  std::map<std::string, std::map<PortCondition, uint64_t>> by_condition;  // protocol -> condition -> ports
  std::map<std::string, uint64_t> calls;                                  // protocol -> sum of dwTotalNumberOfCalls
};

struct RouterSnapshot {
  // Identity (from the configuration).
  std::string router, source, server;

  // The poll.
  bool up = false;
  std::optional<PollError> error;  // why the last poll failed
  std::string level;               // ex, 3, 2, 1, 0 (last successful poll)
  double poll_end_time = 0;        // wall clock
  double poll_duration_seconds = 0;
  double last_success_time = 0;  // 0 = never
  uint32_t pages = 0, duplicates_dropped = 0, dropped_between_levels = 0;

  // What the router reported (valid when up).
  ServerInfo server_info;
  Aggregates aggregates;
  std::vector<TrackedConnection> connections;
  // The other kinds, present when their collector succeeded in this poll.
  std::optional<std::vector<RouterInterface>> interfaces;
  std::optional<PortCounts> ports;
  std::vector<CollectorStatus> collectors;  // every collector configured for the router, when up

  // Carried across polls.
  RouterTotals totals;
  std::map<std::string, uint64_t> poll_errors;  // error name -> failed polls
};

}  // namespace rras
