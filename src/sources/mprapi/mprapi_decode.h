// RAS_CONNECTION_0..3 and RAS_CONNECTION_EX (mprapi.h, native layout) to portable Connection
// records, MPR_INTERFACE_0 to RouterInterface and RAS_PORT_0 to Port. Every WCHAR array is read
// within its declared size, terminated or not.
#pragma once

#include <windows.h>
#include <mprapi.h>

#include "model/connection.h"
#include "model/port.h"
#include "model/router_interface.h"

namespace rras {

Connection decodeConnection0(const RAS_CONNECTION_0& in);
Connection decodeConnection1(const RAS_CONNECTION_1& in);
Connection decodeConnection2(const RAS_CONNECTION_2& in);
Connection decodeConnection3(const RAS_CONNECTION_3& in);
Connection decodeConnectionEx(const RAS_CONNECTION_EX& in);
RouterInterface decodeInterface0(const MPR_INTERFACE_0& in);
Port decodePort0(const RAS_PORT_0& in);

}  // namespace rras
