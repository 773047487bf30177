// RAS ports per tunnel protocol: MprAdminPortEnum level 0 (RAS_PORT_0) over the shared pager,
// counted by protocol and condition (no per-port series), and the configured ports of
// MPR_SERVER_1/2 (docs/kinds/ports.md).
#pragma once

#include "kinds/kind_table.h"

namespace rras {

KindDescriptor portsKind();

// The per-protocol counts of one poll's ports: one port added, or all of them.
void countPort(PortCounts& counts, const Port& port);
PortCounts countPorts(const std::vector<Port>& ports);

}  // namespace rras
