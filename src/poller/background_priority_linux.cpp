#include <sys/resource.h>
#include <unistd.h>

#include "poller/background_priority.h"

namespace rras {

void lowerThisThreadPriority() {
  // On Linux the nice value belongs to the thread (man 2 setpriority, NOTES); failure is harmless.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
}

}  // namespace rras
