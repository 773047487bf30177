// The exporter's configuration (DESIGN §6): one struct per part, defaults here, filled from YAML
// in config_loader.cpp only. Flags override what they name (app/flags.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/connection_families.h"
#include "router/enumerator.h"
#include "sources/router_target.h"

namespace rras {

struct PollSettings {
  double interval_seconds = 30;
  double timeout_seconds = 20;
  int64_t page_size_bytes = kDefaultPageSizeBytes;  // -1 = all in one page
  int max_level = -1;                               // -1 = auto
  // The kinds of data to read (kinds/kind_table.h); connections always among them.
  std::vector<std::string> collectors = {"connections", "server", "interfaces", "ports"};
  bool operator==(const PollSettings&) const = default;
};

struct PrivacyConfig {
  enum class Usernames { kPlain, kHash, kOmit };
  enum class ClientAddresses { kPlain, kOmit };
  Usernames usernames = Usernames::kPlain;
  std::string hash_key_file;
  std::string hash_key;  // contents of hash_key_file; never logged
  ClientAddresses client_addresses = ClientAddresses::kPlain;
  bool operator==(const PrivacyConfig&) const = default;
};

struct GlobalConfig {
  PollSettings poll;
  // per_connection_metrics: false is the same as per_connection_families: [] (config_loader.cpp).
  ConnectionFamilies per_connection_families = kDefaultConnectionFamilies;
  uint32_t max_connections_per_router = 20000;
  PrivacyConfig privacy;
  uint32_t max_probe_targets = 1000;  // live /probe targets at once (modules)
  bool operator==(const GlobalConfig&) const = default;
};

// A router entry: the target its source reaches (sources/router_target.h) and how it is polled.
struct RouterConfig : RouterTarget {
  PollSettings poll;  // global values unless the router overrides them
  ConnectionFamilies per_connection_families = kDefaultConnectionFamilies;  // likewise
  bool operator==(const RouterConfig&) const = default;
  // Same router, same settings: where the entry sits in the file does not matter.
  bool sameSettings(const RouterConfig& other) const;
};

// A /probe module (multi-target, as blackbox_exporter's): a router template without name or server
// (source, credentials, poll settings, collectors) and the targets it may reach. A probe of an
// allowed target starts a router from the template with name and server set to the target.
struct ModuleConfig {
  std::string name;
  RouterConfig router;                       // name and server empty
  std::vector<std::string> allowed_targets;  // config/target_allow_list.h
  double target_idle_seconds = 0;            // a target not probed this long is stopped and forgotten
  bool operator==(const ModuleConfig&) const = default;
};

struct Config {
  std::string file;
  GlobalConfig global;
  std::vector<RouterConfig> routers;
  std::vector<ModuleConfig> modules;
};

}  // namespace rras
