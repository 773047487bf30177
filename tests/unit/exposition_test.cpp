// The assembled /metrics body: plain and gzip carry the same bytes, no duplicate or stale series.
#include "metrics/exposition.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <map>

#include "exposition_parser.h"
#include "poller/poller.h"
#include "router/connection_tracker.h"
#include "router/enumerator.h"
#include "sources/simulator/simulated_router.h"

namespace rras {
namespace {

std::string gunzip(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 16 + 15), Z_OK);
  std::string out;
  char buf[65536];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END) << "the gzip body must be one complete member";
  EXPECT_EQ(zs.avail_in, 0u) << "nothing may follow the gzip member";
  inflateEnd(&zs);
  return out;
}

// Two simulated routers polled through the production path: Enumerator, tracker, Renderer.
struct Pipeline {
  double now = 1'800'000'000;
  std::vector<std::unique_ptr<SimulatedRouter>> routers;
  MetricsStore store{{"r0", "r1"}};
  Renderer renderer;
  Exposition exposition{store, std::make_shared<prometheus::Registry>()};
  std::vector<std::unique_ptr<Enumerator>> enumerators;
  std::vector<ConnectionTracker> trackers{2};

  explicit Pipeline(std::map<std::string, ConnectionFamilies, std::less<>> families = {})
      : renderer(ConnectionRenderOptions{}, Privacy(PrivacyConfig{}), store, std::move(families)) {
    for (int i = 0; i < 2; ++i) {
      SimulatorConfig c;
      c.connections = 200;
      c.enum_ex = i == 0;
      c.seed = static_cast<uint64_t>(i + 1);
      routers.push_back(std::make_unique<SimulatedRouter>(c, [this] { return now; }));
      enumerators.push_back(std::make_unique<Enumerator>(*routers.back(), EnumeratorOptions{}));
    }
  }
  void poll() {
    for (size_t i = 0; i < 2; ++i) {
      auto result = enumerators[i]->poll();
      ASSERT_FALSE(result.error);
      RouterSnapshot s;
      s.router = "r" + std::to_string(i);
      s.source = "simulator";
      s.up = true;
      s.level = result.level;
      s.connections = trackers[i].update(std::move(result.connections), now, now);
      s.aggregates = computeAggregates(s.connections);
      s.totals = trackers[i].totals();
      renderer.publish(std::move(s));
    }
  }
};

TEST(ExpositionTest, GzipBodyIsTheSameTextInOneMember) {
  Pipeline p;
  p.poll();
  const std::string plain = p.exposition.build(false)->str();
  const std::string zipped = p.exposition.build(true)->str();
  EXPECT_LT(zipped.size(), plain.size() / 3);
  // Process metrics change between the two builds; compare everything else.
  auto strip = [](const std::string& text) {
    auto parsed = testing::parseExposition(text);
    std::erase_if(parsed.series, [](const auto& kv) { return kv.first.rfind("process_", 0) == 0; });
    return parsed.series;
  };
  EXPECT_EQ(strip(gunzip(zipped)), strip(plain));
}

TEST(ExpositionTest, EveryFamilyOnceNoDuplicateSeries) {
  Pipeline p;
  p.poll();
  const std::string text = p.exposition.build(false)->str();
  const auto parsed = testing::parseExposition(text);
  EXPECT_EQ(parsed.duplicates, 0u);
  for (const char* family : {"rras_connection_info", "rras_up", "rras_connections"}) {
    size_t headers = 0;
    for (size_t at = 0; (at = text.find(std::string("# TYPE ") + family + " ", at)) != std::string::npos; ++at)
      ++headers;
    EXPECT_EQ(headers, 1u) << family;
  }
  EXPECT_EQ(parsed.count("rras_connection_info"), 400u);
  EXPECT_EQ(parsed.series.at("rras_up{router=\"r0\"}"), 1);
}

// Sum of rras_connection_errors_total{kind} of one router, by connection.
std::map<std::string, double> connectionErrors(const testing::ParsedExposition& parsed, const std::string& router,
                                               const std::string& kind) {
  std::map<std::string, double> out;
  const std::string kind_label = "kind=\"" + kind + "\",";
  for (const auto& [key, value] : parsed.series) {  // labels sorted: connection, kind, router, user
    if (key.rfind("rras_connection_errors_total{", 0) != 0) continue;
    if (key.find(",router=\"" + router + "\",") == std::string::npos) continue;
    const size_t at = key.find(kind_label);
    if (at == std::string::npos) continue;
    out[key.substr(0, at) + key.substr(at + kind_label.size())] = value;
  }
  return out;
}

// The per-router families a router selects, the lean default for the others; the router totals
// of the error counters equal the per-connection deltas and never go back as connections end.
TEST(ExpositionTest, PerRouterFamiliesAndExactErrorTotals) {
  Pipeline p({{"r1", ConnectionFamilies().set()}});
  p.poll();
  const auto first = testing::parseExposition(p.exposition.build(false)->str());
  p.now += 3600;  // every error-prone simulated connection gains 6 CRC errors
  p.poll();
  const auto second = testing::parseExposition(p.exposition.build(false)->str());
  EXPECT_EQ(second.count("rras_connection_info"), 400u);
  EXPECT_EQ(connectionErrors(second, "r0", "crc").size(), 0u);  // lean default: not rendered
  EXPECT_EQ(second.count("rras_connection_compression_ratio"), 2u * 200);
  for (const char* kind : {"crc", "timeout", "framing"}) {
    const auto before = connectionErrors(first, "r1", kind);
    double delta = 0;
    for (const auto& [connection, value] : connectionErrors(second, "r1", kind)) {
      const auto it = before.find(connection);
      delta += value - (it == before.end() ? 0 : it->second);
    }
    EXPECT_GT(delta, 0) << kind;
    EXPECT_EQ(second.series.at("rras_link_errors_total{kind=\"" + std::string(kind) + "\",router=\"r1\"}"), delta)
        << kind;
  }
  EXPECT_GT(second.series.at("rras_link_errors_total{kind=\"crc\",router=\"r0\"}"), 0);
  EXPECT_GT(second.series.at("rras_sent_frames_total{router=\"r0\"}"), 0);
  const double ratio = second.series.at("rras_compression_ratio{direction=\"in\",router=\"r0\"}");
  EXPECT_GT(ratio, 0);
  EXPECT_LT(ratio, 0.6);  // the simulator's ratios are 0..59 %

  // Half the connections end: the totals keep what they had.
  const double crc = second.series.at("rras_link_errors_total{kind=\"crc\",router=\"r1\"}");
  p.routers[1]->churn(100, 0);
  for (int i = 0; i < 3; ++i) {
    p.now += 30;
    p.poll();
    const auto later = testing::parseExposition(p.exposition.build(false)->str());
    EXPECT_GE(later.series.at("rras_link_errors_total{kind=\"crc\",router=\"r1\"}"), crc);
  }
}

TEST(ExpositionTest, ClosedConnectionSeriesAreGoneAfterTheNextPoll) {
  Pipeline p;
  p.poll();
  auto before = testing::parseExposition(p.exposition.build(false)->str());
  p.routers[0]->churn(50, 50);
  p.now += 30;
  p.poll();
  auto after = testing::parseExposition(p.exposition.build(false)->str());
  EXPECT_EQ(after.count("rras_connection_info"), 400u);
  size_t vanished = 0;
  for (const auto& [key, v] : before.series) {
    if (key.rfind("rras_connection_info{", 0) == 0 && !after.series.count(key)) ++vanished;
  }
  EXPECT_EQ(vanished, 50u);
  EXPECT_EQ(after.series.at("rras_connections_started_total{router=\"r0\"}"), 50);
  // Ended only once missing from two polls in a row (paging may skip a connection once).
  EXPECT_EQ(after.series.at("rras_connections_ended_total{router=\"r0\"}"), 0);
  p.now += 30;
  p.poll();
  after = testing::parseExposition(p.exposition.build(false)->str());
  EXPECT_EQ(after.series.at("rras_connections_ended_total{router=\"r0\"}"), 50);
}

TEST(ExpositionTest, StartTimesAreStableAcrossPolls) {
  Pipeline p;
  p.poll();
  auto starts = [&] {
    auto parsed = testing::parseExposition(p.exposition.build(false)->str());
    std::erase_if(parsed.series,
                  [](const auto& kv) { return kv.first.rfind("rras_connection_start_timestamp_seconds{", 0) != 0; });
    return parsed.series;
  };
  const auto first = starts();
  for (int i = 0; i < 5; ++i) {
    p.now += 29.7;  // polls that do not land on whole seconds
    p.poll();
    EXPECT_EQ(starts(), first);
  }
}

TEST(ExpositionTest, FailedRouterShowsUpZeroAndNoConnectionData) {
  MetricsStore store({"down"});
  Renderer renderer(ConnectionRenderOptions{}, Privacy(PrivacyConfig{}), store);
  Exposition exposition(store, std::make_shared<prometheus::Registry>());
  RouterSnapshot s;
  s.router = "down";
  s.up = false;
  s.error = PollError::fromCode(status::kAccessDenied, "denied");
  s.poll_errors["ERROR_ACCESS_DENIED"] = 3;
  renderer.publish(std::move(s));
  const auto parsed = testing::parseExposition(exposition.build(false)->str());
  EXPECT_EQ(parsed.series.at("rras_up{router=\"down\"}"), 0);
  EXPECT_EQ(parsed.series.at("rras_poll_errors_total{error=\"ERROR_ACCESS_DENIED\",router=\"down\"}"), 3);
  EXPECT_EQ(parsed.count("rras_connections"), 0u);
  EXPECT_EQ(parsed.count("rras_connection_info"), 0u);
  EXPECT_EQ(parsed.count("rras_ports"), 0u);
}

}  // namespace
}  // namespace rras
