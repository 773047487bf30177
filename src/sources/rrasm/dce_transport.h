// The C++ face of the Samba shim: one DCE/RPC binding with RAII, statuses mapped to ApiCode,
// and Samba's own text for what went wrong (never a password).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "router/api_status.h"
#include "sources/rrasm/rrasm_binding.h"
#include "sources/rrasm/rrasm_config.h"

struct rrasm_dce;

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
  int auth_type = 0;   // 0 none, 9 SPNEGO, 10 NTLMSSP, 16 Kerberos
  int auth_level = 0;  // 1 none, 5 integrity, 6 privacy
  bool transport_encrypted = false;  // SMB3 encryption
};

class DceTransport {
 public:
  DceTransport();  // throws std::runtime_error when Samba cannot be initialised
  ~DceTransport();
  DceTransport(const DceTransport&) = delete;
  DceTransport& operator=(const DceTransport&) = delete;

  TransportResult connect(const BindingPlan& plan, const DceInterface& iface, const RrasmConfig& config);
  TransportResult call(uint16_t opnum, std::span<const uint8_t> in, std::vector<uint8_t>& out);
  void disconnect();
  void cancel();  // any thread
  NegotiatedSecurity security();

 private:
  rrasm_dce* dce_;
};

}  // namespace rras::rrasm
