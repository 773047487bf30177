// POSIX entry point: SIGINT/SIGTERM stop, SIGHUP reloads the configuration.
#include <pthread.h>
#include <sys/resource.h>

#include <csignal>

#include "app/run.h"
#include "app/systemd_notify.h"
#include "log/logger.h"

namespace {

class SignalHost : public rras::ServeHost {
 public:
  void beforeServing() override {
    // Blocked before any thread starts, so only sigwait below sees them.
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
  }

  // Serving has begun: tell systemd (Type=notify), and keep its watchdog fed until the stop.
  void waitForStop(rras::Exporter& exporter, const rras::Flags& flags) override {
    rras::systemd::notifyReady("serving");
    const rras::systemd::Watchdog watchdog([&exporter] { return exporter.healthy(); });
    for (;;) {
      int sig = 0;
      sigwait(&signals_, &sig);
      if (sig == SIGHUP) {
        rras::systemd::notifyReloading();
        rras::reloadConfiguration(exporter, flags.config_file);
        rras::systemd::notifyReady("serving; configuration reloaded or kept (see the log)");
        continue;
      }
      rras::logging::info("shutting down", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
      rras::systemd::notifyStopping();
      return;
    }
  }

 private:
  sigset_t signals_{};
};

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  // As Go programs do: the soft open-file limit (often 1024) up to the hard one, so that
  // --web.max-connections, not a historical default, bounds the client connections.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  SignalHost host;
  return rras::run(std::vector<std::string>(argv + 1, argv + argc), host);
}
