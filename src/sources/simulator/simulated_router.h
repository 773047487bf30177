// The simulator source: an in-process RRAS router that implements the documented MprAdmin
// semantics (paging by bytes with the real struct sizes, resume handles, ERROR_MORE_DATA, level
// refusal, EnumEx on or off) and the faults of SimulatorConfig. Deterministic from its seed and
// its clock: the same calls at the same clock readings give the same answers.
#pragma once

#include <condition_variable>
#include <mutex>
#include <vector>

#include "model/wall_clock.h"
#include "router/router_api.h"
#include "sources/simulator/simulator_config.h"

namespace rras {

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
  void cancel() override;

  // Test hooks: the current population, and churn on demand.
  size_t connectionCount();
  void churn(uint32_t leave, uint32_t arrive);

 private:
  struct Member {
    uint32_t handle;
    double start;  // wall-clock seconds
  };
  // Picks a page of the population; level -1 means RAS_CONNECTION_EX.
  ApiCode enumerate(RouterHandle handle, int level, uint32_t pref_max_len, uint32_t& resume_handle,
                    ConnectionPage& page);
  ApiCode checkHandle(RouterHandle handle) const;
  bool hang(std::unique_lock<std::mutex>& lock);
  void advanceClock(double now);
  void addMember(double start);
  void removeRandomMember();
  Connection describe(const Member& m, int level, double now) const;
  uint64_t nextRandom();

  SimulatorConfig config_;
  WallClock clock_;
  std::mutex mu_;
  std::condition_variable cancelled_cv_;
  bool cancelled_ = false;
  std::vector<Member> members_;  // sorted by handle, the order the router enumerates in
  uint64_t rng_state_;
  double last_advance_;
  double churn_carry_ = 0;
  double boot_time_;
  uint64_t enum_calls_ = 0;
  RouterHandle next_handle_ = 1;
  std::vector<RouterHandle> open_handles_;
};

}  // namespace rras
