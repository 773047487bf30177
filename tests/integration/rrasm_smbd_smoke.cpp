// Smoke test of the rrasm transport (Samba shim + DceTransport + planBinding) against a real
// Debian smbd: binds to srvsvc over \pipe\srvsvc with auth_level privacy (RPC sealing) while smbd
// requires SMB3 encryption, then calls NetrServerGetInfo level 100. The impacket double can do
// neither sealing nor SMB3, so this is where the sealed path runs for real.
// Usage: rrasm_smbd_smoke <smb-port> <domain> <user> <password-file>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "sources/rrasm/dce_transport.h"
#include "sources/rrasm/ndr_stream.h"

namespace {

// MS-SRVS: srvsvc v3.0; opnum 21 NetrServerGetInfo.
constexpr rras::rrasm::DceInterface kSrvsvc{"4b324fc8-1670-01d3-1278-5a47bf6ee188", 3};
constexpr uint16_t kOpNetrServerGetInfo = 21;
constexpr uint32_t kPlatformIdNt = 500;

int fail(const std::string& why) {
  std::cerr << "FAIL: " << why << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) return fail("usage: rrasm_smbd_smoke <smb-port> <domain> <user> <password-file>");
  rras::RrasmConfig config;
  config.port = static_cast<uint16_t>(std::stoi(argv[1]));
  config.auth_level = rras::RrasmConfig::AuthLevel::kPrivacy;
  config.domain = argv[2];
  config.username = argv[3];
  std::ifstream in(argv[4]);
  std::getline(in, config.password);
  config.timeout_seconds = 10;

  rras::rrasm::BindingPlan plan = rras::rrasm::planBinding("127.0.0.1", config, "\\pipe\\srvsvc");
  plan.lp_options.emplace_back("client smb encrypt=required");
  rras::rrasm::DceTransport transport;
  const auto connected = transport.connect(plan, kSrvsvc, config);
  if (connected.nt_status != 0) return fail(plan.binding + ": " + connected.detail);
  const auto security = transport.security();
  std::cout << "bound " << plan.binding << ": auth_type " << security.auth_type << ", auth_level "
            << security.auth_level << ", SMB3 encrypted " << security.transport_encrypted << "\n";
  if (security.auth_level != 6) return fail("the binding is not sealed (auth level 6 = privacy)");
  if (security.auth_type != 9) return fail("the binding did not authenticate with SPNEGO (9)");
  if (!security.transport_encrypted) return fail("the SMB session is not encrypted");

  rras::rrasm::NdrWriter request;
  request.u32(0);    // ServerName: NULL unique pointer
  request.u32(100);  // Level
  std::vector<uint8_t> reply;
  const auto called = transport.call(kOpNetrServerGetInfo, request.bytes(), reply);
  if (called.nt_status != 0) return fail("NetrServerGetInfo: " + called.detail);
  try {
    rras::rrasm::NdrReader r(reply, "NetrServerGetInfo reply");
    if (r.u32("switch level") != 100) return fail("reply is not level 100");
    if (!r.pointer("SERVER_INFO_100 referent")) return fail("no SERVER_INFO_100");
    const uint32_t platform = r.u32("sv100_platform_id");
    if (platform != kPlatformIdNt) return fail("platform id " + std::to_string(platform));
    if (reply.size() < 4 || rras::rrasm::loadU32(reply, reply.size() - 4) != 0) return fail("status is not 0");
  } catch (const rras::rrasm::MalformedReply& e) {
    return fail(e.what());
  }
  std::cout << "NetrServerGetInfo level 100 over the sealed, encrypted pipe: OK\n1 passed, 0 failed\n";
  return 0;
}
