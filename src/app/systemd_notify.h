// The systemd service protocol (sd_notify): READY=1 once serving, RELOADING=1 around a SIGHUP
// reload, STOPPING=1 at shutdown, and WATCHDOG=1 pings while WatchdogSec= is set. No-ops when
// not started by systemd (NOTIFY_SOCKET unset) and on platforms without systemd.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace rras::systemd {

void notifyReady(const std::string& status);
void notifyReloading();
void notifyStopping();

// Pings the watchdog from its own thread at half the interval systemd asked for, while `healthy`
// says so, until destroyed: a wedged exporter stops pinging and systemd restarts it.
class Watchdog {
 public:
  explicit Watchdog(std::function<bool()> healthy);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace rras::systemd
