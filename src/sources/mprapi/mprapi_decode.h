// RAS_CONNECTION_0..3 and RAS_CONNECTION_EX (mprapi.h, native layout) to portable Connection
// records. Every WCHAR array is read within its declared size, terminated or not.
#pragma once

#include <windows.h>
#include <mprapi.h>

#include "model/connection.h"

namespace rras {

Connection decodeConnection0(const RAS_CONNECTION_0& in);
Connection decodeConnection1(const RAS_CONNECTION_1& in);
Connection decodeConnection2(const RAS_CONNECTION_2& in);
Connection decodeConnection3(const RAS_CONNECTION_3& in);
Connection decodeConnectionEx(const RAS_CONNECTION_EX& in);

}  // namespace rras
