// The HTML page at /: what this is, where the metrics are, a table of routers, and the /probe
// modules with the targets being probed.
#pragma once

#include <string>

#include "metrics/metrics_store.h"
#include "probe/probe_targets.h"

namespace rras {

std::string renderLandingPage(const PublishedRouters& routers, const std::vector<std::string>& names, double now,
                              const std::vector<std::string>& modules = {},
                              const std::vector<ProbedTarget>& probed = {});

}  // namespace rras
