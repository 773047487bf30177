#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "metrics/process_metrics.h"

namespace rras {

namespace {

double bootTime() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime") {
      in >> value;
      return value;
    }
    in.ignore(4096, '\n');
  }
  return 0;
}

}  // namespace

std::vector<prometheus::MetricFamily> processFamilies() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return {};
  // Fields after the command name, which is in parentheses and may hold spaces.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream fields(line.substr(close + 2));
  std::string f[22];
  for (auto& field : f) fields >> field;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  // Offsets relative to field 3 (state): utime 14, stime 15, starttime 22, vsize 23, rss 24.
  const double cpu = (std::stod(f[11]) + std::stod(f[12])) / ticks;
  const double start = bootTime() + std::stod(f[19]) / ticks;
  const double vsize = std::stod(f[20]);
  const double rss = std::stod(f[21]) * page;
  double open_fds = 0;
  // Linux 6.2+ gives the count as the directory's size: one stat, where listing costs a lookup per
  // descriptor (with a thousand client connections open, most of a scrape's CPU). Older: list.
  struct stat fd_dir {};
  if (stat("/proc/self/fd", &fd_dir) == 0 && fd_dir.st_size > 0) {
    open_fds = static_cast<double>(fd_dir.st_size);
  } else {
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
      ++open_fds;
    }
  }
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  return {
      processFamily("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", cpu,
                    prometheus::MetricType::Counter),
      processFamily("process_max_fds", "Maximum number of open file descriptors.", static_cast<double>(limit.rlim_cur)),
      processFamily("process_open_fds", "Number of open file descriptors.", open_fds),
      processFamily("process_resident_memory_bytes", "Resident memory size in bytes.", rss),
      processFamily("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", start),
      processFamily("process_virtual_memory_bytes", "Virtual memory size in bytes.", vsize),
  };
}

}  // namespace rras
