#include "config/config.h"

namespace rras {

bool RouterConfig::sameSettings(const RouterConfig& other) const {
  RouterConfig a = *this;
  RouterConfig b = other;
  a.location.clear();
  b.location.clear();
  return a == b;  // every other field, including ones added later
}

}  // namespace rras
