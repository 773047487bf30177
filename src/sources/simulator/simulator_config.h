// What a simulated router looks like and how it misbehaves (router key `simulator:`).
#pragma once

#include <cstdint>
#include <string>

namespace rras {

struct SimulatorConfig {
  uint32_t connections = 100;   // active connections at start; churn keeps the count
  double churn_per_minute = 0;  // connections that leave (and as many that arrive) per minute
  int max_level = 3;            // highest MprAdminConnectionEnum level answered (0..3)
  bool enum_ex = false;         // MprAdminConnectionEnumEx available
  int server_info_level = 2;    // highest MprAdminServerGetInfo level answered (0..2)
  uint32_t total_ports = 0;     // 0 = connections + 25 % (at least 128)
  uint64_t seed = 1;

  // Faults.
  std::string connect_error;        // "", access_denied, server_unavailable, invalid_binding, unknown_if
  bool service_running = true;      // MprAdminIsServiceRunning; false also stops the DDM
  bool ddm_not_running = false;     // enumeration answers ERROR_DDM_NOT_RUNNING
  double hang_seconds = 0;          // every enumeration call blocks this long (until cancelled)
  uint32_t churn_per_call = 0;      // connections that leave and arrive before each enumeration call
  bool resume_stuck = false;        // the resume handle never advances
  uint32_t binding_lost_every = 0;  // every Nth enumeration call answers RPC_S_INVALID_BINDING

  bool operator==(const SimulatorConfig&) const = default;
};

}  // namespace rras
