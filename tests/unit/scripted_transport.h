// A DIMSVC server scripted byte for byte behind the rrasm source's RpcTransport seam: the fault
// matrix drives the real RrasmRouter, codec and Enumerator with replies no well-behaved server
// (and not impacket) would send. Mirrors DceTransport's contract: a failure other than a fault
// closes the binding; cancel() ends the call in flight, or the next one, as NT_STATUS_CANCELLED.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "sources/rrasm/rpc_transport.h"
#include "sources/rrasm/rrasm_router.h"

namespace rras::testing {

inline constexpr uint32_t kNtCancelled = 0xC0000120, kNtConnectionDisconnected = 0xC000020C, kNtIoTimeout = 0xC00000B5;

struct ScriptedCall {
  std::vector<uint8_t> stub;  // the reply when nt_status is 0
  uint32_t nt_status = 0;
  uint32_t fault_code = 0;
  bool hang = false;  // never answered: only cancel() ends it
};

struct TransportStats {
  std::mutex mu;
  std::condition_variable cv;
  bool cancelled = false;
  bool connected = false;
  int connects = 0, calls = 0, cancels = 0;
  bool hang_cancelled = false;  // a hanging call was ended by cancel()
};

class ScriptedTransport final : public rrasm::RpcTransport {
 public:
  using Answer = std::function<ScriptedCall(uint16_t opnum, std::span<const uint8_t> request)>;

  // connect_hang_seconds: connects block that long whatever cancel() says, as a Samba connect to
  // a silent server does, then fail with NT_STATUS_IO_TIMEOUT.
  ScriptedTransport(Answer answer, uint32_t connect_status, std::shared_ptr<TransportStats> stats,
                    double connect_hang_seconds = 0)
      : answer_(std::move(answer)),
        connect_status_(connect_status),
        connect_hang_seconds_(connect_hang_seconds),
        stats_(std::move(stats)) {}

  rrasm::TransportResult connect(const rrasm::BindingPlan&, const rrasm::DceInterface&, const RrasmConfig&) override {
    if (connect_hang_seconds_ > 0) {
      std::this_thread::sleep_for(std::chrono::duration<double>(connect_hang_seconds_));
      return {kNtIoTimeout, 0, "connect: scripted silent server"};
    }
    std::lock_guard lock(stats_->mu);
    ++stats_->connects;
    stats_->cancelled = false;
    stats_->connected = connect_status_ == 0;
    if (connect_status_ == 0) return {};
    return {connect_status_, 0, "connect: scripted NTSTATUS"};
  }

  rrasm::TransportResult call(uint16_t opnum, std::span<const uint8_t> in, std::vector<uint8_t>& out) override {
    std::unique_lock lock(stats_->mu);
    ++stats_->calls;
    if (!stats_->connected) return {kNtConnectionDisconnected, 0, "not connected"};
    ScriptedCall c{{}, kNtCancelled};
    if (!stats_->cancelled) {
      lock.unlock();
      c = answer_(opnum, in);
      lock.lock();
      if (c.hang) {
        stats_->cv.wait(lock, [&] { return stats_->cancelled; });
        stats_->hang_cancelled = true;
      }
      if (stats_->cancelled) c = ScriptedCall{{}, kNtCancelled};
    }
    if (c.nt_status != 0) {
      if (c.fault_code == 0) stats_->connected = false;
      return {c.nt_status, c.fault_code, "opnum " + std::to_string(opnum) + ": scripted failure"};
    }
    out = std::move(c.stub);
    return {};
  }

  void disconnect() override {
    std::lock_guard lock(stats_->mu);
    stats_->connected = false;
  }

  void cancel() override {
    std::lock_guard lock(stats_->mu);
    ++stats_->cancels;
    stats_->cancelled = true;
    stats_->cv.notify_all();
  }

  rrasm::NegotiatedSecurity security() override { return {}; }

 private:
  Answer answer_;
  uint32_t connect_status_;
  double connect_hang_seconds_;
  std::shared_ptr<TransportStats> stats_;
};

// The rrasm source over a scripted transport; `stats` shows what the source did with it.
class ScriptedRrasmRouter : public rrasm::RrasmRouter {
 public:
  ScriptedRrasmRouter(ScriptedTransport::Answer answer, uint32_t connect_status, double connect_hang_seconds = 0,
                      std::shared_ptr<TransportStats> shared_stats = std::make_shared<TransportStats>())
      : RrasmRouter(
            "victim", "vpn.example", RrasmConfig{},
            std::make_unique<ScriptedTransport>(std::move(answer), connect_status, shared_stats, connect_hang_seconds)),
        stats(std::move(shared_stats)) {}
  std::shared_ptr<TransportStats> stats;
};

}  // namespace rras::testing
