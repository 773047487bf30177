// The HTML page at /: what this is, where the metrics are, and a table of routers.
#pragma once

#include <string>

#include "metrics/metrics_store.h"

namespace rras {

std::string renderLandingPage(const PublishedRouters& routers, const std::vector<std::string>& names, double now);

}  // namespace rras
