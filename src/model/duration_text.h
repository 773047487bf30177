// Prometheus-style durations ("30s", "1m30s", "500ms") as the configuration reads them and as
// messages show them.
#pragma once

#include <string>

namespace rras {

// Prometheus-style duration ("30s", "1m30s", "500ms", "2h"); throws std::invalid_argument.
double parseDuration(const std::string& text);
// "20s", "0.5s", "86400s": how messages show a duration.
std::string formatDuration(double seconds);

}  // namespace rras
