// Site-to-site (demand-dial) tunnels and the router's other interfaces: MprAdminInterfaceEnum
// level 0 (MPR_INTERFACE_0) over the shared pager, and the rras_interface* families
// (docs/kinds/interfaces.md).
#pragma once

#include "kinds/kind_table.h"

namespace rras {

KindDescriptor interfacesKind();

}  // namespace rras
