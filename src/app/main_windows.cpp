// Windows entry point: under the Service Control Manager the exporter is a service (stop and
// shutdown stop it, param-change reloads the configuration, logs go to the Event Log); started by
// hand it runs in the console until Ctrl+C, logging to the console.
#include <windows.h>
#include <tlhelp32.h>

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/run.h"
#include "log/logger.h"
#include "platform/event_log_windows.h"
#include "platform/service_config_windows.h"
#include "platform/windows_strings.h"

namespace {

std::vector<std::string> g_args;  // wmain's arguments, UTF-8
std::atomic<int> g_service_exit{0};

// Set by the console Ctrl handler or the service control handler.
HANDLE g_stop_event = nullptr;
HANDLE g_reload_event = nullptr;

class ConsoleHost : public rras::ServeHost {
 public:
  void waitForStop(rras::Exporter&, const rras::Flags&) override {
    WaitForSingleObject(g_stop_event, INFINITE);
    rras::logging::info("shutting down", {{"reason", "console control event"}});
  }
};

BOOL WINAPI consoleHandler(DWORD event) {
  switch (event) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT:
    case CTRL_SHUTDOWN_EVENT:
      SetEvent(g_stop_event);
      return TRUE;
    default:
      return FALSE;
  }
}

class ServiceHost : public rras::ServeHost {
 public:
  explicit ServiceHost(SERVICE_STATUS_HANDLE handle) : handle_(handle) {}

  void report(DWORD state, DWORD exit_code = NO_ERROR, DWORD wait_hint_ms = 0) {
    SERVICE_STATUS status{};
    status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    status.dwCurrentState = state;
    status.dwControlsAccepted =
        state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN | SERVICE_ACCEPT_PARAMCHANGE : 0;
    if (exit_code != NO_ERROR) {
      status.dwWin32ExitCode = ERROR_SERVICE_SPECIFIC_ERROR;
      status.dwServiceSpecificExitCode = exit_code;
    }
    status.dwCheckPoint = (state == SERVICE_RUNNING || state == SERVICE_STOPPED) ? 0 : ++checkpoint_;
    status.dwWaitHint = wait_hint_ms;
    SetServiceStatus(handle_, &status);
  }

  void loggingConfigured() override {
    sink_ = std::make_shared<rras::EventLogSink>();
    auto sink = sink_;
    rras::logging::setSink([sink](rras::logging::Level level, std::string_view line) { sink->write(level, line); });
  }

  void waitForStop(rras::Exporter& exporter, const rras::Flags& flags) override {
    report(SERVICE_RUNNING);
    const HANDLE events[] = {g_stop_event, g_reload_event};
    for (;;) {
      const DWORD which = WaitForMultipleObjects(2, events, FALSE, INFINITE);
      if (which == WAIT_OBJECT_0 + 1) {
        rras::reloadConfiguration(exporter, flags.config_file);
        continue;
      }
      rras::logging::info("shutting down", {{"reason", "service stop"}});
      // Shutdown waits for polls in flight up to their cancellation (a few seconds).
      report(SERVICE_STOP_PENDING, NO_ERROR, 10000);
      return;
    }
  }

  ~ServiceHost() override { rras::logging::setSink(nullptr); }

 private:
  SERVICE_STATUS_HANDLE handle_;
  DWORD checkpoint_ = 0;
  std::shared_ptr<rras::EventLogSink> sink_;
};

DWORD WINAPI serviceControl(DWORD control, DWORD, void*, void*) {
  switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
      SetEvent(g_stop_event);
      return NO_ERROR;
    case SERVICE_CONTROL_PARAMCHANGE:
      SetEvent(g_reload_event);
      return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
      return NO_ERROR;
    default:
      return ERROR_CALL_NOT_IMPLEMENTED;
  }
}

void WINAPI serviceMain(DWORD argc, wchar_t** argv) {
  SERVICE_STATUS_HANDLE handle =
      RegisterServiceCtrlHandlerExW(argc > 0 ? argv[0] : rras::kEventSourceName, serviceControl, nullptr);
  if (!handle) return;
  ServiceHost host(handle);
  host.report(SERVICE_START_PENDING, NO_ERROR, 30000);
  // The image path's arguments, then those given to this start (`sc start NAME --flag`).
  std::vector<std::string> args = g_args;
  for (DWORD i = 1; i < argc; ++i) args.push_back(rras::utf16ToUtf8(argv[i], wcslen(argv[i])));
  const int code = rras::run(args, host);
  g_service_exit = code;
  host.report(SERVICE_STOPPED, static_cast<DWORD>(code));
}

// Started by the Service Control Manager: our parent is services.exe. Decided before calling the
// dispatcher, because Wine hands a hand-started process any service start that is pending.
bool startedBySCM() {
  HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snapshot == INVALID_HANDLE_VALUE) return false;
  PROCESSENTRY32W entry{};
  entry.dwSize = sizeof entry;
  DWORD parent = 0;
  const DWORD self = GetCurrentProcessId();
  for (BOOL ok = Process32FirstW(snapshot, &entry); ok; ok = Process32NextW(snapshot, &entry)) {
    if (entry.th32ProcessID == self) parent = entry.th32ParentProcessID;
  }
  bool scm = false;
  entry.dwSize = sizeof entry;
  for (BOOL ok = Process32FirstW(snapshot, &entry); ok && parent != 0; ok = Process32NextW(snapshot, &entry)) {
    if (entry.th32ProcessID == parent) scm = _wcsicmp(entry.szExeFile, L"services.exe") == 0;
  }
  CloseHandle(snapshot);
  return scm;
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  for (int i = 1; i < argc; ++i) g_args.push_back(rras::utf16ToUtf8(argv[i], wcslen(argv[i])));
  // Installer step (the MSI's custom action), not a way to run the exporter.
  constexpr std::string_view kConfigure = "--service.configure=";
  if (g_args.size() == 1 && g_args[0].rfind(kConfigure, 0) == 0) {
    return rras::configureService(g_args[0].substr(kConfigure.size()));
  }
  g_stop_event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  g_reload_event = CreateEventW(nullptr, FALSE, FALSE, nullptr);

  wchar_t name[] = L"rras_exporter";  // ignored for SERVICE_WIN32_OWN_PROCESS
  const SERVICE_TABLE_ENTRYW table[] = {{name, serviceMain}, {nullptr, nullptr}};
  if (startedBySCM()) {
    if (StartServiceCtrlDispatcherW(table)) return g_service_exit;
    return static_cast<int>(GetLastError());
  }

  // Started by hand: a console program.
  SetConsoleOutputCP(CP_UTF8);
  SetConsoleCtrlHandler(consoleHandler, TRUE);
  ConsoleHost host;
  return rras::run(g_args, host);
}
