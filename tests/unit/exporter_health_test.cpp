// What the service manager's watchdog asks: healthy while serving and polling, not after a stop.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "app/exporter.h"
#include "config/config_loader.h"

namespace rras {
namespace {

TEST(ExporterHealthTest, HealthyWhileServingNotBeforeNorAfter) {
  Exporter exporter(parseConfig("routers:\n  - {name: a, source: simulator}\n", "test.yml"));
  EXPECT_FALSE(exporter.healthy());  // not serving yet
  exporter.serve({"127.0.0.1:0"});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // a few watchdog rounds
  EXPECT_TRUE(exporter.healthy());
  exporter.stop();
  EXPECT_FALSE(exporter.healthy());
}

}  // namespace
}  // namespace rras
