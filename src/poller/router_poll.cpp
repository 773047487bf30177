#include "poller/router_poll.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "kinds/kind_table.h"
#include "log/logger.h"
#include "model/duration_text.h"

namespace rras {

RouterPoll::RouterPoll(RouterConfig config, RouterApi& api, Clock wall, Clock steady)
    : api_(api),
      config_(std::move(config)),
      wall_(std::move(wall)),
      steady_(std::move(steady)),
      enumerator_(api, EnumeratorOptions{config_.poll.page_size_bytes, config_.poll.max_level}) {}

RouterSnapshot RouterPoll::identity() const {
  RouterSnapshot s;
  s.router = config_.name;
  s.source = config_.source;
  s.server = config_.server;
  return s;
}

RouterSnapshot RouterPoll::collect() {
  {
    std::lock_guard lock(progress_mu_);
    partial_.reset();
    pending_.clear();
  }
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
    {
      std::lock_guard lock(progress_mu_);
      // The Enumerator reads server info first and times it; the rest of its poll is the connections'.
      noteCollector(s, "connections", steady_() - steady_start - result.server_seconds, std::nullopt);
      if (wants("server")) noteCollector(s, "server", result.server_seconds, result.server_error);
      // From here on the router is reached and its connections read: a later collector that hangs
      // fails alone (deadlineExceeded publishes this part).
      partial_ = std::move(s);
    }
    if (!collectOtherKinds()) return abandoned();
  } catch (const std::exception& e) {
    enumerator_.reset();
    {
      std::lock_guard lock(progress_mu_);
      partial_.reset();
      pending_.clear();
    }
    s = identity();
    s.error = PollError::guard("INTERNAL_ERROR", std::string("the poll raised an exception: ") + e.what());
    return s;
  }
  std::lock_guard lock(progress_mu_);
  if (!partial_) return abandoned();
  RouterSnapshot out = std::move(*partial_);
  partial_.reset();
  return out;
}

RouterSnapshot RouterPoll::abandoned() const {
  RouterSnapshot s = identity();
  s.error = PollError::guard("POLL_DEADLINE_EXCEEDED",
                             "the poll was abandoned at poll_timeout; what it had read was published then");
  return s;
}

bool RouterPoll::wants(std::string_view kind) const {
  const auto& c = config_.poll.collectors;
  return std::find(c.begin(), c.end(), kind) != c.end();
}

void RouterPoll::noteCollector(RouterSnapshot& s, std::string name, double duration, std::optional<PollError> error) {
  bool& failing = collector_failing_[name];
  if (error && !failing) {
    logging::warn("collector failed",
                  {{"router", config_.name}, {"collector", name}, {"error", error->name}, {"detail", error->message}});
  } else if (!error && failing) {
    logging::info("collector succeeded again", {{"router", config_.name}, {"collector", name}});
  }
  failing = error.has_value();
  s.collectors.push_back(CollectorStatus{std::move(name), !error, duration, std::move(error)});
}

bool RouterPoll::collectOtherKinds() {
  for (const KindDescriptor& kind : kindTable()) {
    if (!kind.collect || !wants(kind.name)) continue;
    const double start = steady_();
    {
      std::lock_guard lock(progress_mu_);
      if (!partial_) return false;
      pending_ = kind.name;
      pending_start_ = start;
    }
    // The kind reads into a part of its own, adopted under the lock: the watchdog may take
    // partial_ while this call hangs.
    RouterSnapshot part;
    // A collector before this one lost the binding: connect again once for the rest.
    std::optional<PollError> error = enumerator_.handle() ? std::nullopt : enumerator_.connect();
    if (!error) {
      const CollectContext context{
          api_, *enumerator_.handle(), config_.poll.page_size_bytes, kDefaultMaxPages,
          [this](ApiCode code, const std::string& call) { return enumerator_.describe(code, call); }};
      try {
        error = kind.collect(context, part);
      } catch (const std::exception& e) {  // a decoder bug fails this collector only
        error = PollError::guard("INTERNAL_ERROR", std::string("the collector raised an exception: ") + e.what());
        enumerator_.reset();
      }
      // A lost binding is dropped; the next collector (or poll) connects again.
      if (error && isBindingLost(error->code)) enumerator_.reset();
    }
    std::lock_guard lock(progress_mu_);
    if (!partial_) return false;  // published without this collector at the deadline
    pending_.clear();
    if (!error) kind.adopt(part, *partial_);
    noteCollector(*partial_, std::string(kind.name), steady_() - start, std::move(error));
  }
  return true;
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
  const std::string timeout = formatDuration(config_.poll.timeout_seconds);
  std::optional<RouterSnapshot> partial;
  {
    std::lock_guard lock(progress_mu_);
    partial.swap(partial_);
    if (partial) {
      // The connections are in: the router is up; the collector in flight and those after it fail.
      const std::string hung = pending_;
      for (const KindDescriptor& kind : kindTable()) {
        if (!kind.collect || !wants(kind.name)) continue;
        const auto& done = partial->collectors;
        if (std::any_of(done.begin(), done.end(), [&](const CollectorStatus& c) { return c.name == kind.name; })) {
          continue;
        }
        const bool in_flight = kind.name == hung;
        noteCollector(
            *partial, std::string(kind.name), in_flight ? steady_() - pending_start_ : 0,
            PollError::guard("POLL_DEADLINE_EXCEEDED",
                             in_flight ? "the " + hung + " collector did not finish within poll_timeout (" + timeout +
                                             "): the router or the network hangs in its call; the call "
                                             "was cancelled and the binding is dropped"
                                       : "the " + std::string(kind.name) +
                                             " collector was not reached within poll_timeout (" + timeout + ")" +
                                             (hung.empty() ? "" : ": the " + hung + " collector hung")));
      }
      pending_.clear();
    }
  }
  if (partial) return succeeded(std::move(*partial), config_.poll.timeout_seconds);
  return failed(PollError::guard("POLL_DEADLINE_EXCEEDED", "the poll did not finish within poll_timeout (" + timeout +
                                                               "): the router or the network hangs; the call was "
                                                               "cancelled"),
                start, config_.poll.timeout_seconds);
}

}  // namespace rras
