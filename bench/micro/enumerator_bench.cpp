// The poll's costs before rendering: the Enumerator paging through a simulated router (EnumEx, or
// levels 3 + 1 + 0 joined on the handle) and the ConnectionTracker widening counters.
#include <benchmark/benchmark.h>

#include "poll_fixture.h"
#include "snapshot/router_snapshot.h"

namespace rras::bench {
namespace {

// One poll: every page of every level, joined; the simulator's own work is part of it.
void BM_EnumeratorPoll(benchmark::State& state) {
  const bool enum_ex = state.range(1) != 0;
  SimulatedRouter router(simulatorConfig(state.range(0), enum_ex), [] { return kClock; });
  Enumerator enumerator(router, EnumeratorOptions{});
  size_t found = 0;
  for (auto _ : state) {
    auto result = enumerator.poll();
    found = result.connections.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["connections"] = static_cast<double>(found);
  state.counters["per_connection_ns"] = benchmark::Counter(
      static_cast<double>(found), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_EnumeratorPoll)->ArgsProduct({{1000, 10000, 100000}, {0, 1}})->Unit(benchmark::kMillisecond);

// The tracker and the aggregates on a second poll of the same connections (the steady state).
void BM_TrackerUpdate(benchmark::State& state) {
  SimulatedRouter router(simulatorConfig(state.range(0), true), [] { return kClock; });
  Enumerator enumerator(router, EnumeratorOptions{});
  const auto connections = enumerator.poll().connections;
  ConnectionTracker tracker;
  tracker.update(connections, kClock, 0);
  double now = kClock;
  for (auto _ : state) {
    state.PauseTiming();
    auto copy = connections;
    now += 30;
    state.ResumeTiming();
    auto tracked = tracker.update(std::move(copy), now, now - kClock);
    benchmark::DoNotOptimize(computeAggregates(tracked));
  }
}
BENCHMARK(BM_TrackerUpdate)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace rras::bench

BENCHMARK_MAIN();
