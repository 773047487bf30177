#include "model/foreground.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

namespace rras {
namespace {

using namespace std::chrono_literals;

TEST(ForegroundTest, AThreadWithoutAnAllowanceNeverWaits) {
  const foreground::Activity scrape;
  EXPECT_EQ(foreground::inFlight(), 1);
  EXPECT_EQ(foreground::allowanceLeft(), 0ns);
  foreground::yield();  // returns although an answer is in flight
  EXPECT_EQ(foreground::allowanceLeft(), 0ns);
}

TEST(ForegroundTest, NoAnswerInFlightCostsNothing) {
  ASSERT_EQ(foreground::inFlight(), 0);
  const foreground::Allowance allowance(1h);
  foreground::yield();
  EXPECT_EQ(foreground::allowanceLeft(), 1h);
}

TEST(ForegroundTest, BackgroundWorkWaitsUntilTheLastAnswerEnds) {
  auto first = std::make_unique<foreground::Activity>();
  auto second = std::make_unique<foreground::Activity>();
  std::atomic<bool> ended{false};
  std::atomic<bool> saw_end_after_yield{false};
  std::atomic<bool> started{false};
  std::thread poll([&] {
    const foreground::Allowance allowance(1h);
    started = true;
    foreground::yield();
    saw_end_after_yield = ended.load();
  });
  while (!started) std::this_thread::yield();
  std::this_thread::sleep_for(20ms);  // let the poll reach its wait (it must not leave it meanwhile)
  first.reset();                      // one answer is still in flight: the poll keeps waiting
  std::this_thread::sleep_for(20ms);
  ended = true;
  second.reset();
  poll.join();
  EXPECT_TRUE(saw_end_after_yield) << "yield() returned while an answer was still in flight";
  EXPECT_EQ(foreground::inFlight(), 0);
}

TEST(ForegroundTest, TheAllowanceBoundsTheWaitThenYieldReturnsAtOnce) {
  const foreground::Activity stalled_client;  // never ends during the test
  const foreground::Allowance allowance(5ms);
  foreground::yield();  // waits out the allowance
  EXPECT_LE(foreground::allowanceLeft(), 0ns);
  foreground::yield();  // spent: no more waiting
  EXPECT_LE(foreground::allowanceLeft(), 0ns);
}

TEST(ForegroundTest, AnAllowanceRestoresTheOneBefore) {
  {
    const foreground::Allowance outer(3s);
    {
      const foreground::Allowance inner(1s);
      EXPECT_EQ(foreground::allowanceLeft(), 1s);
    }
    EXPECT_EQ(foreground::allowanceLeft(), 3s);
  }
  EXPECT_EQ(foreground::allowanceLeft(), 0ns);
}

}  // namespace
}  // namespace rras
