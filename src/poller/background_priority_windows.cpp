#include <windows.h>

#include "poller/background_priority.h"

namespace rras {

void lowerThisThreadPriority(BackgroundPriority) {
  // Windows schedules strictly by priority, so one step below normal is enough for serving to
  // come first; the balance-set manager still boosts a thread starved for seconds.
  (void)SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL);
}

}  // namespace rras
