#include "model/duration_text.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace rras {

std::string formatDuration(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%gs", seconds);
  return buf;
}

double parseDuration(const std::string& text) {
  // Units in the order Prometheus requires them, each at most once.
  static const std::pair<std::string_view, double> kUnits[] = {
      {"y", 365 * 86400.0}, {"w", 7 * 86400.0}, {"d", 86400.0}, {"h", 3600.0}, {"m", 60.0}, {"s", 1.0}, {"ms", 0.001}};
  if (text.empty()) throw std::invalid_argument("empty duration; use a value such as 30s");
  double total = 0;
  size_t pos = 0, next_unit = 0;
  while (pos < text.size()) {
    size_t digits = pos;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == pos) break;
    uint64_t value = 0;
    if (std::from_chars(text.data() + pos, text.data() + digits, value).ec != std::errc() ||
        value > (uint64_t{1} << 53)) {
      throw std::invalid_argument("\"" + text + "\" is too long a duration");
    }
    size_t unit_end = digits;
    while (unit_end < text.size() && text[unit_end] >= 'a' && text[unit_end] <= 'z') ++unit_end;
    const std::string_view unit(text.data() + digits, unit_end - digits);
    size_t i = next_unit;
    while (i < std::size(kUnits) && kUnits[i].first != unit) ++i;
    if (i == std::size(kUnits)) break;
    total += static_cast<double>(value) * kUnits[i].second;
    next_unit = i + 1;
    pos = unit_end;
  }
  if (pos != text.size()) {
    throw std::invalid_argument("\"" + text +
                                "\" is not a duration; use units y, w, d, h, m, s, ms in that order, e.g. 1m30s");
  }
  return total;
}

}  // namespace rras
