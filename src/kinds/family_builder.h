// Builds prometheus-cpp MetricFamily values for the families rendered at scrape time from the
// published snapshots (router level, per kind): families are declared once, filled router by
// router, and only those with a sample are kept.
#pragma once

#include <prometheus/metric_family.h>

#include <deque>
#include <string>
#include <utility>
#include <vector>

namespace rras {

using Labels = std::vector<prometheus::ClientMetric::Label>;

class FamilyBuilder {
 public:
  prometheus::MetricFamily& add(std::string name, prometheus::MetricType type, std::string help) {
    families_.push_back(prometheus::MetricFamily{std::move(name), std::move(help), type, {}});
    return families_.back();
  }
  // The families with at least one sample, in the order they were added.
  std::vector<prometheus::MetricFamily> take() {
    std::vector<prometheus::MetricFamily> out;
    for (auto& family : families_) {
      if (!family.metric.empty()) out.push_back(std::move(family));
    }
    families_.clear();
    return out;
  }

 private:
  std::deque<prometheus::MetricFamily> families_;  // a deque: add() hands out references that stay valid
};

inline void sample(prometheus::MetricFamily& family, Labels labels, double value) {
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  if (family.type == prometheus::MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  family.metric.push_back(std::move(m));
}

}  // namespace rras
