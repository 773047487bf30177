#include "model/foreground.h"

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace rras::foreground {

namespace {

std::atomic<int> g_in_flight{0};
std::mutex g_mu;
std::condition_variable g_idle;  // notified when the last answer in flight ends
thread_local std::chrono::nanoseconds t_allowance{0};

}  // namespace

Activity::Activity() { g_in_flight.fetch_add(1, std::memory_order_acq_rel); }

Activity::~Activity() {
  if (g_in_flight.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    // A waiter that saw the answer in flight holds g_mu until it waits: taking it here means the
    // notification cannot fall between its check and its wait.
    { std::lock_guard lock(g_mu); }
    g_idle.notify_all();
  }
}

Allowance::Allowance(std::chrono::nanoseconds total) : previous_(t_allowance) { t_allowance = total; }

Allowance::~Allowance() { t_allowance = previous_; }

void yield() {
  if (t_allowance <= std::chrono::nanoseconds::zero() || g_in_flight.load(std::memory_order_acquire) == 0) return;
  const auto start = std::chrono::steady_clock::now();
  {
    std::unique_lock lock(g_mu);
    g_idle.wait_for(lock, t_allowance, [] { return g_in_flight.load(std::memory_order_acquire) == 0; });
  }
  t_allowance -= std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start);
}

int inFlight() { return g_in_flight.load(std::memory_order_acquire); }

std::chrono::nanoseconds allowanceLeft() { return t_allowance; }

}  // namespace rras::foreground
