#include "config/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>

#include "config/target_allow_list.h"
#include "kinds/kind_table.h"
#include "sources/source_table.h"
#include "yaml/config_file.h"
#include "yaml/config_reader.h"
#include "yaml/yaml_documents.h"

namespace rras {

namespace {

constexpr double kMaxPollSeconds = 86400;  // polls at least daily; longer would overflow timers

// A router's keys: the common ones and those of every source in the table.
std::vector<std::string_view> routerKeys() {
  std::vector<std::string_view> keys = {"name",          "source",       "server",
                                        "poll_interval", "poll_timeout", "page_size_bytes",
                                        "max_level",     "collectors",   "per_connection_families"};
  for (const auto& s : sourceTable()) keys.insert(keys.end(), s.keys.begin(), s.keys.end());
  return keys;
}

std::string sourceNames() {
  std::string out;
  for (const auto& s : sourceTable()) out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

// The kinds of data to read: names from the kind table, each once; connections always among them
// (rras_up means "reached, and its connections read").
std::vector<std::string> readCollectors(const ConfigReader& r, const YAML::Node& node, const std::string& path) {
  std::string names;
  for (const auto& k : kindTable()) names += (names.empty() ? "" : ", ") + std::string(k.name);
  if (!node.IsSequence()) r.fail(node, path, "expected a list of collectors (" + names + "), got " + r.kind(node));
  std::vector<std::string> out;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    const std::string name = r.string(node[i], item_path);
    if (!findKind(name)) r.fail(node[i], item_path, "\"" + name + "\" is not one of: " + names);
    if (std::find(out.begin(), out.end(), name) != out.end()) r.fail(node[i], item_path, "\"" + name + "\" twice");
    out.push_back(name);
  }
  if (std::find(out.begin(), out.end(), "connections") == out.end()) {
    r.fail(node, path, "must include connections: rras_up means the router was reached and its connections read");
  }
  return out;
}

// The per-connection families to serve, by short name (config/connection_families.h), each once;
// [] serves none (the aggregates and per-router totals stay).
ConnectionFamilies readConnectionFamilies(const ConfigReader& r, const YAML::Node& node, const std::string& path) {
  std::string names;
  for (auto name : kConnectionFamilyNames) names += (names.empty() ? "" : ", ") + std::string(name);
  if (!node.IsSequence()) {
    r.fail(node, path, "expected a list of per-connection families (" + names + "), got " + r.kind(node));
  }
  ConnectionFamilies out;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    const std::string name = r.string(node[i], item_path);
    const auto it = std::find(kConnectionFamilyNames.begin(), kConnectionFamilyNames.end(), name);
    if (it == kConnectionFamilyNames.end()) r.fail(node[i], item_path, "\"" + name + "\" is not one of: " + names);
    const auto bit = static_cast<size_t>(it - kConnectionFamilyNames.begin());
    if (out.test(bit)) r.fail(node[i], item_path, "\"" + name + "\" twice");
    out.set(bit);
  }
  return out;
}

void readPoll(const ConfigReader& r, const YAML::Node& map, const std::string& path, PollSettings& poll) {
  if (auto n = map["poll_interval"]) poll.interval_seconds = r.duration(n, path + ".poll_interval", kMaxPollSeconds);
  if (auto n = map["poll_timeout"]) {
    poll.timeout_seconds = r.duration(n, path + ".poll_timeout", kMaxPollSeconds);
    if (poll.timeout_seconds > poll.interval_seconds) {
      r.fail(n, path + ".poll_timeout",
             "poll_timeout (" + formatDuration(poll.timeout_seconds) + ") must not exceed poll_interval (" +
                 formatDuration(poll.interval_seconds) + ")");
    }
  } else {
    // As Prometheus does with scrape_timeout: an inherited timeout shrinks to a shorter interval.
    poll.timeout_seconds = std::min(poll.timeout_seconds, poll.interval_seconds);
  }
  if (auto n = map["page_size_bytes"]) {
    poll.page_size_bytes = r.integer(n, path + ".page_size_bytes", -1, 0xFFFFFFFE);
    if (poll.page_size_bytes == 0) r.fail(n, path + ".page_size_bytes", "must be -1 (all) or a positive byte count");
  }
  if (auto n = map["max_level"]) poll.max_level = r.maxLevel(n, path + ".max_level");
  if (auto n = map["collectors"]) poll.collectors = readCollectors(r, n, path + ".collectors");
}

// The keys a router entry and a module share: the source, its own keys, the poll settings.
// `router.server` is set before: a source checks its keys against it.
void readSourceAndPoll(const ConfigReader& r, const YAML::Node& node, const std::string& path, RouterConfig& router) {
  const YAML::Node source = node["source"];
  if (!source) r.fail(node, path, "missing key \"source\" (one of " + sourceNames() + ")");
  const std::string source_name = r.string(source, path + ".source");
  const SourceDescriptor* descriptor = findSource(source_name);
  if (descriptor == nullptr) {
    r.fail(source, path + ".source", "\"" + source_name + "\" is not one of: " + sourceNames());
  }
  router.source = source_name;
  readPoll(r, node, path, router.poll);
  // Each source reads its own keys; another source's keys are a mistake worth naming.
  for (const auto& other : sourceTable()) {
    if (&other == descriptor) continue;
    for (std::string_view key : other.keys) {
      const std::string k(key);
      if (node[k]) r.fail(node[k], path + "." + k, "only allowed with source: " + std::string(other.name));
    }
  }
  descriptor->read(r, node, path, router);
}

// A module: a router template without name or server, and the targets it may reach (issue 17).
ModuleConfig readModule(const ConfigReader& r, const std::string& name, const YAML::Node& node,
                        const GlobalConfig& global) {
  const std::string path = "modules." + name;
  std::vector<std::string_view> keys = routerKeys();
  // Probed targets render with global.per_connection_families (the renderer knows routers by name).
  std::erase_if(keys,
                [](std::string_view k) { return k == "name" || k == "server" || k == "per_connection_families"; });
  keys.insert(keys.end(), {"allowed_targets", "target_idle_timeout"});
  r.expectMap(node, path, keys);
  ModuleConfig module;
  module.name = name;
  module.router.poll = global.poll;
  module.router.per_connection_families = global.per_connection_families;
  module.router.location = r.where(node);
  // A well-formed stand-in for the targets to come, so the source checks its keys as for a router.
  module.router.server = "probe-target.invalid";
  readSourceAndPoll(r, node, path, module.router);
  module.router.server.clear();

  const YAML::Node targets = node["allowed_targets"];
  if (!targets) {
    r.fail(node, path,
           "missing key \"allowed_targets\": a probe connects with this module's credentials, so list the "
           "names, DNS suffixes (*.vpn.corp.example) or CIDRs it may reach");
  }
  if (!targets.IsSequence() || targets.size() == 0) {
    r.fail(targets, path + ".allowed_targets", "expected a non-empty list of names, DNS suffixes or CIDRs");
  }
  const auto width = TargetAllowList::widthFor(module.router);
  for (size_t i = 0; i < targets.size(); ++i) {
    const std::string item_path = path + ".allowed_targets[" + std::to_string(i) + "]";
    std::string entry = r.string(targets[i], item_path);
    try {
      TargetAllowList({entry}, width);
    } catch (const std::invalid_argument& e) {
      r.fail(targets[i], item_path, e.what());
    }
    module.allowed_targets.push_back(std::move(entry));
  }
  module.target_idle_seconds = 10 * module.router.poll.interval_seconds;
  if (auto n = node["target_idle_timeout"]) {
    module.target_idle_seconds = r.duration(n, path + ".target_idle_timeout", 7 * kMaxPollSeconds);
    if (module.target_idle_seconds < module.router.poll.interval_seconds) {
      r.fail(n, path + ".target_idle_timeout",
             "must not be shorter than poll_interval (" + formatDuration(module.router.poll.interval_seconds) + ")");
    }
  }
  return module;
}

}  // namespace

Config parseConfig(const std::string& text, const std::string& name, const std::string& base_dir) {
  const ConfigReader r(name, base_dir);
  const YAML::Node root = loadOneYamlDocument<ConfigError>(text, name, "; the configuration is one document");
  if (!root || root.IsNull()) throw ConfigError(name + ": the file is empty; it needs at least a routers: list");
  r.expectMap(root, "", {"global", "routers", "modules"});

  Config config;
  config.file = name;
  if (auto g = root["global"]) {
    r.expectMap(
        g, "global",
        {"poll_interval", "poll_timeout", "page_size_bytes", "max_level", "collectors", "per_connection_metrics",
         "per_connection_families", "max_connections_per_router", "privacy", "max_probe_targets"});
    readPoll(r, g, "global", config.global.poll);
    if (auto n = g["per_connection_families"]) {
      config.global.per_connection_families = readConnectionFamilies(r, n, "global.per_connection_families");
    }
    // The older switch, kept working: false = no per-connection families at all.
    if (auto n = g["per_connection_metrics"]) {
      const bool on = r.boolean(n, "global.per_connection_metrics");
      if (g["per_connection_families"]) {
        r.fail(n, "global.per_connection_metrics",
               "set per_connection_families only (per_connection_metrics: false is per_connection_families: [])");
      }
      if (!on) config.global.per_connection_families.reset();
    }
    if (auto n = g["max_connections_per_router"]) {
      config.global.max_connections_per_router =
          static_cast<uint32_t>(r.integer(n, "global.max_connections_per_router", 0, 1000000));
    }
    if (auto n = g["max_probe_targets"]) {
      config.global.max_probe_targets = static_cast<uint32_t>(r.integer(n, "global.max_probe_targets", 1, 100000));
    }
    if (auto p = g["privacy"]) {
      auto& privacy = config.global.privacy;
      r.expectMap(p, "global.privacy", {"usernames", "hash_key_file", "client_addresses"});
      if (auto n = p["usernames"]) {
        const std::string v = r.choice(n, "global.privacy.usernames", {"plain", "hash", "omit"});
        privacy.usernames = v == "plain"  ? PrivacyConfig::Usernames::kPlain
                            : v == "hash" ? PrivacyConfig::Usernames::kHash
                                          : PrivacyConfig::Usernames::kOmit;
      }
      if (auto n = p["client_addresses"]) {
        privacy.client_addresses = r.choice(n, "global.privacy.client_addresses", {"plain", "omit"}) == "plain"
                                       ? PrivacyConfig::ClientAddresses::kPlain
                                       : PrivacyConfig::ClientAddresses::kOmit;
      }
      if (auto n = p["hash_key_file"]) {
        privacy.hash_key_file = r.string(n, "global.privacy.hash_key_file");
        privacy.hash_key = r.readSecretFile(n, "global.privacy.hash_key_file");
      }
      if (privacy.usernames == PrivacyConfig::Usernames::kHash && privacy.hash_key.empty()) {
        r.fail(p, "global.privacy",
               "usernames: hash needs hash_key_file (a file with a random key of 16 bytes or more)");
      }
    }
  }

  if (auto m = root["modules"]) {
    if (!m.IsMap() || m.size() == 0) {
      r.fail(m, "modules", "expected a mapping of module names to modules (for /probe), got " + ConfigReader::kind(m));
    }
    for (const auto& item : m) {
      const std::string module_name = r.string(item.first, "modules");
      if (module_name.empty() ||
          module_name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
              std::string::npos) {
        r.fail(item.first, "modules", "\"" + module_name + "\" is not a module name (letters, digits, _ and - only)");
      }
      for (const auto& seen : config.modules) {
        if (seen.name == module_name) r.fail(item.first, "modules", "duplicate module \"" + module_name + "\"");
      }
      config.modules.push_back(readModule(r, module_name, item.second, config.global));
    }
  }

  const YAML::Node routers = root["routers"];
  if (!routers && config.modules.empty()) {
    r.fail(root, "", "missing key \"routers\" (the list of RRAS routers to poll) or \"modules\" (for /probe)");
  }
  if (routers && !routers.IsSequence())
    r.fail(routers, "routers", "expected a list, got " + ConfigReader::kind(routers));
  if (routers && routers.size() == 0 && config.modules.empty()) {
    r.fail(routers, "routers", "the list is empty; configure at least one router (or modules for /probe)");
  }
  std::map<std::string, std::string> names;
  for (size_t i = 0; routers && i < routers.size(); ++i) {
    const YAML::Node node = routers[i];
    if (node.IsNull())
      r.fail(routers, "routers[" + std::to_string(i) + "]", "empty list entry; expected a router mapping");
    RouterConfig router;
    router.poll = config.global.poll;
    router.location = r.where(node);
    std::string path = "routers[" + std::to_string(i) + "]";
    r.expectMap(node, path, routerKeys());
    const YAML::Node name_node = node["name"];
    if (!name_node) r.fail(node, path, "missing key \"name\"");
    router.name = r.string(name_node, path + ".name");
    if (router.name.empty()) r.fail(name_node, path + ".name", "must not be empty");
    if (auto [it, inserted] = names.emplace(router.name, r.where(name_node)); !inserted) {
      r.fail(name_node, path + ".name",
             "duplicate router name \"" + router.name + "\" (first defined at " + it->second + ")");
    }
    path = "routers[" + router.name + "]";
    if (auto n = node["server"]) router.server = r.string(n, path + ".server");
    router.per_connection_families = config.global.per_connection_families;
    if (auto n = node["per_connection_families"]) {
      router.per_connection_families = readConnectionFamilies(r, n, path + ".per_connection_families");
    }
    readSourceAndPoll(r, node, path, router);
    config.routers.push_back(std::move(router));
  }
  return config;
}

Config loadConfigFile(const std::string& path) {
  const auto file = readConfigFile(path);
  if (!file) throw ConfigError(path + ": cannot open the configuration file (does it exist and is it readable?)");
  return parseConfig(file->text, path, file->folder);
}

}  // namespace rras
