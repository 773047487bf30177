// rras_exporter: flags, configuration, then either --config.check, --poll-once, or serve until
// SIGINT/SIGTERM.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "app/exporter.h"
#include "app/flags.h"
#include "app/systemd_notify.h"
#include "build_info.h"
#include "config/config_loader.h"
#include "log/logger.h"

namespace {

// A bad new file is reported and the running configuration kept.
void reloadConfig(rras::Exporter& exporter, const std::string& file) {
  rras::logging::info("reloading configuration", {{"config", file}});
  try {
    exporter.reload(rras::loadConfigFile(file));
  } catch (const std::exception& e) {
    exporter.reloadFailed();
    rras::logging::error("configuration reload failed; keeping the running configuration", {{"error", e.what()}});
  }
}

int serveUntilSignal(const rras::Config& config, const rras::Flags& flags) {
  // Block the shutdown signals before any thread starts, so only sigwait below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  rras::Exporter exporter(config);
  exporter.serve(flags.listen_addresses);
  rras::logging::info("rras_exporter started", {{"version", rras::build::kVersion},
                                                 {"config", flags.config_file},
                                                 {"routers", std::to_string(config.routers.size())}});
  rras::systemd::notifyReady("serving " + std::to_string(config.routers.size()) + " router(s)");
  const rras::systemd::Watchdog watchdog;
  for (;;) {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGHUP) {
      rras::systemd::notifyReloading();
      reloadConfig(exporter, flags.config_file);
      rras::systemd::notifyReady("configuration reloaded (or kept, see the log)");
      continue;
    }
    rras::logging::info("shutting down", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
    rras::systemd::notifyStopping();
    exporter.stop();
    return 0;
  }
}

}  // namespace

int main(int argc, char** argv) {
  rras::Flags flags;
  try {
    flags = rras::parseFlags(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::invalid_argument& e) {
    std::cerr << "rras_exporter: " << e.what() << "\n";
    return 2;
  }
  if (flags.help) {
    std::cout << rras::usage();
    return 0;
  }
  if (flags.version) {
    std::cout << "rras_exporter, version " << rras::build::kVersion << " (revision: " << rras::build::kRevision
              << ")\n  build: C++" << __cplusplus / 100 % 100 << ", " << __VERSION__ << "\n";
    return 0;
  }
  rras::logging::configure(flags.log_level, flags.log_format);

  rras::Config config;
  try {
    config = rras::loadConfigFile(flags.config_file);
    rras::checkSourcesAvailable(config);
  } catch (const std::exception& e) {
    rras::logging::error("invalid configuration", {{"error", e.what()}});
    return 1;
  }
  if (flags.config_check) {
    std::cout << flags.config_file << ": OK, " << config.routers.size() << " router(s)\n";
    return 0;
  }
  try {
    if (flags.poll_once) {
      bool all_up = false;
      rras::Exporter exporter(config);
      std::cout << exporter.pollOnce(all_up);
      std::cout.flush();
      return all_up ? 0 : 1;
    }
    return serveUntilSignal(config, flags);
  } catch (const std::exception& e) {
    rras::logging::error("fatal", {{"error", e.what()}});
    return 1;
  }
}
