// The renderer's costs per poll and per scrape: per-connection text, its gzip pieces, and the
// assembly of a /metrics body from them (plain and gzip).
#include <benchmark/benchmark.h>

#include <memory>

#include "metrics/connection_renderer.h"
#include "metrics/exposition.h"
#include "metrics/metrics_store.h"
#include "poll_fixture.h"

namespace rras::bench {
namespace {

void setBytes(benchmark::State& state, const RenderedConnections& r) {
  size_t bytes = 0;
  for (const auto& text : r.text) bytes += text.size();
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["bytes"] = static_cast<double>(bytes);
  state.counters["per_connection_ns"] = benchmark::Counter(
      static_cast<double>(state.range(0)), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Text and gzip pieces of one router's connections: the render step of a poll.
void BM_RenderConnections(benchmark::State& state) {
  const auto connections = trackedConnections(state.range(0), true);
  const Privacy privacy{PrivacyConfig{}};
  RenderedConnections r;
  for (auto _ : state) {
    r = renderConnections("bench-router", connections, ConnectionRenderOptions{0}, privacy);
    benchmark::DoNotOptimize(r);
  }
  setBytes(state, r);
}
BENCHMARK(BM_RenderConnections)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

// gzip level 1 of one family's text (the per-poll compression share of the render step).
void BM_GzipPiece(benchmark::State& state) {
  const auto connections = trackedConnections(state.range(0), true);
  const auto r = renderConnections("bench-router", connections, ConnectionRenderOptions{0}, Privacy{PrivacyConfig{}});
  for (auto _ : state) {
    for (const auto& text : r.text) benchmark::DoNotOptimize(gzip::compress(text));
  }
  setBytes(state, r);
}
BENCHMARK(BM_GzipPiece)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

// What a scrape costs before the socket: assembling the body from the published pieces.
void BM_ExpositionBuild(benchmark::State& state) {
  MetricsStore store({"bench-router"});
  Renderer renderer(ConnectionRenderOptions{0}, Privacy{PrivacyConfig{}}, store);
  RouterSnapshot snapshot;
  snapshot.router = "bench-router";
  snapshot.up = true;
  snapshot.connections = trackedConnections(state.range(0), true);
  snapshot.aggregates = computeAggregates(snapshot.connections);
  renderer.publish(std::move(snapshot));
  Exposition exposition(store, std::make_shared<prometheus::Registry>());
  const bool gzip = state.range(1) != 0;
  size_t length = 0;
  for (auto _ : state) {
    auto body = exposition.build(gzip);
    length = body->length;
    benchmark::DoNotOptimize(body);
  }
  state.counters["body_bytes"] = static_cast<double>(length);
}
BENCHMARK(BM_ExpositionBuild)->ArgsProduct({{1000, 100000}, {0, 1}})->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace rras::bench

BENCHMARK_MAIN();
