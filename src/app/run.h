// The exporter's life between the platform's entry point and its wait for a stop: flags,
// logging, configuration, then --config.check, --poll-once, or serving until the platform says
// stop. The platform parts (signals on POSIX; the Service Control Manager or a console on Windows)
// implement ServeHost.
#pragma once

#include <string>
#include <vector>

#include "app/exporter.h"
#include "app/flags.h"

namespace rras {

class ServeHost {
 public:
  virtual ~ServeHost() = default;
  // Called once logging is configured from the flags (a service redirects it to the Event Log).
  virtual void loggingConfigured() {}
  // Called before the exporter starts its threads to serve.
  virtual void beforeServing() {}
  // Called once the exporter serves; returns when it must stop (it stops it afterwards). Calls
  // reloadConfiguration() when asked to reload.
  virtual void waitForStop(Exporter& exporter, const Flags& flags) = 0;
};

// Re-reads the configuration file into a running exporter; a bad file is logged and the running
// configuration kept.
void reloadConfiguration(Exporter& exporter, const std::string& file);

// Exit codes: 0 success, 1 configuration or runtime error (or a failed router with --poll-once),
// 2 bad flags.
int run(const std::vector<std::string>& args, ServeHost& host);

}  // namespace rras
