// The source table: one row per source, each defined in its own folder
// (sources/<name>/<name>_source.cpp) with its name, the router keys it owns, how it reads them,
// and how it makes its RouterApi. A new source is a new folder and one line in source_table.cpp.
#pragma once

#include <yaml-cpp/yaml.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/wall_clock.h"
#include "router/router_api.h"
#include "sources/router_target.h"

namespace rras {

class ConfigReader;

struct SourceDescriptor {
  std::string_view name;               // the value of `source:`
  std::vector<std::string_view> keys;  // the router keys this source owns
  // Reads this source's keys of the router mapping `node` into `router`, and checks what the
  // source needs (a server name, credentials); fails through `r` with file:line:col.
  void (*read)(const ConfigReader& r, const YAML::Node& node, const std::string& path, RouterTarget& router);
  // Null when the source is not built into this binary; `unavailable` then says why.
  std::unique_ptr<RouterApi> (*make)(const RouterTarget& router, const WallClock& clock);
  std::string_view unavailable;
  // /probe (config modules): fits a module's template to the target now in `router.server` (the
  // simulator seeds its data with the name); throws std::invalid_argument when the source cannot
  // reach that target. Null: nothing to fit.
  void (*fit_target)(RouterTarget& router) = nullptr;
  // Whether the credentials the router sends could be relayed or captured (NTLM): the allow-list of
  // its modules then takes narrow entries only. Null: it sends none.
  bool (*relayable_credentials)(const RouterTarget& router) = nullptr;
};

// Every source, built in or not (a configuration is checked the same everywhere).
std::span<const SourceDescriptor> sourceTable();
// The row of `name`, or null.
const SourceDescriptor* findSource(std::string_view name);

// Empty when the source is built into this binary, else why not ("rrasm is not built ...").
std::string sourceUnavailableReason(const std::string& source);

// Throws std::runtime_error for a source not built into this binary.
std::unique_ptr<RouterApi> makeRouterApi(const RouterTarget& router, const WallClock& clock);

}  // namespace rras
