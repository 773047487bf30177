// The standard process_* families (CPU, memory, file descriptors, start time) where the platform
// offers them; empty elsewhere.
#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <utility>
#include <vector>

namespace rras {

std::vector<prometheus::MetricFamily> processFamilies();

// One single-sample family (what every process_* family is).
inline prometheus::MetricFamily processFamily(std::string name, std::string help, double value,
                                              prometheus::MetricType type = prometheus::MetricType::Gauge) {
  prometheus::ClientMetric m;
  if (type == prometheus::MetricType::Counter)
    m.counter.value = value;
  else
    m.gauge.value = value;
  return prometheus::MetricFamily{std::move(name), std::move(help), type, {m}};
}

}  // namespace rras
