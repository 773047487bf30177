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
  auto r = t.update({conn(1, 100, 0xFFFFFF00u)}, 1000, 1000);
  EXPECT_EQ(r[0].counters.bytes_sent, 0xFFFFFF00u);
  r = t.update({conn(1, 130, 0x00000100u)}, 1030, 1030);  // wrapped: +0x200
  EXPECT_EQ(r[0].counters.bytes_sent, 0x100000100ull);
  r = t.update({conn(1, 160, 0x70000000u)}, 1060, 1060);  // no wrap, grows again
  EXPECT_EQ(r[0].counters.bytes_sent, 0x170000000ull);
  r = t.update({conn(1, 190, 0xE0000000u)}, 1090, 1090);
  EXPECT_EQ(r[0].counters.bytes_sent, 0x1E0000000ull);
  r = t.update({conn(1, 220, 5)}, 1120, 1120);  // second wrap
  EXPECT_EQ(r[0].counters.bytes_sent, 0x200000005ull);
}

TEST(ConnectionTrackerTest, StartTimeIsStableAcrossPolls) {
  ConnectionTracker t;
  auto r = t.update({conn(7, 3600, 0)}, 10'000.4, 10'000.4);
  const double start = r[0].start_time;
  EXPECT_EQ(start, 10'000 - 3600);
  // The poll ran a little later or earlier than the router's second boundary: no jitter.
  r = t.update({conn(7, 3631, 0)}, 10'030.9, 10'030.9);
  EXPECT_EQ(r[0].start_time, start);
  r = t.update({conn(7, 3659, 0)}, 10'060.2, 10'060.2);
  EXPECT_EQ(r[0].start_time, start);
}

TEST(ConnectionTrackerTest, ReusedHandleIsANewConnection) {
  ConnectionTracker t;
  t.update({conn(7, 3600, 5000)}, 10'000, 10'000);
  auto r = t.update({conn(7, 10, 100)}, 10'030, 10'030);  // same handle, a new session
  EXPECT_EQ(r[0].start_time, 10'020);
  EXPECT_EQ(r[0].counters.bytes_sent, 100u);
  EXPECT_EQ(t.totals().connections_started, 1u);
  EXPECT_EQ(t.totals().connections_ended, 1u);
}

TEST(ConnectionTrackerTest, CountsStartedEndedAndTrafficFromDeltas) {
  ConnectionTracker t;
  t.update({conn(1, 10, 1000, 50), conn(2, 10, 2000, 60)}, 100, 100);
  EXPECT_EQ(t.totals().connections_started, 0u);  // present before the exporter looked
  EXPECT_EQ(t.totals().sent_bytes, 0u);
  t.update({conn(2, 40, 2500, 80), conn(3, 5, 300, 7)}, 130, 130);
  EXPECT_EQ(t.totals().connections_started, 1u);
  EXPECT_EQ(t.totals().connections_ended, 0u);  // 1 missed once: maybe skipped by paging
  EXPECT_EQ(t.totals().sent_bytes, 500u + 300u);
  EXPECT_EQ(t.totals().received_bytes, 20u + 7u);
  t.update({}, 160, 160);
  EXPECT_EQ(t.totals().connections_ended, 1u);  // 1 missed twice: ended; 2 and 3 missed once
  t.update({}, 190, 190);
  EXPECT_EQ(t.totals().connections_ended, 3u);
}

Connection withErrors(uint64_t handle, uint32_t duration, uint32_t crc, uint32_t framing, uint32_t frames) {
  Connection c = conn(handle, duration, 0);
  c.counters.crc_errors = crc;
  c.counters.framing_errors = framing;
  c.counters.buffer_overrun_errors = crc * 2;
  c.counters.frames_sent = frames;
  c.counters.frames_received = frames / 2;
  return c;
}

// The per-router error and frame totals follow the byte totals: deltas of widened counters, so
// they never go back when a connection ends, is reset or wraps.
TEST(ConnectionTrackerTest, ErrorAndFrameTotalsSurviveConnectionsEnding) {
  ConnectionTracker t;
  t.update({withErrors(1, 10, 3, 1, 100), withErrors(2, 10, 0, 0, 0xFFFFFFF0u)}, 100, 100);
  EXPECT_EQ(t.totals().crc_errors, 0u);  // before the exporter looked
  t.update({withErrors(1, 40, 5, 4, 150), withErrors(2, 40, 1, 0, 0x10u), withErrors(3, 5, 7, 0, 9)}, 130, 130);
  EXPECT_EQ(t.totals().crc_errors, 2u + 1u + 7u);
  EXPECT_EQ(t.totals().framing_errors, 3u);
  EXPECT_EQ(t.totals().buffer_overrun_errors, 4u + 2u + 14u);
  EXPECT_EQ(t.totals().sent_frames, 50u + 0x20u + 9u);   // connection 2 wrapped
  EXPECT_EQ(t.totals().received_frames, 25u + 8u + 4u);  // 2: a step back of 2^31 or more reads as a reset
  const RouterTotals before = t.totals();
  t.update({withErrors(3, 35, 7, 0, 9)}, 160, 160);  // 1 and 2 gone
  t.update({withErrors(3, 65, 2, 0, 9)}, 190, 190);  // reset by ClearStats: 2 new errors
  EXPECT_EQ(t.totals().connections_ended, 2u);
  EXPECT_EQ(t.totals().crc_errors, before.crc_errors + 2u);
  EXPECT_EQ(t.totals().framing_errors, before.framing_errors);
  EXPECT_EQ(t.totals().timeout_errors, 0u);
  EXPECT_EQ(t.totals().alignment_errors, 0u);
  EXPECT_EQ(t.totals().hardware_overrun_errors, 0u);
}

TEST(ConnectionTrackerTest, ConnectionSkippedForOnePollIsNotCountedTwice) {
  ConnectionTracker t;
  t.update({conn(1, 10, 1000), conn(2, 10, 0xFFFFFF00u)}, 100, 100);
  t.update({conn(1, 40, 1500)}, 130, 130);  // 2 skipped by paging
  auto r = t.update({conn(1, 70, 2000), conn(2, 70, 0x100)}, 160, 160);
  EXPECT_EQ(t.totals().connections_started, 0u);
  EXPECT_EQ(t.totals().connections_ended, 0u);
  EXPECT_EQ(r[1].counters.bytes_sent, 0x100000100ull);  // still widened
  EXPECT_EQ(t.totals().sent_bytes, 1000u + 0x200u);     // only real traffic
}

TEST(ConnectionTrackerTest, CounterResetIsNotAWrap) {
  ConnectionTracker t;
  t.update({conn(1, 10, 5'000'000)}, 100, 100);
  auto r = t.update({conn(1, 40, 300)}, 130, 130);  // statistics cleared on the router
  EXPECT_EQ(r[0].counters.bytes_sent, 5'000'300u);
  EXPECT_EQ(t.totals().sent_bytes, 300u);
}

TEST(ConnectionTrackerTest, PollWithoutCountersKeepsTheLastKnownOnes) {
  ConnectionTracker t;
  t.update({conn(1, 10, 5000)}, 100, 100);
  Connection bare = conn(1, 40, 0);
  bare.levels = kHasLevel0;  // the router fell back to level 0
  auto r = t.update({bare}, 130, 130);
  EXPECT_EQ(r[0].counters.bytes_sent, 5000u);
  r = t.update({conn(1, 70, 6000)}, 160, 160);
  EXPECT_EQ(r[0].counters.bytes_sent, 6000u);
  EXPECT_EQ(t.totals().sent_bytes, 1000u);
}

TEST(ConnectionTrackerTest, WallClockStepKeepsIdentityAndMovesStartTimes) {
  ConnectionTracker t;
  auto r = t.update({conn(1, 100, 10)}, 1000, 50);
  EXPECT_EQ(r[0].start_time, 900);
  // 30 s pass, but NTP moved the wall clock 300 s forward meanwhile.
  r = t.update({conn(1, 130, 20)}, 1330, 80);
  EXPECT_EQ(r[0].start_time, 1200);
  EXPECT_EQ(t.totals().connections_started, 0u);
  EXPECT_EQ(t.totals().sent_bytes, 10u);
}

}  // namespace
}  // namespace rras
