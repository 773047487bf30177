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

// Router-wide counters; they only ever grow. The traffic ones are sums of per-connection deltas,
// so they survive connections ending and do not depend on which per-connection families are served.
struct RouterTotals {
  uint64_t connections_started = 0, connections_ended = 0;
  uint64_t sent_bytes = 0, received_bytes = 0;
  uint64_t sent_frames = 0, received_frames = 0;
  uint64_t crc_errors = 0, timeout_errors = 0, alignment_errors = 0;
  uint64_t hardware_overrun_errors = 0, framing_errors = 0, buffer_overrun_errors = 0;
};

class ConnectionTracker {
 public:
  // Takes the connections of one successful poll (unique handles). `wall_now` and `steady_now`
  // are read together at the end of the poll (seconds); `poll_duration` widens the tolerance of
  // start-time matching, since durations were read somewhere within the poll.
  std::vector<TrackedConnection> update(std::vector<Connection> connections, double wall_now, double steady_now,
                                        double poll_duration = 0);
  const RouterTotals& totals() const { return totals_; }

  // A start time that moves by more than this (plus the poll's duration) between polls means the
  // handle was reused by a new connection.
  static constexpr double kStartTolerance = 60.0;
  // Paging by resume position skips an entry when an earlier one leaves meanwhile: a connection
  // counts as ended only after it is missing from this many successful polls in a row.
  static constexpr uint32_t kMissedPollsBeforeEnded = 2;

 private:
  struct Previous {
    double start_time;
    WireCounters wire;
    WideCounters wide;
    uint32_t missed = 0;  // successful polls in a row without this connection
    uint32_t seen = 0;    // the last poll (poll_) that saw it
  };
  std::unordered_map<uint64_t, Previous> previous_;
  RouterTotals totals_;
  uint32_t poll_ = 0;  // successful polls so far; only equality with Previous::seen counts, so wrapping is harmless
  bool first_poll_ = true;
  double last_wall_ = 0, last_steady_ = 0;
};

}  // namespace rras
