// process_* on Windows, as client_golang's Windows collector defines them: handles stand in for
// file descriptors, the working set for resident memory and private bytes for virtual memory.
#include <windows.h>
#include <psapi.h>

#include "metrics/process_metrics.h"

namespace rras {

namespace {

double seconds(const FILETIME& t) {  // a FILETIME span: 100 ns units
  return static_cast<double>(ULARGE_INTEGER{{t.dwLowDateTime, t.dwHighDateTime}}.QuadPart) / 1e7;
}

}  // namespace

std::vector<prometheus::MetricFamily> processFamilies() {
  const HANDLE self = GetCurrentProcess();
  FILETIME created{}, exited{}, kernel{}, user{};
  PROCESS_MEMORY_COUNTERS_EX memory{};
  DWORD handles = 0;
  // K32GetProcessMemoryInfo lives in kernel32 (Windows 7+): no psapi.dll import.
  if (!GetProcessTimes(self, &created, &exited, &kernel, &user) ||
      !K32GetProcessMemoryInfo(self, reinterpret_cast<PROCESS_MEMORY_COUNTERS*>(&memory), sizeof memory) ||
      !GetProcessHandleCount(self, &handles)) {
    return {};
  }
  constexpr double kUnixEpochInFiletimeSeconds = 11644473600.0;
  return {
      processFamily("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                    seconds(kernel) + seconds(user), prometheus::MetricType::Counter),
      processFamily("process_max_fds", "Maximum number of open file descriptors.", 16777216),
      processFamily("process_open_fds", "Number of open file descriptors.", handles),
      processFamily("process_resident_memory_bytes", "Resident memory size in bytes.",
                    static_cast<double>(memory.WorkingSetSize)),
      processFamily("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                    seconds(created) - kUnixEpochInFiletimeSeconds),
      processFamily("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                    static_cast<double>(memory.PrivateUsage)),
  };
}

}  // namespace rras
