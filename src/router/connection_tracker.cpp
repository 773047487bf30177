#include "router/connection_tracker.h"

#include <cmath>

namespace rras {

namespace {

// Wire counters are 32-bit; a value below the previous one wrapped once (polls are far more
// frequent than 4 GiB per connection per interval).
uint64_t widen(uint64_t previous_wide, uint32_t previous_wire, uint32_t wire) {
  return previous_wide + static_cast<uint32_t>(wire - previous_wire);
}

WideCounters fresh(const WireCounters& w) {
  return WideCounters{w.bytes_sent,      w.bytes_received,          w.frames_sent,
                      w.frames_received, w.crc_errors,              w.timeout_errors,
                      w.alignment_errors, w.hardware_overrun_errors, w.framing_errors,
                      w.buffer_overrun_errors};
}

WideCounters advance(const WideCounters& p, const WireCounters& pw, const WireCounters& w) {
  return WideCounters{
      widen(p.bytes_sent, pw.bytes_sent, w.bytes_sent),
      widen(p.bytes_received, pw.bytes_received, w.bytes_received),
      widen(p.frames_sent, pw.frames_sent, w.frames_sent),
      widen(p.frames_received, pw.frames_received, w.frames_received),
      widen(p.crc_errors, pw.crc_errors, w.crc_errors),
      widen(p.timeout_errors, pw.timeout_errors, w.timeout_errors),
      widen(p.alignment_errors, pw.alignment_errors, w.alignment_errors),
      widen(p.hardware_overrun_errors, pw.hardware_overrun_errors, w.hardware_overrun_errors),
      widen(p.framing_errors, pw.framing_errors, w.framing_errors),
      widen(p.buffer_overrun_errors, pw.buffer_overrun_errors, w.buffer_overrun_errors)};
}

}  // namespace

std::vector<TrackedConnection> ConnectionTracker::update(std::vector<Connection> connections,
                                                         double now) {
  std::unordered_map<uint64_t, Previous> next;
  next.reserve(connections.size());
  std::vector<TrackedConnection> tracked;
  tracked.reserve(connections.size());
  uint64_t continuing = 0;
  for (auto& c : connections) {
    TrackedConnection t;
    // Whole seconds: the router reports whole seconds, so a fractional clock must not leak in.
    const double observed_start = std::floor(now) - c.duration_seconds;
    auto it = previous_.find(c.handle);
    const bool same = it != previous_.end() &&
                      std::abs(observed_start - it->second.start_time) <= kStartTolerance;
    if (same) {
      ++continuing;
      t.start_time = it->second.start_time;
      t.counters = advance(it->second.wide, it->second.wire, c.counters);
      totals_.sent_bytes += t.counters.bytes_sent - it->second.wide.bytes_sent;
      totals_.received_bytes += t.counters.bytes_received - it->second.wide.bytes_received;
    } else {
      t.start_time = observed_start;
      t.counters = fresh(c.counters);
      if (!first_poll_) {
        ++totals_.connections_started;
        totals_.sent_bytes += t.counters.bytes_sent;
        totals_.received_bytes += t.counters.bytes_received;
      }
    }
    next.emplace(c.handle, Previous{t.start_time, c.counters, t.counters});
    t.connection = std::move(c);
    tracked.push_back(std::move(t));
  }
  if (!first_poll_) totals_.connections_ended += previous_.size() - continuing;
  previous_ = std::move(next);
  first_poll_ = false;
  return tracked;
}

}  // namespace rras
