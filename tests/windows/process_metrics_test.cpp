// process_* on Windows describe this process: its working set, handles, CPU and start time.
#include "metrics/process_metrics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>

namespace rras {
namespace {

TEST(WindowsProcessMetricsTest, DescribeTheRunningProcess) {
  std::map<std::string, double> v;
  for (const auto& f : processFamilies()) {
    ASSERT_EQ(f.metric.size(), 1u) << f.name;
    v[f.name] = f.type == prometheus::MetricType::Counter ? f.metric[0].counter.value : f.metric[0].gauge.value;
  }
  ASSERT_EQ(v.size(), 6u);
  EXPECT_GT(v["process_resident_memory_bytes"], 1e6);
  // Wine 8 reports 0 private bytes and 0 handles (GetProcessHandleCount is a stub there); Windows
  // reports the real counts. Only their presence is checked here.
  EXPECT_GE(v["process_virtual_memory_bytes"], 0);
  EXPECT_GE(v["process_open_fds"], 0);
  EXPECT_EQ(v["process_max_fds"], 16777216);
  EXPECT_GE(v["process_cpu_seconds_total"], 0);
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_LE(v["process_start_time_seconds"], now + 1);
  EXPECT_GT(v["process_start_time_seconds"], now - 3600);  // started by this test run
}

}  // namespace
}  // namespace rras
