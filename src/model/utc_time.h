// RFC 3339 UTC timestamps from std::chrono's calendar (no gmtime_r, which Windows lacks).
#pragma once

#include <string>

namespace rras {

// "2026-11-21T08:09:20Z", or with milliseconds "2026-11-21T08:09:20.123Z".
std::string utcTimestamp(double seconds_since_epoch, bool with_milliseconds = false);

}  // namespace rras
