// Router-level and aggregate families (DESIGN §5) as prometheus-cpp MetricFamily values, built
// from the published snapshots at scrape time: a router's series exist exactly while its latest
// poll supports them, so none is ever stale or duplicated.
#pragma once

#include <prometheus/metric_family.h>

#include <vector>

#include "metrics/metrics_store.h"

namespace rras {

std::vector<prometheus::MetricFamily> routerFamilies(const PublishedRouters& routers);

}  // namespace rras
