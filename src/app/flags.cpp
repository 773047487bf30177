#include "app/flags.h"

#include <cmath>
#include <stdexcept>

#include "config/config_loader.h"

namespace rras {

namespace {

// A whole number from `min` to `max` for flag --`name`.
size_t parseCount(const std::string& name, const std::string& value, size_t min, size_t max) {
  size_t used = 0;
  unsigned long long n = 0;
  try {
    n = std::stoull(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (value.empty() || used != value.size() || value.front() == '-' || n < min || n > max) {
    throw std::invalid_argument("flag --" + name + ": \"" + value + "\" is not a whole number from " +
                                std::to_string(min) + " to " + std::to_string(max));
  }
  return static_cast<size_t>(n);
}

}  // namespace

std::string usage() {
  return std::string(R"(usage: rras_exporter [flags]

Prometheus exporter for Windows RRAS (Routing and Remote Access) VPN servers.

Flags:
  --config.file=PATH          configuration file (default: )" +
                     defaultConfigFile() + R"()
  --config.check              validate the configuration and exit (0 = valid)
  --web.listen-address=ADDR   address to serve on, host:port or :port; repeat for
                              several (default: :10473)
  --web.config.file=PATH      TLS and basic auth (exporter-toolkit format);
                              re-read when it changes (default: none, plain HTTP)
  --web.max-connections=N     open client connections at most; beyond it the
                              longest-waiting one without a request is closed,
                              or the new one is answered 503 (default: 1024)
  --web.request-head-timeout=DURATION
                              a client must finish the TLS handshake and send
                              its whole request head within this, or it is cut
                              off (within a quarter more, spread so clients
                              that came together are not cut off together)
                              (default: 5s)
  --web.max-requests=N        concurrent /metrics requests at most; more are
                              answered 503; 0 = no limit (default: 40)
  --log.level=LEVEL           debug, info, warn or error (default: info)
  --log.format=FORMAT         logfmt or json (default: logfmt)
  --poll-once                 poll every router once, print the exposition to
                              stdout, exit 0 only if every router succeeded
  --version                   print the version and exit
  -h, --help                  print this help and exit
)");
}

Flags parseFlags(const std::vector<std::string>& args) {
  Flags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "-h" || arg == "--help") {
      flags.help = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) {
      throw std::invalid_argument("unexpected argument \"" + arg + "\"; flags start with -- (see --help)");
    }
    std::string name = arg.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    auto take = [&]() -> std::string {
      if (has_value) return value;
      if (i + 1 >= args.size()) throw std::invalid_argument("flag --" + name + " needs a value");
      return args[++i];
    };
    auto boolean = [&](bool& target) {
      if (!has_value) {
        target = true;
        return;
      }
      if (value == "true")
        target = true;
      else if (value == "false")
        target = false;
      else
        throw std::invalid_argument("flag --" + name + " takes true or false, got \"" + value + "\"");
    };
    if (name == "config.file") {
      flags.config_file = take();
      if (flags.config_file.empty()) throw std::invalid_argument("flag --config.file must not be empty");
    } else if (name == "config.check") {
      boolean(flags.config_check);
    } else if (name == "web.listen-address") {
      flags.listen_addresses.push_back(take());
    } else if (name == "web.config.file") {
      flags.web_config_file = take();
      if (flags.web_config_file.empty()) throw std::invalid_argument("flag --web.config.file must not be empty");
    } else if (name == "web.max-connections") {
      // Each connection is a socket (a file descriptor): far beyond this, the limit is the system's.
      flags.web_limits.max_connections = parseCount(name, take(), 1, 1000000);
    } else if (name == "web.request-head-timeout") {
      const std::string v = take();
      double seconds = 0;
      try {
        seconds = parseDuration(v);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("flag --" + name + ": " + e.what());
      }
      if (seconds < 0.001 || seconds > 3600 || !std::isfinite(seconds)) {
        throw std::invalid_argument("flag --" + name + ": \"" + v + "\" must be from 1ms to 1h");
      }
      flags.web_limits.request_head_timeout = std::chrono::milliseconds(std::llround(seconds * 1000));
    } else if (name == "web.max-requests") {
      flags.web_limits.max_requests = parseCount(name, take(), 0, 1000000);
    } else if (name == "log.level") {
      const std::string v = take();
      auto level = logging::parseLevel(v);
      if (!level) throw std::invalid_argument("flag --log.level: \"" + v + "\" is not one of debug, info, warn, error");
      flags.log_level = *level;
    } else if (name == "log.format") {
      const std::string v = take();
      auto format = logging::parseFormat(v);
      if (!format) throw std::invalid_argument("flag --log.format: \"" + v + "\" is not one of logfmt, json");
      flags.log_format = *format;
    } else if (name == "poll-once") {
      boolean(flags.poll_once);
    } else if (name == "version") {
      boolean(flags.version);
    } else {
      throw std::invalid_argument("unknown flag --" + name + " (see --help)");
    }
  }
  if (flags.listen_addresses.empty()) flags.listen_addresses.push_back(kDefaultListenAddress);
  return flags;
}

}  // namespace rras
