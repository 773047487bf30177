// Reload while serving: unchanged routers keep polling with their counters, changed and removed
// ones restart or go, a bad configuration changes nothing, and the reload gauges tell which.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <functional>
#include <optional>
#include <thread>

#include "app/exporter.h"
#include "config/config_loader.h"
#include "exposition_parser.h"

namespace rras {
namespace {

std::string configText(const std::string& routers, const std::string& usernames = "plain") {
  return "global:\n  poll_interval: 100ms\n  privacy: {usernames: " + usernames + "}\nrouters:\n" + routers;
}

const std::string kSteady =
    "  - {name: steady, source: simulator, simulator: {connections: 30, churn_per_minute: 600, seed: 1}}\n";
const std::string kOld = "  - {name: changes, source: simulator, simulator: {connections: 10, seed: 2}}\n";
const std::string kNew = "  - {name: changes, source: simulator, simulator: {connections: 20, seed: 2}}\n";
const std::string kGone = "  - {name: gone, source: simulator, simulator: {connections: 5, seed: 3}}\n";
const std::string kAdded = "  - {name: added, source: simulator, simulator: {connections: 7, seed: 4}}\n";

// The sum of a family's series for one router; nullopt when it has none.
std::optional<double> total(const testing::ParsedExposition& parsed, const std::string& family,
                            const std::string& router) {
  std::optional<double> sum;
  for (const auto& [key, value] : parsed.series) {
    if (key.rfind(family + "{", 0) == 0 && key.find("router=\"" + router + "\"") != std::string::npos) {
      sum = sum.value_or(0) + value;
    }
  }
  return sum;
}

struct Running {
  Exporter exporter;
  std::unique_ptr<httplib::Client> client;

  explicit Running(const std::string& text) : exporter(parseConfig(text, "test.yml")) {
    exporter.serve({"127.0.0.1:0"});
    client = std::make_unique<httplib::Client>("127.0.0.1", exporter.http()->boundPorts().at(0));
  }
  testing::ParsedExposition scrape() {
    auto res = client->Get("/metrics");
    EXPECT_TRUE(res);
    return testing::parseExposition(res ? res->body : "");
  }
  // Waits until the router has series of the family and their sum satisfies `ok`, for at most 5 s.
  double waitFor(const std::string& family, const std::string& router, const std::function<bool(double)>& ok) {
    for (int i = 0; i < 100; ++i) {
      const auto sum = total(scrape(), family, router);
      if (sum && ok(*sum)) return *sum;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "timed out waiting for " << family << " of " << router;
    return -1;
  }
};

const auto any = [](double) { return true; };

TEST(ExporterReloadTest, UnchangedRoutersKeepCountersOthersRestartOrGo) {
  Running r(configText(kSteady + kOld + kGone));
  const double started_before = r.waitFor("rras_connections_started_total", "steady", [](double v) { return v > 30; });
  r.waitFor("rras_connections", "changes", [](double v) { return v == 10; });
  r.waitFor("rras_up", "gone", any);

  r.exporter.reload(parseConfig(configText(kNew + kSteady + kAdded), "test.yml"));
  const auto after = r.scrape();
  EXPECT_FALSE(total(after, "rras_up", "gone")) << "a removed router's series must go at once";
  if (const auto changed = total(after, "rras_connections", "changes")) {
    EXPECT_EQ(*changed, 20) << "old data of a changed router";
  }
  // The unchanged router kept its counters: the total only grows.
  EXPECT_GE(*total(after, "rras_connections_started_total", "steady"), started_before);
  r.waitFor("rras_connections", "changes", [](double v) { return v == 20; });
  r.waitFor("rras_connections", "added", [](double v) { return v == 7; });
  EXPECT_EQ(r.scrape().series.at("rras_exporter_config_last_reload_successful{}"), 1);
}

TEST(ExporterReloadTest, UnusableConfigurationChangesNothing) {
  Running r(configText(kSteady));
  r.waitFor("rras_up", "steady", any);
#ifdef _WIN32
  const std::string unavailable = "  - {name: remote, source: rrasm, server: vpn1, kerberos: true}\n";
#else
  const std::string unavailable = "  - {name: remote, source: mprapi}\n";
#endif
  const Config valid_but_unusable = parseConfig(configText(kAdded + unavailable), "test.yml");
  EXPECT_THROW(r.exporter.reload(valid_but_unusable), std::runtime_error);
  const auto after = r.scrape();
  EXPECT_EQ(after.series.at("rras_exporter_config_last_reload_successful{}"), 0);
  EXPECT_FALSE(total(after, "rras_up", "added"));
  const double before = *total(after, "rras_connections_started_total", "steady");
  r.waitFor("rras_connections_started_total", "steady", [&](double v) { return v > before; });
}

TEST(ExporterReloadTest, GlobalChangeRestartsEveryRouterWithTheNewSettings) {
  Running r(configText(kSteady));
  r.waitFor("rras_up", "steady", any);
  EXPECT_GT(r.scrape().count("rras_connection_info"), 0u);
  r.exporter.reload(parseConfig(configText(kSteady, "omit"), "test.yml"));
  // Usernames are omitted from now on: once the restarted router has published, every user label
  // is empty (the wait is generous: sanitizer builds on a loaded machine poll slowly).
  size_t named = 0;
  size_t info = 0;
  for (int i = 0; i < 300; ++i) {
    const auto after = r.scrape();
    info = after.count("rras_connection_info");
    named = 0;
    for (const auto& [series, value] : after.series) {
      if (series.find("user=") != std::string::npos && series.find("user=\"\"") == std::string::npos) ++named;
    }
    if (info > 0 && named == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GT(info, 0u);
  EXPECT_EQ(named, 0u) << "series still carry a user name after the reload to usernames: omit";
}

}  // namespace
}  // namespace rras
