// The simulator's row of the source table: its one key, `simulator:` (a mapping), and its maker.
#include <limits>
#include <string_view>

#include "sources/simulator/simulated_router.h"
#include "sources/source_table.h"
#include "yaml/config_reader.h"

namespace rras {

namespace {

void readSimulatorMap(const ConfigReader& r, const YAML::Node& node, const std::string& path, SimulatorConfig& sim) {
  r.expectMap(node, path,
              {"connections", "churn_per_minute", "max_level", "enum_ex", "server_info_level", "total_ports", "seed",
               "site_to_site", "site_to_site_disabled", "ports", "faults"});
  if (auto n = node["connections"])
    sim.connections = static_cast<uint32_t>(r.integer(n, path + ".connections", 0, 200000));
  if (auto n = node["churn_per_minute"]) sim.churn_per_minute = r.number(n, path + ".churn_per_minute", 0, 1e6);
  if (auto n = node["max_level"]) sim.max_level = static_cast<int>(r.integer(n, path + ".max_level", 0, 3));
  if (auto n = node["enum_ex"]) sim.enum_ex = r.boolean(n, path + ".enum_ex");
  if (auto n = node["server_info_level"])
    sim.server_info_level = static_cast<int>(r.integer(n, path + ".server_info_level", -1, 2));
  if (auto n = node["total_ports"])
    sim.total_ports = static_cast<uint32_t>(r.integer(n, path + ".total_ports", 0, 1000000));
  if (auto n = node["seed"])
    sim.seed = static_cast<uint64_t>(r.integer(n, path + ".seed", 0, std::numeric_limits<int64_t>::max()));
  if (auto n = node["site_to_site"])
    sim.site_to_site = static_cast<uint32_t>(r.integer(n, path + ".site_to_site", 0, 1000));
  if (auto n = node["site_to_site_disabled"])
    sim.site_to_site_disabled = static_cast<uint32_t>(r.integer(n, path + ".site_to_site_disabled", 0, 1000));
  if (auto ports = node["ports"]) {
    const std::string ppath = path + ".ports";
    static constexpr std::string_view kProtocols[] = {"sstp", "ikev2", "l2tp", "pptp", "gre"};
    r.expectMap(ports, ppath, kProtocols);
    if (node["total_ports"]) {
      r.fail(ports, ppath, "total_ports and ports exclude each other (the total is the sum of ports)");
    }
    sim.ports.clear();
    for (std::string_view protocol : kProtocols) {
      const std::string key(protocol);
      if (auto n = ports[key]) sim.ports[key] = static_cast<uint32_t>(r.integer(n, ppath + "." + key, 0, 300000));
    }
    if (sim.ports.empty()) r.fail(ports, ppath, "name the ports of at least one protocol");
  }
  if (auto faults = node["faults"]) {
    const std::string fpath = path + ".faults";
    r.expectMap(faults, fpath,
                {"connect_error", "service_running", "ddm_not_running", "hang", "churn_per_call", "resume_stuck",
                 "binding_lost_every", "interfaces_error", "ports_error", "interfaces_hang", "ports_hang"});
    if (auto n = faults["connect_error"]) {
      sim.connect_error = r.choice(n, fpath + ".connect_error",
                                   {"access_denied", "server_unavailable", "invalid_binding", "unknown_if"});
    }
    if (auto n = faults["service_running"]) sim.service_running = r.boolean(n, fpath + ".service_running");
    if (auto n = faults["ddm_not_running"]) sim.ddm_not_running = r.boolean(n, fpath + ".ddm_not_running");
    if (auto n = faults["hang"]) sim.hang_seconds = r.duration(n, fpath + ".hang", 366 * 86400.0, true);
    if (auto n = faults["interfaces_hang"])
      sim.interfaces_hang_seconds = r.duration(n, fpath + ".interfaces_hang", 366 * 86400.0, true);
    if (auto n = faults["ports_hang"])
      sim.ports_hang_seconds = r.duration(n, fpath + ".ports_hang", 366 * 86400.0, true);
    if (auto n = faults["churn_per_call"])
      sim.churn_per_call = static_cast<uint32_t>(r.integer(n, fpath + ".churn_per_call", 0, 100000));
    if (auto n = faults["resume_stuck"]) sim.resume_stuck = r.boolean(n, fpath + ".resume_stuck");
    if (auto n = faults["binding_lost_every"])
      sim.binding_lost_every = static_cast<uint32_t>(r.integer(n, fpath + ".binding_lost_every", 0, 1000000));
    // One call refused, the others answered: what a router that lacks a call or denies it does.
    auto callError = [&](const YAML::Node& n, const std::string& key) {
      return r.choice(n, fpath + "." + key,
                      {"access_denied", "not_supported", "call_not_implemented", "procnum_out_of_range",
                       "ddm_not_running", "server_unavailable"});
    };
    if (auto n = faults["interfaces_error"]) sim.interfaces_error = callError(n, "interfaces_error");
    if (auto n = faults["ports_error"]) sim.ports_error = callError(n, "ports_error");
  }
}

void readSimulator(const ConfigReader& r, const YAML::Node& node, const std::string& path, RouterTarget& router) {
  if (auto n = node["simulator"]) readSimulatorMap(r, n, path + ".simulator", router.simulator);
}

std::unique_ptr<RouterApi> makeSimulator(const RouterTarget& router, const WallClock& clock) {
  return std::make_unique<SimulatedRouter>(router.simulator, clock);
}

// Each probed name is a different router: the name seeds its data (FNV-1a over the module's seed).
void fitSimulatorTarget(RouterTarget& router) {
  uint64_t h = 0xcbf29ce484222325ull ^ router.simulator.seed;
  for (unsigned char c : router.server) h = (h ^ c) * 0x100000001b3ull;
  router.simulator.seed = h;
}

}  // namespace

SourceDescriptor simulatorSource() {
  return {"simulator", {"simulator"}, readSimulator, makeSimulator, {}, fitSimulatorTarget, nullptr};
}

}  // namespace rras
