// The RpcTransport over the Samba shim: one DCE/RPC binding with RAII, and Samba's own text for
// what went wrong (never a password).
#pragma once

#include "sources/rrasm/rpc_transport.h"

struct rrasm_dce;

namespace rras::rrasm {

class DceTransport final : public RpcTransport {
 public:
  DceTransport();  // throws std::runtime_error when Samba cannot be initialised
  ~DceTransport() override;
  DceTransport(const DceTransport&) = delete;
  DceTransport& operator=(const DceTransport&) = delete;

  TransportResult connect(const BindingPlan& plan, const DceInterface& iface, const RrasmConfig& config) override;
  TransportResult call(uint16_t opnum, std::span<const uint8_t> in, std::vector<uint8_t>& out) override;
  void disconnect() override;
  void cancel() override;
  NegotiatedSecurity security() override;

 private:
  rrasm_dce* dce_;
};

}  // namespace rras::rrasm
