#include "router/connection_tracker.h"

#include <gtest/gtest.h>

namespace rras {
namespace {

Connection conn(uint64_t handle, uint32_t duration, uint32_t bytes_sent, uint32_t bytes_received = 0) {
  Connection c;
  c.handle = handle;
  c.levels = kHasLevel0 | kHasLevel1;
  c.duration_seconds = duration;
  c.counters.bytes_sent = bytes_sent;
  c.counters.bytes_received = bytes_received;
  return c;
}

TEST(ConnectionTrackerTest, WidensThirtyTwoBitCountersAcrossWraps) {
  ConnectionTracker t;
  auto r = t.update({conn(1, 100, 0xFFFFFF00u)}, 1000);
  EXPECT_EQ(r[0].counters.bytes_sent, 0xFFFFFF00u);
  r = t.update({conn(1, 130, 0x00000100u)}, 1030);  // wrapped: +0x200
  EXPECT_EQ(r[0].counters.bytes_sent, 0x100000100ull);
  r = t.update({conn(1, 160, 0xFFFFFFFFu)}, 1060);  // no wrap, grows again
  EXPECT_EQ(r[0].counters.bytes_sent, 0x1FFFFFFFFull);
  r = t.update({conn(1, 190, 5)}, 1090);            // second wrap
  EXPECT_EQ(r[0].counters.bytes_sent, 0x200000005ull);
}

TEST(ConnectionTrackerTest, StartTimeIsStableAcrossPolls) {
  ConnectionTracker t;
  auto r = t.update({conn(7, 3600, 0)}, 10'000.4);
  const double start = r[0].start_time;
  EXPECT_EQ(start, 10'000 - 3600);
  // The poll ran a little later or earlier than the router's second boundary: no jitter.
  r = t.update({conn(7, 3631, 0)}, 10'030.9);
  EXPECT_EQ(r[0].start_time, start);
  r = t.update({conn(7, 3659, 0)}, 10'060.2);
  EXPECT_EQ(r[0].start_time, start);
}

TEST(ConnectionTrackerTest, ReusedHandleIsANewConnection) {
  ConnectionTracker t;
  t.update({conn(7, 3600, 5000)}, 10'000);
  auto r = t.update({conn(7, 10, 100)}, 10'030);  // same handle, a new session
  EXPECT_EQ(r[0].start_time, 10'020);
  EXPECT_EQ(r[0].counters.bytes_sent, 100u);
  EXPECT_EQ(t.totals().connections_started, 1u);
  EXPECT_EQ(t.totals().connections_ended, 1u);
}

TEST(ConnectionTrackerTest, CountsStartedEndedAndTrafficFromDeltas) {
  ConnectionTracker t;
  t.update({conn(1, 10, 1000, 50), conn(2, 10, 2000, 60)}, 100);
  EXPECT_EQ(t.totals().connections_started, 0u);  // present before the exporter looked
  EXPECT_EQ(t.totals().sent_bytes, 0u);
  t.update({conn(2, 40, 2500, 80), conn(3, 5, 300, 7)}, 130);
  EXPECT_EQ(t.totals().connections_started, 1u);
  EXPECT_EQ(t.totals().connections_ended, 1u);
  EXPECT_EQ(t.totals().sent_bytes, 500u + 300u);
  EXPECT_EQ(t.totals().received_bytes, 20u + 7u);
  t.update({}, 160);
  EXPECT_EQ(t.totals().connections_ended, 3u);
}

}  // namespace
}  // namespace rras
