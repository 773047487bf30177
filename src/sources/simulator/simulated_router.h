// The simulator source: an in-process RRAS router that implements the documented MprAdmin
// semantics (paging by bytes with the real struct sizes, resume handles, ERROR_MORE_DATA, level
// refusal, EnumEx on or off) for connections, interfaces and ports, and the faults of
// SimulatorConfig. Deterministic from its seed and its clock: the same calls at the same clock
// readings give the same answers.
#pragma once

#include <array>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "model/wall_clock.h"
#include "router/router_api.h"
#include "sources/simulator/simulator_config.h"

namespace rras {

// The code a fault knob names ("access_denied", "not_supported", ...); kSuccess for "" or a name
// it does not know. The config reader offers the names (simulator_source.cpp).
ApiCode simulatorFaultCode(const std::string& name);

class SimulatedRouter : public RouterApi {
 public:
  SimulatedRouter(SimulatorConfig config, WallClock clock);

  bool isServiceRunning() override;
  ApiCode connect(RouterHandle& handle) override;
  void disconnect(RouterHandle handle) override;
  ApiCode serverInfo(RouterHandle handle, int level, ServerInfo& out) override;
  ApiCode enumConnections(RouterHandle handle, int level, uint32_t pref_max_len, uint32_t& resume_handle,
                          ConnectionPage& page) override;
  ApiCode enumConnectionsEx(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle,
                            ConnectionPage& page) override;
  ApiCode enumInterfaces(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle,
                         InterfacePage& page) override;
  ApiCode enumPorts(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle, PortPage& page) override;
  void cancel() override;

  // Test hooks: the current population, and churn on demand.
  size_t connectionCount();
  void churn(uint32_t leave, uint32_t arrive);

  // The WAN Miniport devices, in the order the router enumerates their ports.
  static constexpr size_t kDevices = 5;
  enum Device : uint8_t { kPptp = 0, kL2tp, kSstp, kIkev2, kGre };

 private:
  struct Member {
    uint32_t handle;
    uint32_t device : 3;  // the WAN Miniport whose port the connection occupies
    uint32_t port : 29;   // that port's index on its device
    double start;         // wall-clock seconds
  };
  // The ports of one WAN Miniport device.
  struct PortBlock {
    uint32_t count = 0;
    std::vector<uint32_t> occupant;   // hConnection of the connection on the port; 0 = none
    std::vector<uint32_t> calls;      // dwTotalNumberOfCalls
    std::vector<uint64_t> free_bits;  // bit set = no connection on the port
    size_t first_free_word = 0;       // no free port in the words below it
    uint32_t free = 0;
  };
  struct PendingCall {  // a port in condition authenticating
    uint8_t device;
    uint32_t port;
    uint32_t seconds;
  };

  // The checks and side effects every enumeration call shares, in the order a router meets them;
  // `refusal` is the call's own answer (level, missing call, fault knob) or kSuccess.
  // `call_hang_seconds`: this call alone blocks that long (interfaces_hang, ports_hang).
  ApiCode beginEnumeration(std::unique_lock<std::mutex>& lock, RouterHandle handle, ApiCode refusal, double& now,
                           double call_hang_seconds = 0);
  // Picks a page of the population; level -1 means RAS_CONNECTION_EX.
  ApiCode enumerate(RouterHandle handle, int level, uint32_t pref_max_len, uint32_t& resume_handle,
                    ConnectionPage& page);
  ApiCode checkHandle(RouterHandle handle) const;
  bool hang(std::unique_lock<std::mutex>& lock, double seconds);
  void advanceClock(double now);
  // One arrival; false when no port of its protocol is free. During construction `unsorted`
  // holds the handles so far and members_ is sorted once at the end.
  bool addMember(double start, std::unordered_set<uint32_t>* unsorted = nullptr);
  void removeRandomMember();
  Connection describe(const Member& m, int level, double now) const;
  uint64_t nextRandom();
  uint64_t memberKey(uint32_t handle) const;

  void sizePorts();
  std::optional<uint8_t> deviceFor(uint64_t key, const std::array<uint32_t, kDevices>& taken) const;
  std::vector<uint32_t> firstFreePorts(const PortBlock& block, uint32_t n) const;
  void occupyPort(uint8_t device, uint32_t port, uint32_t connection);
  void releasePort(uint8_t device, uint32_t port);
  // Sorted by device and port.
  std::vector<PendingCall> pendingCalls(double now) const;
  Port describePort(size_t position, const std::vector<PendingCall>& pending, double now) const;
  std::vector<RouterInterface> interfacesAt(double now) const;

  SimulatorConfig config_;
  WallClock clock_;
  std::mutex mu_;
  std::condition_variable cancelled_cv_;
  bool cancelled_ = false;
  std::vector<Member> members_;  // sorted by handle, the order the router enumerates in
  std::array<PortBlock, kDevices> ports_;
  uint32_t total_ports_ = 0;
  uint64_t rng_state_;
  double last_advance_;
  double churn_carry_ = 0;
  double boot_time_;
  uint64_t enum_calls_ = 0;
  RouterHandle next_handle_ = 1;
  std::vector<RouterHandle> open_handles_;
};

}  // namespace rras
