// The mprapi source's row of the source table: its test-only key `mprapi_dll_path`, and its maker
// in the Windows build.
#include "sources/source_table.h"
#include "yaml/config_reader.h"
#ifdef RRAS_HAVE_MPRAPI
#include "sources/mprapi/mprapi_router.h"
#endif

namespace rras {

namespace {

void readMprapi(const ConfigReader& r, const YAML::Node& node, const std::string& path, RouterTarget& router) {
  if (auto n = node["mprapi_dll_path"]) {
    router.mprapi_dll_path = r.string(n, path + ".mprapi_dll_path");
    if (router.mprapi_dll_path.empty()) r.fail(n, path + ".mprapi_dll_path", "must not be empty");
  }
}

#ifdef RRAS_HAVE_MPRAPI
std::unique_ptr<RouterApi> makeMprapi(const RouterTarget& router, const WallClock&) {
  return std::make_unique<MprapiRouter>(router.server, router.mprapi_dll_path);
}
#else
constexpr auto makeMprapi = nullptr;
#endif

}  // namespace

// The service account's logon (Negotiate) may fall back to NTLM.
bool mprapiRelayable(const RouterTarget&) { return true; }

SourceDescriptor mprapiSource() {
  return {
      "mprapi", {"mprapi_dll_path"}, readMprapi, makeMprapi, "source mprapi needs the Windows build of rras_exporter",
      nullptr,  mprapiRelayable};
}

}  // namespace rras
