// POSIX entry point: SIGINT/SIGTERM stop, SIGHUP reloads the configuration.
#include <csignal>
#include <pthread.h>

#include "app/run.h"
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

  void waitForStop(rras::Exporter& exporter, const rras::Flags& flags) override {
    for (;;) {
      int sig = 0;
      sigwait(&signals_, &sig);
      if (sig == SIGHUP) {
        rras::reloadConfiguration(exporter, flags.config_file);
        continue;
      }
      rras::logging::info("shutting down", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
      return;
    }
  }

 private:
  sigset_t signals_{};
};

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  SignalHost host;
  return rras::run(std::vector<std::string>(argv + 1, argv + argc), host);
}
