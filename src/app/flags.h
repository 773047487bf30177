// Command-line flags, Prometheus style (--name=value or --name value).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/default_config_path.h"
#include "http/acceptor.h"
#include "log/logger.h"

namespace rras {

struct Flags {
  std::string config_file = defaultConfigFile();
  bool config_check = false;
  std::vector<std::string> listen_addresses;  // default {":10473"}
  std::string web_config_file;                // --web.config.file: TLS and basic auth; "" = plain HTTP
  WebLimits web_limits;                       // --web.max-connections, --web.request-head-timeout, --web.max-requests
  logging::Level log_level = logging::Level::kInfo;
  logging::Format log_format = logging::Format::kLogfmt;
  bool poll_once = false;
  bool version = false;
  bool help = false;
};

inline constexpr char kDefaultListenAddress[] = ":10473";

// Throws std::invalid_argument with a message naming the flag.
Flags parseFlags(const std::vector<std::string>& args);
std::string usage();

}  // namespace rras
