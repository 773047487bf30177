// How Samba's answers map onto the codes the MprAdmin calls return (router/api_status.h), so the
// Enumerator treats a remote router exactly like mprapi.dll would present it. Pure: no Samba.
#pragma once

#include <cstdint>

#include "router/api_status.h"

namespace rras::rrasm {

// `nt_status` from the transport; `fault_code` when the server answered with a DCE/RPC fault.
ApiCode apiCodeFromTransport(uint32_t nt_status, uint32_t fault_code);

}  // namespace rras::rrasm
