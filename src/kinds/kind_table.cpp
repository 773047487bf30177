#include "kinds/kind_table.h"

#include <algorithm>

#include "kinds/interfaces/interfaces_kind.h"
#include "kinds/ports/ports_kind.h"

namespace rras {

uint32_t CollectContext::prefMaxLen(uint32_t wire_size, uint32_t native_size) const {
  if (page_size_bytes < 0) return kPrefMaxAll;
  // Fewer bytes than one entry would make the router answer zero entries forever.
  return static_cast<uint32_t>(
      std::clamp<int64_t>(page_size_bytes, std::max(wire_size, native_size), int64_t{0xFFFFFFFE}));
}

std::span<const KindDescriptor> kindTable() {
  static const KindDescriptor kKinds[] = {
      {"connections", "docs/metrics.md", nullptr, nullptr},
      {"server", "docs/metrics.md", nullptr, nullptr},
      interfacesKind(),
      portsKind(),
  };
  return kKinds;
}

const KindDescriptor* findKind(std::string_view name) {
  for (const auto& k : kindTable()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

}  // namespace rras
