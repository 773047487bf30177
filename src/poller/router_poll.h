// One router's poll step, without threads: the work of a poll (enumerate, widen counters,
// aggregate) and the accounting that turns its outcome into the snapshot to publish (failures in
// a row, errors by name, the last level and success time, the totals). The Poller (poller.cpp)
// owns the threads, schedules, deadlines and the publish gate around it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
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
  // whose `error` says why the poll failed; an exception fails the poll, never the process.
  RouterSnapshot collect();
  // Forget the binding and the level found (after an abandoned call: it may be in any state).
  void reset() { enumerator_.reset(); }

  // The accounting: called by the worker or the watchdog, serialised by the caller.
  RouterSnapshot succeeded(RouterSnapshot collected, double duration);
  RouterSnapshot failed(PollError error, double start, double duration);
  RouterSnapshot deadlineExceeded(double start);  // the poll outlived poll_timeout
  uint32_t consecutiveFailures() const { return consecutive_failures_; }

  const RouterConfig& config() const { return config_; }

 private:
  RouterSnapshot identity() const;
  bool wants(std::string_view kind) const;

  // The kinds other than connections and server, collected after them on the same binding.
  void collectOtherKinds(RouterSnapshot& s);
  void noteCollector(RouterSnapshot& s, std::string name, double duration, std::optional<PollError> error);

  RouterApi& api_;
  RouterConfig config_;
  Clock wall_, steady_;
  std::map<std::string, bool> collector_failing_;  // collect() only: log a collector's failure once
  Enumerator enumerator_;                          // collect() only
  ConnectionTracker tracker_;                      // collect() only

  uint32_t consecutive_failures_ = 0;
  std::string level_;
  double last_success_time_ = 0;
  RouterTotals totals_;
  std::map<std::string, uint64_t> poll_errors_;
};

}  // namespace rras
