#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include "poller/background_priority.h"

namespace rras {

void lowerThisThreadPriority(BackgroundPriority priority) {
  // kIdle is SCHED_IDLE, not just a nice value: a scrape thread (or the scraper's socket reads)
  // waking up preempts an idle-policy thread at once, where a nice-10 thread kept the core for the
  // rest of its slice (issue 6: p99 during polls 1.22x/1.70x of idle with nice 10). The policy
  // belongs to the thread. Within the exporter's cgroup/autogroup the polls still get every core
  // no scrape wants; nice 19 is the fallback where SCHED_IDLE is refused.
  if (priority == BackgroundPriority::kIdle) {
    const sched_param param{};
    if (sched_setscheduler(0, SCHED_IDLE, &param) == 0) return;
  }
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), priority == BackgroundPriority::kIdle ? 19 : 10);
}

}  // namespace rras
