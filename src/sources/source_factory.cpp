#include "sources/source_factory.h"

#include <stdexcept>

#include "sources/simulator/simulated_router.h"

namespace rras {

std::string sourceUnavailableReason(const std::string& source) {
  if (source == "simulator") return {};
  if (source == "mprapi") return "source mprapi needs the Windows build of rras_exporter";
  if (source == "rrasm") return "source rrasm (MS-RRASM over SMB) is not part of this build yet";
  return "unknown source \"" + source + "\"";
}

std::unique_ptr<RouterApi> makeRouterApi(const RouterConfig& router, const WallClock& clock) {
  if (router.source == "simulator") return std::make_unique<SimulatedRouter>(router.simulator, clock);
  throw std::runtime_error(router.location + ": router " + router.name + ": " +
                           sourceUnavailableReason(router.source));
}

}  // namespace rras
