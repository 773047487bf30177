// Platforms without systemd: the notifications are no-ops.
#include "app/systemd_notify.h"

namespace rras::systemd {

void notifyReady(const std::string&) {}
void notifyReloading() {}
void notifyStopping() {}

struct Watchdog::State {};
Watchdog::Watchdog(std::function<bool()>) {}
Watchdog::~Watchdog() = default;

}  // namespace rras::systemd
