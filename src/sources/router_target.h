// Which router a source reaches and how: the part of a router entry the source table's rows read
// (each source its own keys) and make their RouterApi from. How often and what to read sits above
// it, in config/config.h (RouterConfig).
#pragma once

#include <string>

#include "sources/rrasm/rrasm_config.h"
#include "sources/simulator/simulator_config.h"

namespace rras {

struct RouterTarget {
  std::string name;
  std::string source;  // simulator, mprapi, rrasm
  std::string server;  // "" = local machine (mprapi)
  SimulatorConfig simulator;
  RrasmConfig rrasm;  // source: rrasm only
  // Test-only: load this DLL instead of %SystemRoot%\System32\mprapi.dll (source mprapi).
  std::string mprapi_dll_path;
  std::string location;  // "file:line:column" of the router entry, for messages
  bool operator==(const RouterTarget&) const = default;
};

}  // namespace rras
