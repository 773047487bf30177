// What the rrasm source needs from a DCE/RPC transport: bind to an interface, make raw calls with
// ready-made NDR stubs, cancel from another thread. DceTransport is the one over Samba; tests
// script replies byte for byte behind the same interface (tests/unit/scripted_transport.h).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "router/api_status.h"
#include "sources/rrasm/rrasm_binding.h"
#include "sources/rrasm/rrasm_config.h"

namespace rras::rrasm {

struct DceInterface {
  const char* uuid;
  uint16_t version;
};
// DIMSVC, MS-RRASM 2.1.
inline constexpr DceInterface kDimsvc{"8f09f000-b7ed-11ce-bbd2-00001a181cad", 0};

struct TransportResult {
  uint32_t nt_status = 0;
  uint32_t fault_code = 0;
  std::string detail;  // e.g. "connect: NT_STATUS_LOGON_FAILURE"
  ApiCode code() const;
};

struct NegotiatedSecurity {
  int auth_type = 0;                 // 0 none, 9 SPNEGO, 10 NTLMSSP, 16 Kerberos
  int auth_level = 0;                // 1 none, 5 integrity, 6 privacy
  bool transport_encrypted = false;  // SMB3 encryption
};

class RpcTransport {
 public:
  virtual ~RpcTransport() = default;
  virtual TransportResult connect(const BindingPlan& plan, const DceInterface& iface, const RrasmConfig& config) = 0;
  // After a failure other than a DCE/RPC fault the binding is closed: the next call needs connect.
  virtual TransportResult call(uint16_t opnum, std::span<const uint8_t> in, std::vector<uint8_t>& out) = 0;
  virtual void disconnect() = 0;
  virtual void cancel() = 0;  // any thread: the call in flight (or the next one) ends as cancelled
  virtual NegotiatedSecurity security() = 0;
};

}  // namespace rras::rrasm
