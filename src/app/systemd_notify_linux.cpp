#include <systemd/sd-daemon.h>

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <thread>

#include "app/systemd_notify.h"

namespace rras::systemd {

void notifyReady(const std::string& status) { sd_notify(0, ("READY=1\nSTATUS=" + status).c_str()); }

void notifyReloading() {
  // MONOTONIC_USEC lets newer systemd (Type=notify-reload) match this to its reload request.
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const auto usec =
      static_cast<unsigned long long>(now.tv_sec) * 1000000ull + static_cast<unsigned long long>(now.tv_nsec) / 1000ull;
  sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu", usec);
}

void notifyStopping() { sd_notify(0, "STOPPING=1"); }

struct Watchdog::State {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::thread thread;
};

Watchdog::Watchdog(std::function<bool()> healthy) : state_(std::make_unique<State>()) {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return;
  const auto period = std::chrono::microseconds(usec / 2);
  State* s = state_.get();
  s->thread = std::thread([s, period, healthy = std::move(healthy)] {
    std::unique_lock lock(s->mu);
    while (!s->cv.wait_for(lock, period, [s] { return s->done; })) {
      if (healthy()) sd_notify(0, "WATCHDOG=1");
    }
  });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(state_->mu);
    state_->done = true;
  }
  state_->cv.notify_all();
  if (state_->thread.joinable()) state_->thread.join();
}

}  // namespace rras::systemd
