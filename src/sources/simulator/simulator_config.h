// What a simulated router looks like and how it misbehaves (router key `simulator:`).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace rras {

struct SimulatorConfig {
  uint32_t connections = 100;   // active connections at start; churn keeps the count (ports permitting)
  double churn_per_minute = 0;  // connections that leave (and as many that arrive) per minute
  int max_level = 3;            // highest MprAdminConnectionEnum level answered (0..3)
  bool enum_ex = false;         // MprAdminConnectionEnumEx available
  int server_info_level = 2;    // highest MprAdminServerGetInfo level answered (0..2)
  uint32_t total_ports = 0;     // spread over the default protocols when `ports` is empty; 0 = sized to fit
  uint64_t seed = 1;

  // Site-to-site (demand-dial) interfaces besides Loopback, Internal and Ethernet; their states
  // follow the clock (docs/sources/simulator.md). Disabled ones are listed unreachable
  // (admin_disabled).
  uint32_t site_to_site = 3;
  uint32_t site_to_site_disabled = 0;
  // Ports per WAN Miniport protocol (sstp, ikev2, l2tp, pptp, gre); empty = the defaults.
  std::map<std::string, uint32_t> ports;

  // Faults.
  std::string connect_error;           // "", access_denied, server_unavailable, invalid_binding, unknown_if
  bool service_running = true;         // MprAdminIsServiceRunning; false also stops the DDM
  bool ddm_not_running = false;        // enumeration answers ERROR_DDM_NOT_RUNNING
  double hang_seconds = 0;             // every enumeration call blocks this long (until cancelled)
  uint32_t churn_per_call = 0;         // connections that leave and arrive before each enumeration call
  bool resume_stuck = false;           // the resume handle never advances
  uint32_t binding_lost_every = 0;     // every Nth enumeration call answers RPC_S_INVALID_BINDING
  std::string interfaces_error;        // MprAdminInterfaceEnum answers this error (names as in faultCode)
  std::string ports_error;             // MprAdminPortEnum answers this error
  double interfaces_hang_seconds = 0;  // MprAdminInterfaceEnum alone blocks this long (until cancelled)
  double ports_hang_seconds = 0;       // MprAdminPortEnum alone blocks this long (until cancelled)

  bool operator==(const SimulatorConfig&) const = default;
};

}  // namespace rras
