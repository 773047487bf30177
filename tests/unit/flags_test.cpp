#include "app/flags.h"

#include <gtest/gtest.h>

namespace rras {
namespace {

TEST(FlagsTest, DefaultsAndValues) {
  Flags f = parseFlags({});
  EXPECT_EQ(f.config_file, defaultConfigFile());
#ifdef _WIN32
  EXPECT_NE(f.config_file.find("\\rras_exporter\\rras_exporter.yml"), std::string::npos) << f.config_file;
#else
  EXPECT_EQ(f.config_file, "rras_exporter.yml");
#endif
  EXPECT_EQ(f.listen_addresses, std::vector<std::string>{":10473"});
  f = parseFlags({"--config.file=a.yml", "--web.listen-address", "127.0.0.1:1", "--web.listen-address=:2",
                  "--log.level=debug", "--log.format", "json", "--poll-once", "--config.check=false"});
  EXPECT_EQ(f.config_file, "a.yml");
  EXPECT_EQ(f.listen_addresses, (std::vector<std::string>{"127.0.0.1:1", ":2"}));
  EXPECT_EQ(f.log_level, logging::Level::kDebug);
  EXPECT_EQ(f.log_format, logging::Format::kJson);
  EXPECT_TRUE(f.poll_once);
  EXPECT_FALSE(f.config_check);
}

TEST(FlagsTest, BadFlagsNameTheProblem) {
  auto message = [](std::vector<std::string> args) {
    try {
      parseFlags(args);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({"--bogus"}).find("unknown flag --bogus"), std::string::npos);
  EXPECT_NE(message({"--log.level=loud"}).find("\"loud\""), std::string::npos);
  EXPECT_NE(message({"--log.format=xml"}).find("logfmt, json"), std::string::npos);
  EXPECT_NE(message({"--config.file"}).find("needs a value"), std::string::npos);
  EXPECT_NE(message({"stray"}).find("unexpected argument"), std::string::npos);
  EXPECT_NE(message({"--poll-once=maybe"}).find("true or false"), std::string::npos);
}

TEST(FlagsTest, WebConfigFile) {
  EXPECT_EQ(parseFlags({}).web_config_file, "");
  EXPECT_EQ(parseFlags({"--web.config.file=web.yml"}).web_config_file, "web.yml");
  EXPECT_EQ(parseFlags({"--web.config.file", "w.yml"}).web_config_file, "w.yml");
  EXPECT_THROW(parseFlags({"--web.config.file="}), std::invalid_argument);
}

TEST(FlagsTest, WebLimits) {
  const Flags d = parseFlags({});
  EXPECT_EQ(d.web_limits.max_connections, 1024u);
  EXPECT_EQ(d.web_limits.request_head_timeout, std::chrono::seconds(5));
  EXPECT_EQ(d.web_limits.max_requests, 40u);
  const Flags f =
      parseFlags({"--web.max-connections=50", "--web.request-head-timeout", "1m30s", "--web.max-requests=0"});
  EXPECT_EQ(f.web_limits.max_connections, 50u);
  EXPECT_EQ(f.web_limits.request_head_timeout, std::chrono::seconds(90));
  EXPECT_EQ(f.web_limits.max_requests, 0u);  // no limit, as node_exporter
  EXPECT_EQ(parseFlags({"--web.request-head-timeout=250ms"}).web_limits.request_head_timeout,
            std::chrono::milliseconds(250));

  auto message = [](std::vector<std::string> args) {
    try {
      parseFlags(args);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  for (const char* bad : {"--web.max-connections=0", "--web.max-connections=-3", "--web.max-connections=10x",
                          "--web.max-connections=", "--web.max-connections=99999999999999999999"}) {
    EXPECT_NE(message({bad}).find("flag --web.max-connections: "), std::string::npos) << bad << ": " << message({bad});
  }
  EXPECT_NE(message({"--web.max-requests=-1"}).find("flag --web.max-requests: \"-1\" is not a whole number"),
            std::string::npos);
  EXPECT_NE(message({"--web.request-head-timeout=5"}).find("flag --web.request-head-timeout: "), std::string::npos);
  EXPECT_NE(message({"--web.request-head-timeout=0s"}).find("must be from 1ms to 1h"), std::string::npos);
  EXPECT_NE(message({"--web.request-head-timeout=2h"}).find("must be from 1ms to 1h"), std::string::npos);
}

}  // namespace
}  // namespace rras
