// Scrapes come first (issue 15): while a /metrics or /probe answer is being built and written,
// a poll's CPU-heavy loops (paging, tracking, aggregating, rendering, compressing, unmapping the
// replaced generation, trimming malloc) stop at their next step until no answer is in flight.
// A lower scheduling priority alone leaves a render running beside a scrape whenever a core
// falls idle for a moment (the scrape's thread or its client waiting on the socket): with poll
// workers under SCHED_IDLE the p99 of scrapes during polls was 1.39x idle (plain) and 1.21x
// (gzip) at 100 000 connections. The wait is bounded per poll by the thread's allowance, so
// scrapes back to back, or a client that stalls, delay a poll by at most that much and never stop
// polling.
#pragma once

#include <chrono>

namespace rras::foreground {

// Held for as long as a latency-sensitive answer is in flight (the HTTP layer: one per scrape,
// from building its body until the body is written).
class Activity {
 public:
  Activity();
  ~Activity();
  Activity(const Activity&) = delete;
  Activity& operator=(const Activity&) = delete;
};

// How long background work on this thread may wait in yield() in all, while this object lives
// (the poller: one per poll, on its worker thread). A thread without one never waits.
class Allowance {
 public:
  explicit Allowance(std::chrono::nanoseconds total);
  ~Allowance();  // restores the allowance the thread had before
  Allowance(const Allowance&) = delete;
  Allowance& operator=(const Allowance&) = delete;

 private:
  std::chrono::nanoseconds previous_;
};

// Between two steps of background work: returns at once when no answer is in flight (one atomic
// load) or the thread's allowance is spent; otherwise waits until no answer is in flight or the
// allowance runs out, and deducts the wait from it.
void yield();

// Answers in flight now, and what is left of this thread's allowance (tests, logs).
int inFlight();
std::chrono::nanoseconds allowanceLeft();

}  // namespace rras::foreground
