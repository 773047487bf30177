// One router's poll step, without threads: the work of a poll (enumerate, widen counters,
// aggregate) and the accounting that turns its outcome into the snapshot to publish (failures in
// a row, errors by name, the last level and success time, the totals). The Poller (poller.cpp)
// owns the threads, schedules, deadlines and the publish gate around it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "router/connection_tracker.h"
#include "router/enumerator.h"
#include "router/router_api.h"
#include "snapshot/router_snapshot.h"

namespace rras {

class RouterPoll {
 public:
  using Clock = std::function<double()>;  // seconds
  // `wall` stamps the data (start times, last success); `steady` measures durations.
  RouterPoll(RouterConfig config, RouterApi& api, Clock wall, Clock steady);

  // The work, on the worker thread only. Returns the success snapshot (not yet accounted), or one
  // whose `error` says why the poll failed; an exception fails the poll, never the process. Once
  // the connections are read, the snapshot so far is kept where deadlineExceeded() can take it.
  RouterSnapshot collect();
  // Forget the binding and the level found (after an abandoned call: it may be in any state).
  void reset() { enumerator_.reset(); }

  // The accounting: called by the worker or the watchdog, serialised by the caller.
  RouterSnapshot succeeded(RouterSnapshot collected, double duration);
  RouterSnapshot failed(PollError error, double start, double duration);
  // The poll outlived poll_timeout. Before the connections were read: a failed poll. After: the
  // router is up with what was read, the collector in flight and those not reached fail with
  // POLL_DEADLINE_EXCEEDED, and collect() abandons the rest (its result is to be dropped).
  RouterSnapshot deadlineExceeded(double start);
  uint32_t consecutiveFailures() const { return consecutive_failures_; }

  const RouterConfig& config() const { return config_; }

 private:
  RouterSnapshot identity() const;
  bool wants(std::string_view kind) const;

  // The kinds other than connections and server, collected after them on the same binding into
  // partial_; false once deadlineExceeded() has taken it (the poll is abandoned).
  bool collectOtherKinds();
  RouterSnapshot abandoned() const;
  // Caller holds progress_mu_.
  void noteCollector(RouterSnapshot& s, std::string name, double duration, std::optional<PollError> error);

  RouterApi& api_;
  RouterConfig config_;
  Clock wall_, steady_;
  Enumerator enumerator_;      // collect() only
  ConnectionTracker tracker_;  // collect() only

  // Shared by collect() and deadlineExceeded(), which may run on another thread while a call hangs.
  std::mutex progress_mu_;
  std::optional<RouterSnapshot> partial_;          // the poll so far, once its connections are in
  std::string pending_;                            // the collector whose calls are in flight
  double pending_start_ = 0;                       // steady clock
  std::map<std::string, bool> collector_failing_;  // log a collector's failure once

  uint32_t consecutive_failures_ = 0;
  std::string level_;
  double last_success_time_ = 0;
  RouterTotals totals_;
  std::map<std::string, uint64_t> poll_errors_;
};

}  // namespace rras
