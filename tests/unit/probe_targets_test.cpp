// Unit tests for /probe's targets (src/probe/probe_targets.h) on the simulator source: the first
// probe starts a worker and waits for its first poll, later probes share it, refusals start
// nothing, idle targets are forgotten, and a static router polling the same server answers.
#include "probe/probe_targets.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "config/config_loader.h"

namespace rras {
namespace {

Config config(const std::string& modules_and_routers) {
  return parseConfig("global:\n  poll_interval: 30s\n  max_probe_targets: 3\n" + modules_and_routers, "test.yml");
}

const std::string kLab =
    "modules:\n"
    "  lab:\n"
    "    source: simulator\n"
    "    allowed_targets: [\"sim-*\"]\n"
    "    target_idle_timeout: 5m\n"
    "    simulator: {connections: 4}\n"
    "  other:\n"
    "    source: simulator\n"
    "    allowed_targets: [\"sim-*\"]\n"
    "  slow:\n"
    "    source: simulator\n"
    "    allowed_targets: [\"slow-*\"]\n"
    "    simulator: {faults: {hang: 1h}}\n";

WallClock wallClock() {
  return [] { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); };
}

struct Fixture {
  explicit Fixture(const Config& c)
      : static_store(names(c)),
        static_renderer(ConnectionRenderOptions{}, Privacy(PrivacyConfig{}), static_store),
        probes(
            c.modules, c.global.max_probe_targets, c.routers, static_store,
            [](MetricsStore& store) {
              return std::make_shared<Renderer>(ConnectionRenderOptions{}, Privacy(PrivacyConfig{}), store);
            },
            wallClock(), [this] { return steady.load(); }) {}
  static std::vector<std::string> names(const Config& c) {
    std::vector<std::string> out;
    for (const auto& r : c.routers) out.push_back(r.name);
    return out;
  }
  ProbeResult probe(const std::string& module, const std::string& target, double timeout = 10) {
    return probes.probe(module, target, timeout, false);
  }

  std::atomic<double> steady{1000};
  MetricsStore static_store;
  Renderer static_renderer;
  ProbeTargets probes;
};

std::string text(const ProbeResult& r) { return r.body ? r.body->str() : std::string(); }

TEST(ProbeTargets, FirstProbeWaitsForTheFirstPollAndAnswersThatTargetOnly) {
  Fixture f(config(kLab));
  const ProbeResult r = f.probe("lab", "sim-1");
  ASSERT_EQ(r.status, 200) << r.message;
  const std::string body = text(r);
  EXPECT_NE(body.find("rras_up{router=\"sim-1\"} 1"), std::string::npos) << body;
  EXPECT_NE(body.find("rras_router_info{level=\"3\",router=\"sim-1\",server=\"sim-1\",source=\"simulator\"} 1"),
            std::string::npos);
  EXPECT_NE(body.find("rras_connection_info{"), std::string::npos);
  // The exporter's own families are /metrics', not a target's.
  EXPECT_EQ(body.find("process_"), std::string::npos);
  EXPECT_EQ(body.find("rras_exporter_build_info"), std::string::npos);
  ASSERT_EQ(f.probes.targets().size(), 1u);
  EXPECT_EQ(f.probes.targets()[0].target, "sim-1");
  EXPECT_EQ(f.probes.targets()[0].module, "lab");
}

TEST(ProbeTargets, ProbesOfOneTargetShareItsWorker) {
  Fixture f(config(kLab));
  const std::string first = text(f.probe("lab", "SIM-1"));  // names are case-insensitive
  const std::string second = text(f.probe("lab", "sim-1"));
  EXPECT_EQ(f.probes.targets().size(), 1u);
  // One worker, one poll so far: both answers are the same snapshot.
  EXPECT_EQ(first, second);
}

TEST(ProbeTargets, TheTargetNameSeedsTheSimulatedData) {
  Fixture f(config(kLab));
  std::string a = text(f.probe("lab", "sim-1"));
  std::string b = text(f.probe("lab", "sim-2"));
  auto users = [](const std::string& body) {
    std::string out;
    for (size_t at = body.find("user=\""); at != std::string::npos; at = body.find("user=\"", at + 1)) {
      out += body.substr(at, body.find('"', at + 6) - at) + ";";
    }
    return out;
  };
  EXPECT_FALSE(users(a).empty());
  EXPECT_NE(users(a), users(b));
}

TEST(ProbeTargets, RefusalsStartNothing) {
  Fixture f(config(kLab));
  ProbeResult r = f.probe("lab", "evil.example");
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.message.find("not in allowed_targets of module lab"), std::string::npos) << r.message;
  r = f.probe("nope", "sim-1");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.message.find("unknown module \"nope\"; the configured modules are: lab, other, slow"), std::string::npos)
      << r.message;
  EXPECT_EQ(f.probe("", "sim-1").status, 400);
  EXPECT_EQ(f.probe("lab", "").status, 400);
  r = f.probe("lab", "sim-1/../x");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.message.find("neither a host name nor an IP address"), std::string::npos) << r.message;
  EXPECT_TRUE(f.probes.targets().empty());
}

TEST(ProbeTargets, OneModulePerTarget) {
  Fixture f(config(kLab));
  ASSERT_EQ(f.probe("lab", "sim-1").status, 200);
  const ProbeResult r = f.probe("other", "sim-1");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.message.find("already probed with module lab"), std::string::npos) << r.message;
}

TEST(ProbeTargets, LiveTargetsAreCapped) {
  Fixture f(config(kLab));  // max_probe_targets: 3
  for (const char* t : {"sim-1", "sim-2", "sim-3"}) ASSERT_EQ(f.probe("lab", t).status, 200) << t;
  const ProbeResult r = f.probe("lab", "sim-4");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.message.find("global.max_probe_targets"), std::string::npos) << r.message;
  EXPECT_EQ(f.probe("lab", "sim-2").status, 200);  // live ones still answer
}

TEST(ProbeTargets, IdleTargetsAreStoppedAndForgotten) {
  Fixture f(config(kLab));  // lab: target_idle_timeout 5m
  ASSERT_EQ(f.probe("lab", "sim-1").status, 200);
  f.steady = f.steady + 200;
  ASSERT_EQ(f.probe("lab", "sim-2").status, 200);
  f.steady = f.steady + 200;  // sim-1 idle 400 s, sim-2 200 s
  EXPECT_EQ(f.probes.expireIdle(), 1u);
  ASSERT_EQ(f.probes.targets().size(), 1u);
  EXPECT_EQ(f.probes.targets()[0].target, "sim-2");
  // A probe after that starts it again, from a first poll.
  EXPECT_EQ(f.probe("lab", "sim-1").status, 200);
  EXPECT_EQ(f.probes.targets().size(), 2u);
}

TEST(ProbeTargets, AFirstPollThatOutlastsTheScrapeTimeoutAnswers503AndGoesOn) {
  Fixture f(config(kLab));
  const auto start = std::chrono::steady_clock::now();
  const ProbeResult r = f.probe("slow", "slow-1", 0.3);
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.message.find("did not finish within the scrape timeout (0.3s)"), std::string::npos) << r.message;
  EXPECT_GE(waited, 0.3);
  EXPECT_EQ(f.probes.targets().size(), 1u);  // the worker goes on
}

TEST(ProbeTargets, AStaticRouterOfTheSameServerAnswersForIt) {
  Fixture f(config(kLab + "routers:\n"
                          "  - name: static1\n"
                          "    source: simulator\n"
                          "    server: sim-static\n"));
  EXPECT_EQ(f.probe("lab", "sim-static").status, 503);  // not polled yet
  RouterSnapshot s;
  s.router = "static1";
  s.source = "simulator";
  s.server = "sim-static";
  s.up = true;
  f.static_renderer.publish(s);
  const ProbeResult r = f.probe("lab", "SIM-static");
  ASSERT_EQ(r.status, 200) << r.message;
  EXPECT_NE(text(r).find("rras_up{router=\"static1\"} 1"), std::string::npos) << text(r);
  EXPECT_TRUE(f.probes.targets().empty());  // polled once: by the static router
}

}  // namespace
}  // namespace rras
