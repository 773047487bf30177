// The standard process_* families (CPU, memory, file descriptors, start time) where the platform
// offers them; empty elsewhere.
#pragma once

#include <prometheus/metric_family.h>

#include <vector>

namespace rras {

std::vector<prometheus::MetricFamily> processFamilies();

}  // namespace rras
