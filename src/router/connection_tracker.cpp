#include "router/connection_tracker.h"

#include <cmath>

#include "model/foreground.h"

namespace rras {

namespace {

// Wire counters are 32-bit. A value below the previous one either wrapped once (a forward step
// of less than 2^31: polls are far more frequent than 2 GiB per connection per interval) or was
// reset (MprAdminConnectionClearStats): then only the new value is new traffic.
uint64_t widen(uint64_t previous_wide, uint32_t previous_wire, uint32_t wire) {
  const uint32_t forward = wire - previous_wire;
  return previous_wide + (forward < (1u << 31) ? forward : wire);
}

WideCounters fresh(const WireCounters& w) {
  return WideCounters{w.bytes_sent,     w.bytes_received,       w.frames_sent,      w.frames_received,
                      w.crc_errors,     w.timeout_errors,       w.alignment_errors, w.hardware_overrun_errors,
                      w.framing_errors, w.buffer_overrun_errors};
}

WideCounters advance(const WideCounters& p, const WireCounters& pw, const WireCounters& w) {
  return WideCounters{widen(p.bytes_sent, pw.bytes_sent, w.bytes_sent),
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

// Adds what `now` counts beyond `before` (both widened, so never less) to every router total.
void addDelta(RouterTotals& total, const WideCounters& now, const WideCounters& before) {
  total.sent_bytes += now.bytes_sent - before.bytes_sent;
  total.received_bytes += now.bytes_received - before.bytes_received;
  total.sent_frames += now.frames_sent - before.frames_sent;
  total.received_frames += now.frames_received - before.frames_received;
  total.crc_errors += now.crc_errors - before.crc_errors;
  total.timeout_errors += now.timeout_errors - before.timeout_errors;
  total.alignment_errors += now.alignment_errors - before.alignment_errors;
  total.hardware_overrun_errors += now.hardware_overrun_errors - before.hardware_overrun_errors;
  total.framing_errors += now.framing_errors - before.framing_errors;
  total.buffer_overrun_errors += now.buffer_overrun_errors - before.buffer_overrun_errors;
}

}  // namespace

std::vector<TrackedConnection> ConnectionTracker::update(std::vector<Connection> connections, double wall_now,
                                                         double steady_now, double poll_duration) {
  // A step of the wall clock (NTP, a resumed VM) moves every observed start time by the same
  // amount; move the remembered ones with it so connections keep their identity.
  if (!first_poll_) {
    const double step = (wall_now - last_wall_) - (steady_now - last_steady_);
    if (std::abs(step) > 1.0) {
      for (auto& [handle, p] : previous_) p.start_time += std::round(step);
    }
  }
  last_wall_ = wall_now;
  last_steady_ = steady_now;

  // The remembered connections are updated in place, not copied into a second map: at 25 000
  // connections a router's map is ~5 MB, and every poll held two of them for a moment.
  ++poll_;
  std::vector<TrackedConnection> tracked;
  tracked.reserve(connections.size());
  size_t done = 0;
  for (auto& c : connections) {
    if (++done % 1024 == 0) foreground::yield();  // a scrape in flight goes first
    TrackedConnection t;
    // Whole seconds: the router reports whole seconds, so a fractional clock must not leak in.
    const double observed_start = std::floor(wall_now) - c.duration_seconds;
    auto it = previous_.find(c.handle);
    const bool same =
        it != previous_.end() && std::abs(observed_start - it->second.start_time) <= kStartTolerance + poll_duration;
    if (same) {
      Previous& p = it->second;
      t.start_time = p.start_time;
      if (c.hasCounters()) {
        t.counters = advance(p.wide, p.wire, c.counters);
        addDelta(totals_, t.counters, p.wide);
        p.wire = c.counters;
        p.wide = t.counters;
      } else {
        t.counters = p.wide;  // this poll brought no counters: keep what was known
      }
      p.missed = 0;
      p.seen = poll_;
    } else {
      if (it != previous_.end()) ++totals_.connections_ended;  // the handle now belongs to a new connection
      t.start_time = observed_start;
      t.counters = fresh(c.counters);
      if (!first_poll_) {
        ++totals_.connections_started;
        addDelta(totals_, t.counters, WideCounters{});
      }
      const Previous entry{t.start_time, c.counters, t.counters, 0, poll_};
      if (it != previous_.end()) {
        it->second = entry;
      } else {
        previous_.emplace(c.handle, entry);
      }
    }
    t.connection = std::move(c);
    tracked.push_back(std::move(t));
  }
  // What was not seen in this poll: ended, or skipped by paging; wait before deciding.
  for (auto it = previous_.begin(); it != previous_.end();) {
    if (it->second.seen != poll_ && ++it->second.missed >= kMissedPollsBeforeEnded) {
      ++totals_.connections_ended;
      it = previous_.erase(it);
    } else {
      ++it;
    }
  }
  first_poll_ = false;
  return tracked;
}

}  // namespace rras
