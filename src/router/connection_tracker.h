// Carries per-connection state across polls (DESIGN §3): 32-bit wire counters widened to 64 bits
// by wrap detection, a start time that does not jitter, and the router's started/ended/traffic
// counters summed from per-connection deltas.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "model/connection.h"

namespace rras {

struct WideCounters {
  uint64_t bytes_sent = 0, bytes_received = 0, frames_sent = 0, frames_received = 0;
  uint64_t crc_errors = 0, timeout_errors = 0, alignment_errors = 0;
  uint64_t hardware_overrun_errors = 0, framing_errors = 0, buffer_overrun_errors = 0;
};

struct TrackedConnection {
  Connection connection;
  double start_time = 0;  // seconds since the epoch: first seen minus duration, then kept
  WideCounters counters;
};

// Router-wide counters; they only ever grow.
struct RouterTotals {
  uint64_t connections_started = 0, connections_ended = 0;
  uint64_t sent_bytes = 0, received_bytes = 0;
};

class ConnectionTracker {
 public:
  // Takes the connections of one successful poll (unique handles) at wall-clock `now`.
  std::vector<TrackedConnection> update(std::vector<Connection> connections, double now);
  const RouterTotals& totals() const { return totals_; }

  // A start time that moves by more than this between polls means the handle was reused by a
  // new connection.
  static constexpr double kStartTolerance = 60.0;

 private:
  struct Previous {
    double start_time;
    WireCounters wire;
    WideCounters wide;
  };
  std::unordered_map<uint64_t, Previous> previous_;
  RouterTotals totals_;
  bool first_poll_ = true;
};

}  // namespace rras
