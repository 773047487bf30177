// The golden fixture (node_exporter's e2e-output habit): the whole exposition of
// tests/fixtures/golden.yml at a fixed clock is byte-stable, so any change to the output is a
// reviewed diff of tests/fixtures/golden.prom. Regenerate with RRAS_UPDATE_GOLDEN=1.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
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

}  // namespace
}  // namespace rras
