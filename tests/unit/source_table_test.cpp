// The source table: every source has one row, owns its keys alone, and the config loader takes
// its names, keys and checks from the table.
#include "sources/source_table.h"

#include <gtest/gtest.h>

#include <set>

#include "config/config_loader.h"

namespace rras {
namespace {

TEST(SourceTableTest, EverySourceHasOneRowAndItsOwnKeys) {
  std::set<std::string_view> names, keys;
  for (const auto& s : sourceTable()) {
    EXPECT_TRUE(names.insert(s.name).second) << s.name;
    EXPECT_NE(s.read, nullptr) << s.name;  // configurations are checked the same in every build
    EXPECT_TRUE(s.make != nullptr || !s.unavailable.empty()) << s.name << " neither built nor says why";
    for (auto k : s.keys) EXPECT_TRUE(keys.insert(k).second) << "key " << k << " claimed twice";
  }
  EXPECT_EQ(names, (std::set<std::string_view>{"simulator", "mprapi", "rrasm"}));
  EXPECT_NE(findSource("simulator")->make, nullptr);  // built everywhere
  EXPECT_EQ(findSource("nope"), nullptr);
  EXPECT_EQ(sourceUnavailableReason("nope"), "unknown source \"nope\"");
}

std::string errorOf(const std::string& yaml) {
  try {
    parseConfig(yaml, "t.yml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(SourceTableTest, TheLoaderNamesTheTablesSourcesAndRefusesAnotherSourcesKeys) {
  EXPECT_EQ(errorOf("routers:\n  - {name: a, source: snmp}\n"),
            "t.yml:2:23: routers[a].source: \"snmp\" is not one of: simulator, mprapi, rrasm");
  for (const auto& s : sourceTable()) {
    for (auto key : s.keys) {
      const std::string other = s.name == "simulator" ? "mprapi" : "simulator";
      const std::string err =
          errorOf("routers:\n  - name: a\n    source: " + other + "\n    " + std::string(key) + ": x\n");
      EXPECT_NE(err.find("only allowed with source: " + std::string(s.name)), std::string::npos) << key << ": " << err;
    }
  }
}

}  // namespace
}  // namespace rras
