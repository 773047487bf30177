#include "metrics/process_metrics.h"

namespace rras {

// No process metrics on this platform yet.
std::vector<prometheus::MetricFamily> processFamilies() { return {}; }

}  // namespace rras
