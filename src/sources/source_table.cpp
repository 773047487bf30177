#include "sources/source_table.h"

#include <stdexcept>

namespace rras {

// Defined in each source's folder.
SourceDescriptor simulatorSource();
SourceDescriptor mprapiSource();
SourceDescriptor rrasmSource();

std::span<const SourceDescriptor> sourceTable() {
  static const SourceDescriptor kSources[] = {simulatorSource(), mprapiSource(), rrasmSource()};
  return kSources;
}

const SourceDescriptor* findSource(std::string_view name) {
  for (const auto& s : sourceTable()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string sourceUnavailableReason(const std::string& source) {
  const SourceDescriptor* s = findSource(source);
  if (s == nullptr) return "unknown source \"" + source + "\"";
  return s->make ? std::string() : std::string(s->unavailable);
}

std::unique_ptr<RouterApi> makeRouterApi(const RouterTarget& router, const WallClock& clock) {
  const SourceDescriptor* s = findSource(router.source);
  if (s == nullptr || s->make == nullptr) {
    throw std::runtime_error(router.location + ": router " + router.name + ": " +
                             sourceUnavailableReason(router.source));
  }
  try {
    return s->make(router, clock);
  } catch (const std::exception& e) {
    throw std::runtime_error(router.location + ": router " + router.name + ": " + e.what());
  }
}

}  // namespace rras
