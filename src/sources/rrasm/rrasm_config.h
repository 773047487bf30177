// Settings of a router with `source: rrasm` (MS-RRASM over SMB or TCP through Samba).
#pragma once

#include <cstdint>
#include <string>

namespace rras {

struct RrasmConfig {
  enum class Transport { kNamedPipe, kTcp };  // ncacn_np \PIPE\ROUTER | ncacn_ip_tcp
  enum class AuthLevel { kPrivacy, kIntegrity, kNone };
  Transport transport = Transport::kNamedPipe;
  uint16_t port = 0;  // 0: 445 for np, the endpoint mapper for tcp
  AuthLevel auth_level = AuthLevel::kPrivacy;
  bool kerberos = false;  // ccache/keytab from the environment (KRB5CCNAME, ...)
  std::string domain, username, password_file;
  std::string password;         // contents of password_file; never logged
  double timeout_seconds = 15;  // per RPC call

  bool operator==(const RrasmConfig&) const = default;  // reload: a changed password restarts the router
};

}  // namespace rras
