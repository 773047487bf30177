#include "platform/service_config_windows.h"

#include <windows.h>

#include <cstdio>
#include <utility>

#include "platform/windows_strings.h"

namespace rras {

int configureService(const std::string& name) {
  SC_HANDLE manager = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT);
  if (!manager) {
    const DWORD e = GetLastError();
    std::fprintf(stderr, "rras_exporter: OpenSCManager failed: %s (%lu)\n", win32ErrorText(e).c_str(), e);
    return static_cast<int>(e);
  }
  SC_HANDLE service = OpenServiceW(manager, utf8ToUtf16(name).c_str(), SERVICE_CHANGE_CONFIG | SERVICE_START);
  DWORD error = service ? NO_ERROR : GetLastError();
  if (service) {
    SC_ACTION actions[3] = {{SC_ACTION_RESTART, 60000}, {SC_ACTION_RESTART, 60000}, {SC_ACTION_RESTART, 60000}};
    SERVICE_FAILURE_ACTIONSW failure{};
    failure.dwResetPeriod = 86400;
    failure.cActions = 3;
    failure.lpsaActions = actions;
    if (!ChangeServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS, &failure)) error = GetLastError();
    // Vista+ settings; an SCM without them (Wine's) answers ERROR_INVALID_LEVEL: the service then
    // starts automatically without the delay, which is reported and tolerated.
    SERVICE_FAILURE_ACTIONS_FLAG on_error_exit{TRUE};  // also when it stops with an error code
    SERVICE_DELAYED_AUTO_START_INFO delayed{TRUE};
    const std::pair<DWORD, void*> optional[] = {{SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, &on_error_exit},
                                                {SERVICE_CONFIG_DELAYED_AUTO_START_INFO, &delayed}};
    for (const auto& [level, info] : optional) {
      if (error != NO_ERROR || ChangeServiceConfig2W(service, level, info)) continue;
      const DWORD e = GetLastError();
      if (e == ERROR_INVALID_LEVEL) {
        std::fprintf(stderr, "rras_exporter: this Service Control Manager does not support %s; skipped\n",
                     level == SERVICE_CONFIG_DELAYED_AUTO_START_INFO ? "delayed automatic start"
                                                                     : "failure actions on error exits");
      } else {
        error = e;
      }
    }
    CloseServiceHandle(service);
  }
  CloseServiceHandle(manager);
  if (error != NO_ERROR) {
    std::fprintf(stderr, "rras_exporter: configuring service %s failed: %s (%lu)\n", name.c_str(),
                 win32ErrorText(error).c_str(), error);
  }
  return static_cast<int>(error);
}

}  // namespace rras
