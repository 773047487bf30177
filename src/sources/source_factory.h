// The source table: source name -> RouterApi. A new source is a new folder under sources/ and one
// entry here.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "model/wall_clock.h"
#include "router/router_api.h"

namespace rras {

// Empty when the source is built into this binary, else why not ("rrasm is not built ...").
std::string sourceUnavailableReason(const std::string& source);

// Throws std::runtime_error for a source not built into this binary.
std::unique_ptr<RouterApi> makeRouterApi(const RouterConfig& router, const WallClock& clock);

}  // namespace rras
