// The wall clock as a function, so tests and the golden fixture can fix the time.
#pragma once

#include <functional>

namespace rras {

using WallClock = std::function<double()>;  // seconds since the Unix epoch

}  // namespace rras
