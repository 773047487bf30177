#include "model/utc_time.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace rras {

std::string utcTimestamp(double seconds_since_epoch, bool with_milliseconds) {
  using namespace std::chrono;
  const auto ms_total = static_cast<int64_t>(std::floor(seconds_since_epoch * 1000.0));
  const sys_time<milliseconds> t{std::chrono::milliseconds(ms_total)};
  const auto day = floor<days>(t);
  const year_month_day date{day};
  const hh_mm_ss<std::chrono::milliseconds> time{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  std::string out = buf;
  if (with_milliseconds) {
    std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(time.subseconds().count()));
    out += buf;
  }
  return out + "Z";
}

}  // namespace rras
