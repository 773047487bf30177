// A test tool for what Wine's sc.exe cannot do: send SERVICE_CONTROL_PARAMCHANGE, and show a
// service's start type, delayed start and failure actions.
//   service_control paramchange NAME
//   service_control show NAME   -> "start=2 delayed=1 reset=86400 actions=1:60000,1:60000,1:60000 image=..."
#include <windows.h>

#include <cstdio>
#include <cwchar>
#include <vector>

int wmain(int argc, wchar_t** argv) {
  if (argc != 3) {
    std::fwprintf(stderr, L"usage: service_control paramchange|show NAME\n");
    return 2;
  }
  SC_HANDLE manager = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT);
  SC_HANDLE service = manager ? OpenServiceW(manager, argv[2], SERVICE_PAUSE_CONTINUE | SERVICE_QUERY_CONFIG) : nullptr;
  if (!service) {
    std::fwprintf(stderr, L"cannot open service %ls: %lu\n", argv[2], GetLastError());
    return 1;
  }
  int rc = 0;
  if (wcscmp(argv[1], L"paramchange") == 0) {
    SERVICE_STATUS status{};
    if (!ControlService(service, SERVICE_CONTROL_PARAMCHANGE, &status)) {
      std::fwprintf(stderr, L"ControlService(PARAMCHANGE) failed: %lu\n", GetLastError());
      rc = 1;
    }
  } else {
    DWORD needed = 0;
    QueryServiceConfigW(service, nullptr, 0, &needed);
    std::vector<BYTE> config(needed);
    auto* qsc = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(config.data());
    SERVICE_DELAYED_AUTO_START_INFO delayed{};
    DWORD size = 0;
    std::vector<BYTE> failure(8192);
    // Each setting on its own: Wine's SCM answers ERROR_INVALID_LEVEL for some ("unsupported").
    const bool has_delayed = QueryServiceConfig2W(service, SERVICE_CONFIG_DELAYED_AUTO_START_INFO,
                                                  reinterpret_cast<BYTE*>(&delayed), sizeof delayed, &size);
    const bool has_failure = QueryServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS, failure.data(),
                                                  static_cast<DWORD>(failure.size()), &size);
    if (!QueryServiceConfigW(service, qsc, needed, &needed)) {
      std::fwprintf(stderr, L"QueryServiceConfig failed: %lu\n", GetLastError());
      rc = 1;
    } else {
      std::wprintf(L"start=%lu delayed=", qsc->dwStartType);
      if (has_delayed)
        std::wprintf(L"%d", delayed.fDelayedAutostart);
      else
        std::wprintf(L"unsupported");
      std::wprintf(L" actions=");
      if (has_failure) {
        const auto* fa = reinterpret_cast<SERVICE_FAILURE_ACTIONSW*>(failure.data());
        for (DWORD i = 0; i < fa->cActions; ++i) {
          std::wprintf(L"%ls%d:%lu", i ? L"," : L"", fa->lpsaActions[i].Type, fa->lpsaActions[i].Delay);
        }
        std::wprintf(L" reset=%lu", fa->dwResetPeriod);
      } else {
        std::wprintf(L"unsupported");
      }
      std::wprintf(L" image=%ls\n", qsc->lpBinaryPathName);
    }
  }
  CloseServiceHandle(service);
  CloseServiceHandle(manager);
  return rc;
}
