#include "poller/background_priority.h"

namespace rras {

void lowerThisThreadPriority() {}

}  // namespace rras
