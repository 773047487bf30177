#include "app/run.h"

#include <iostream>
#include <stdexcept>

#include "build_info.h"
#include "config/config_loader.h"
#include "http/web_security.h"
#include "log/logger.h"

namespace rras {

void reloadConfiguration(Exporter& exporter, const std::string& file) {
  logging::info("reloading configuration", {{"config", file}});
  try {
    exporter.reload(loadConfigFile(file));
  } catch (const std::exception& e) {
    exporter.reloadFailed();
    logging::error("configuration reload failed; keeping the running configuration", {{"error", e.what()}});
  }
}

int run(const std::vector<std::string>& args, ServeHost& host) {
  Flags flags;
  try {
    flags = parseFlags(args);
  } catch (const std::invalid_argument& e) {
    std::cerr << "rras_exporter: " << e.what() << "\n";
    return 2;
  }
  if (flags.help) {
    std::cout << usage();
    return 0;
  }
  if (flags.version) {
    std::cout << "rras_exporter, version " << build::kVersion << " (revision: " << build::kRevision << ")\n  build: C++"
              << __cplusplus / 100 % 100 << ", " << __VERSION__ << "\n";
    return 0;
  }
  logging::configure(flags.log_level, flags.log_format);
  host.loggingConfigured();

  Config config;
  try {
    config = loadConfigFile(flags.config_file);
    checkSourcesAvailable(config);
  } catch (const std::exception& e) {
    logging::error("invalid configuration", {{"error", e.what()}});
    return 1;
  }
  std::shared_ptr<WebSecurity> security;
  if (!flags.web_config_file.empty()) {
    try {
      security = std::make_shared<WebSecurity>(flags.web_config_file);
    } catch (const std::exception& e) {
      logging::error("invalid web configuration", {{"error", e.what()}});
      return 1;
    }
  }
  if (flags.config_check) {
    std::cout << flags.config_file << ": OK, " << config.routers.size() << " router(s)\n";
    return 0;
  }
  try {
    Exporter exporter(config);
    if (flags.poll_once) {
      bool all_up = false;
      std::cout << exporter.pollOnce(all_up);
      std::cout.flush();
      return all_up ? 0 : 1;
    }
    host.beforeServing();
    exporter.serve(flags.listen_addresses, security, flags.web_limits);
    logging::info("rras_exporter started", {{"version", build::kVersion},
                                            {"config", flags.config_file},
                                            {"routers", std::to_string(config.routers.size())}});
    host.waitForStop(exporter, flags);
    exporter.stop();
    logging::info("rras_exporter stopped");
    return 0;
  } catch (const std::exception& e) {
    logging::error("fatal", {{"error", e.what()}});
    return 1;
  }
}

}  // namespace rras
