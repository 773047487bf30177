#include "kinds/kind_table.h"

#include "kinds/interfaces/interfaces_kind.h"
#include "kinds/ports/ports_kind.h"

namespace rras {

std::span<const KindDescriptor> kindTable() {
  static const KindDescriptor kKinds[] = {
      {"connections", nullptr, nullptr, nullptr},
      {"server", nullptr, nullptr, nullptr},
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
