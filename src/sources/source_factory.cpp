#include "sources/source_factory.h"

#include <stdexcept>

#include "sources/simulator/simulated_router.h"
#ifdef RRAS_HAVE_MPRAPI
#include "sources/mprapi/mprapi_router.h"
#endif
#ifdef RRAS_WITH_RRASM
#include "sources/rrasm/rrasm_router.h"
#endif

namespace rras {

std::string sourceUnavailableReason(const std::string& source) {
  if (source == "simulator") return {};
#ifdef RRAS_HAVE_MPRAPI
  if (source == "mprapi") return {};
#else
  if (source == "mprapi") return "source mprapi needs the Windows build of rras_exporter";
#endif
#ifdef RRAS_WITH_RRASM
  if (source == "rrasm") return {};
#else
  if (source == "rrasm") return "source rrasm (MS-RRASM over SMB) needs the Linux build with Samba (RRAS_WITH_RRASM)";
#endif
  return "unknown source \"" + source + "\"";
}

std::unique_ptr<RouterApi> makeRouterApi(const RouterConfig& router, const WallClock& clock) {
  if (router.source == "simulator") return std::make_unique<SimulatedRouter>(router.simulator, clock);
#ifdef RRAS_HAVE_MPRAPI
  if (router.source == "mprapi") {
    try {
      return std::make_unique<MprapiRouter>(router.server, router.mprapi_dll_path);
    } catch (const std::exception& e) {
      throw std::runtime_error(router.location + ": router " + router.name + ": " + e.what());
    }
  }
#endif
#ifdef RRAS_WITH_RRASM
  if (router.source == "rrasm") return std::make_unique<rrasm::RrasmRouter>(router.name, router.server, router.rrasm);
#endif
  throw std::runtime_error(router.location + ": router " + router.name + ": " + sourceUnavailableReason(router.source));
}

}  // namespace rras
