// Log lines to the Windows Event Log (Application log) under the rras_exporter source, whose
// message file is the exporter itself (rras_messages.mc: one message per severity, text "%1").
#pragma once

#include <windows.h>

#include <string_view>

#include "log/logger.h"

namespace rras {

inline constexpr wchar_t kEventSourceName[] = L"rras_exporter";

class EventLogSink {
 public:
  EventLogSink();
  ~EventLogSink();
  EventLogSink(const EventLogSink&) = delete;
  EventLogSink& operator=(const EventLogSink&) = delete;

  void write(logging::Level level, std::string_view line);

 private:
  HANDLE source_;
};

}  // namespace rras
