// The golden fixture (node_exporter's e2e-output habit): the whole exposition of
// tests/fixtures/golden.yml at a fixed clock is byte-stable, so any change to the output is a
// reviewed diff of tests/fixtures/golden.prom. Regenerate with RRAS_UPDATE_GOLDEN=1.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "app/exporter.h"
#include "config/config_loader.h"

namespace rras {
namespace {

// Lines that depend on the machine or the moment rather than on the routers.
bool machineDependent(const std::string& line) {
  for (const char* prefix : {"process_", "# HELP process_", "# TYPE process_", "rras_poll_duration_seconds{",
                             "rras_collector_duration_seconds{", "rras_exporter_build_info{"}) {
    if (line.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

TEST(GoldenExpositionTest, EveryLevelAtAFixedClock) {
  const std::string root = RRAS_SOURCE_DIR;
  const Config config = loadConfigFile(root + "/tests/fixtures/golden.yml");
  Exporter exporter(config, [] { return 1'800'000'000.0; });
  bool all_up = true;
  std::istringstream text(exporter.pollOnce(all_up));
  EXPECT_FALSE(all_up);  // two routers fail on purpose
  std::string stable, line;
  while (std::getline(text, line)) {
    if (!machineDependent(line)) stable += line + "\n";
  }
  const std::string fixture = root + "/tests/fixtures/golden.prom";
  if (std::getenv("RRAS_UPDATE_GOLDEN")) {
    std::ofstream(fixture, std::ios::binary) << stable;
    GTEST_SKIP() << "fixture rewritten: " << fixture;
  }
  std::ifstream in(fixture, std::ios::binary);
  ASSERT_TRUE(in) << "missing " << fixture << "; run with RRAS_UPDATE_GOLDEN=1 to create it";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(stable, expected.str()) << "the exposition changed; review it and regenerate with RRAS_UPDATE_GOLDEN=1";
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// docs/metrics.md and what the exporter serves list the same rras_* families, so the list is not
// kept by hand in two places: the golden fixture (every kind, every level) is the served side.
TEST(GoldenExpositionTest, DocumentedFamiliesAreTheServedFamilies) {
  const std::string root = RRAS_SOURCE_DIR;
  std::set<std::string> served, documented;
  std::istringstream golden(readFile(root + "/tests/fixtures/golden.prom"));
  for (std::string line; std::getline(golden, line);) {
    if (line.rfind("# TYPE rras_", 0) == 0) served.insert(line.substr(7, line.find(' ', 7) - 7));
  }
  // A table row whose first cell is a metric name: | `rras_xxx` | ...
  std::istringstream doc(readFile(root + "/docs/metrics.md"));
  for (std::string line; std::getline(doc, line);) {
    if (line.rfind("| `rras_", 0) != 0) continue;
    documented.insert(line.substr(3, line.find('`', 3) - 3));
  }
  ASSERT_FALSE(served.empty());
  for (const auto& name : served)
    EXPECT_TRUE(documented.count(name)) << name << " is served but not in docs/metrics.md";
  for (const auto& name : documented) {
    EXPECT_TRUE(served.count(name)) << name << " is in docs/metrics.md but the golden exposition has no such family";
  }
}

}  // namespace
}  // namespace rras
