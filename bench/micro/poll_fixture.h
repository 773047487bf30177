// Shared set-up of the micro-benchmarks: a simulated router of N connections, polled once through
// the Enumerator and the ConnectionTracker, as the poller does it.
#pragma once

#include <cstdint>
#include <vector>

#include "router/connection_tracker.h"
#include "router/enumerator.h"
#include "sources/simulator/simulated_router.h"

namespace rras::bench {

inline constexpr double kClock = 1'800'000'000.0;

inline SimulatorConfig simulatorConfig(int64_t connections, bool enum_ex) {
  SimulatorConfig config;
  config.connections = static_cast<uint32_t>(connections);
  config.enum_ex = enum_ex;
  config.max_level = 3;
  config.seed = 42;
  return config;
}

// The tracked connections of one poll, what the renderer receives.
inline std::vector<TrackedConnection> trackedConnections(int64_t connections, bool enum_ex) {
  SimulatedRouter router(simulatorConfig(connections, enum_ex), [] { return kClock; });
  Enumerator enumerator(router, EnumeratorOptions{});
  ConnectionTracker tracker;
  return tracker.update(enumerator.poll().connections, kClock, 0);
}

}  // namespace rras::bench
