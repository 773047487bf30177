// The simulator's row of the source table: its one key, `simulator:` (a mapping), and its maker.
#include <limits>

#include "config/config_reader.h"
#include "sources/simulator/simulated_router.h"
#include "sources/source_table.h"

namespace rras {

namespace {

void readSimulatorMap(const ConfigReader& r, const YAML::Node& node, const std::string& path, SimulatorConfig& sim) {
  r.expectMap(node, path,
              {"connections", "churn_per_minute", "max_level", "enum_ex", "server_info_level", "total_ports", "seed",
               "faults"});
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
  if (auto faults = node["faults"]) {
    const std::string fpath = path + ".faults";
    r.expectMap(faults, fpath,
                {"connect_error", "service_running", "ddm_not_running", "hang", "churn_per_call", "resume_stuck",
                 "binding_lost_every"});
    if (auto n = faults["connect_error"]) {
      sim.connect_error = r.choice(n, fpath + ".connect_error",
                                   {"access_denied", "server_unavailable", "invalid_binding", "unknown_if"});
    }
    if (auto n = faults["service_running"]) sim.service_running = r.boolean(n, fpath + ".service_running");
    if (auto n = faults["ddm_not_running"]) sim.ddm_not_running = r.boolean(n, fpath + ".ddm_not_running");
    if (auto n = faults["hang"]) sim.hang_seconds = r.duration(n, fpath + ".hang", 366 * 86400.0, true);
    if (auto n = faults["churn_per_call"])
      sim.churn_per_call = static_cast<uint32_t>(r.integer(n, fpath + ".churn_per_call", 0, 100000));
    if (auto n = faults["resume_stuck"]) sim.resume_stuck = r.boolean(n, fpath + ".resume_stuck");
    if (auto n = faults["binding_lost_every"])
      sim.binding_lost_every = static_cast<uint32_t>(r.integer(n, fpath + ".binding_lost_every", 0, 1000000));
  }
}

void readSimulator(const ConfigReader& r, const YAML::Node& node, const std::string& path, RouterConfig& router) {
  if (auto n = node["simulator"]) readSimulatorMap(r, n, path + ".simulator", router.simulator);
}

std::unique_ptr<RouterApi> makeSimulator(const RouterConfig& router, const WallClock& clock) {
  return std::make_unique<SimulatedRouter>(router.simulator, clock);
}

}  // namespace

SourceDescriptor simulatorSource() { return {"simulator", {"simulator"}, readSimulator, makeSimulator, {}}; }

}  // namespace rras
