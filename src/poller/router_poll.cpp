#include "poller/router_poll.h"

#include <exception>
#include <utility>

#include "config/config_loader.h"
#include "log/logger.h"

namespace rras {

namespace {
constexpr uint32_t kMaxPagesPerLevel = 100000;  // EnumeratorOptions' default: a router that pages forever
}  // namespace

RouterPoll::RouterPoll(RouterConfig config, RouterApi& api, Clock wall, Clock steady)
    : config_(std::move(config)),
      wall_(std::move(wall)),
      steady_(std::move(steady)),
      enumerator_(api, EnumeratorOptions{config_.poll.page_size_bytes, config_.poll.max_level, kMaxPagesPerLevel}) {}

RouterSnapshot RouterPoll::identity() const {
  RouterSnapshot s;
  s.router = config_.name;
  s.source = config_.source;
  s.server = config_.server;
  return s;
}

RouterSnapshot RouterPoll::collect() {
  RouterSnapshot s = identity();
  const double steady_start = steady_();
  try {
    EnumerationResult result = enumerator_.poll();
    if (result.error) {
      s.error = std::move(result.error);
      return s;
    }
    const double now = wall_();
    const double steady_now = steady_();
    s.connections = tracker_.update(std::move(result.connections), now, steady_now, steady_now - steady_start);
    s.aggregates = computeAggregates(s.connections);
    s.up = true;
    s.level = result.level;
    s.poll_end_time = now;
    s.last_success_time = now;
    s.pages = result.pages;
    s.duplicates_dropped = result.duplicates_dropped;
    s.dropped_between_levels = result.dropped_between_levels;
    s.server_info = result.server_info;
    s.totals = tracker_.totals();
  } catch (const std::exception& e) {
    enumerator_.reset();
    s = identity();
    s.error = PollError::guard("INTERNAL_ERROR", std::string("the poll raised an exception: ") + e.what());
  }
  return s;
}

RouterSnapshot RouterPoll::succeeded(RouterSnapshot s, double duration) {
  if (consecutive_failures_ > 0) logging::info("poll succeeded again", {{"router", config_.name}});
  consecutive_failures_ = 0;
  level_ = s.level;
  last_success_time_ = s.last_success_time;
  totals_ = s.totals;
  s.poll_errors = poll_errors_;
  s.poll_duration_seconds = duration;
  return s;
}

RouterSnapshot RouterPoll::failed(PollError error, double start, double duration) {
  ++consecutive_failures_;
  ++poll_errors_[error.name];
  RouterSnapshot s = identity();
  s.up = false;
  s.level = level_;
  s.poll_end_time = start + duration;
  s.poll_duration_seconds = duration;
  s.last_success_time = last_success_time_;
  s.totals = totals_;
  s.poll_errors = poll_errors_;
  if (consecutive_failures_ == 1 || logging::enabled(logging::Level::kDebug)) {
    logging::warn("poll failed", {{"router", config_.name}, {"error", error.name}, {"detail", error.message}});
  }
  s.error = std::move(error);
  return s;
}

RouterSnapshot RouterPoll::deadlineExceeded(double start) {
  return failed(PollError::guard("POLL_DEADLINE_EXCEEDED", "the poll did not finish within poll_timeout (" +
                                                               formatDuration(config_.poll.timeout_seconds) +
                                                               "): the router or the network hangs; the call was "
                                                               "cancelled"),
                start, config_.poll.timeout_seconds);
}

}  // namespace rras
