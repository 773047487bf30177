// Smoke test of the rrasm transport (Samba shim + DceTransport + planBinding) against a real
// Samba server: binds to srvsvc over \pipe\srvsvc with auth_level privacy (RPC sealing) and SMB3
// encryption required, then calls NetrServerGetInfo level 100. The impacket double can do neither
// sealing nor SMB3 nor Kerberos, so this is where those paths run for real:
//   - NTLMv2 inside SPNEGO (auth type 9) against Debian's smbd (rrasm_smbd_smoke.sh);
//   - `kerberos: true` (Kerberos inside SPNEGO) against a throw-away Samba AD DC (rrasm_kerberos_smoke.sh),
//     with the ticket cache KRB5CCNAME names, and without one (--expect-error).
// Usage: rrasm_smbd_smoke [--server NAME] <smb-port> <domain> <user> <password-file>
//        rrasm_smbd_smoke [--server NAME] --kerberos [--expect-error TEXT] <smb-port>
// --expect-error: the connect must fail, and its error must contain TEXT.
// --threads N --rounds R: afterwards N threads, each with its own transport, connect, call and
// disconnect R times at once (Samba's libraries are not thread-safe; the shim serialises them).
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sources/rrasm/dce_shim.h"
#include "sources/rrasm/dce_transport.h"
#include "sources/rrasm/ndr_stream.h"

namespace {

// MS-SRVS: srvsvc v3.0; opnum 21 NetrServerGetInfo.
constexpr rras::rrasm::DceInterface kSrvsvc{"4b324fc8-1670-01d3-1278-5a47bf6ee188", 3};
constexpr uint16_t kOpNetrServerGetInfo = 21;
constexpr uint32_t kPlatformIdNt = 500;
// MS-RPCE 2.2.1.1.7 / 2.2.1.1.8.
constexpr int kAuthTypeSpnego = 9, kAuthLevelPrivacy = 6;

constexpr const char* kUsage =
    "usage: rrasm_smbd_smoke [--server NAME] [--threads N --rounds R] <smb-port> <domain> <user> <password-file>\n"
    "       rrasm_smbd_smoke [--server NAME] --kerberos [--expect-error TEXT] <smb-port>";

int fail(const std::string& why) {
  std::cerr << "FAIL: " << why << "\n";
  return 1;
}

// One NetrServerGetInfo level 100 on a bound transport; empty on success, else what went wrong.
std::string callServerGetInfo(rras::rrasm::DceTransport& transport) {
  rras::rrasm::NdrWriter request;
  request.u32(0);    // ServerName: NULL unique pointer
  request.u32(100);  // Level
  std::vector<uint8_t> reply;
  const auto called = transport.call(kOpNetrServerGetInfo, request.bytes(), reply);
  if (called.nt_status != 0) return "NetrServerGetInfo: " + called.detail;
  try {
    rras::rrasm::NdrReader r(reply, "NetrServerGetInfo reply");
    if (r.u32("switch level") != 100) return "reply is not level 100";
    if (!r.pointer("SERVER_INFO_100 referent")) return "no SERVER_INFO_100";
    const uint32_t platform = r.u32("sv100_platform_id");
    if (platform != kPlatformIdNt) return "platform id " + std::to_string(platform);
    if (reply.size() < 4 || rras::rrasm::loadU32(reply, reply.size() - 4) != 0) return "status is not 0";
  } catch (const rras::rrasm::MalformedReply& e) {
    return e.what();
  }
  return {};
}

// Threads that each bind, call and unbind `rounds` times at once; every second round builds a
// new transport, so Samba's set-up and tear-down race too. Returns the number of failed rounds.
int runInParallel(int threads, int rounds, const rras::rrasm::BindingPlan& plan, const rras::RrasmConfig& config) {
  std::atomic<int> failed{0};
  std::mutex print;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto transport = std::make_unique<rras::rrasm::DceTransport>();
      for (int round = 0; round < rounds; ++round) {
        if (round % 2 == 1) transport = std::make_unique<rras::rrasm::DceTransport>();
        const auto connected = transport->connect(plan, kSrvsvc, config);
        std::string error = connected.nt_status != 0 ? "connect: " + connected.detail : callServerGetInfo(*transport);
        transport->disconnect();
        if (!error.empty()) {
          ++failed;
          std::lock_guard lock(print);
          std::cerr << "thread " << t << " round " << round << ": " << error << "\n";
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  return failed.load();
}

}  // namespace

int main(int argc, char** argv) {
  std::string server = "127.0.0.1", expected_error;
  int threads = 0, rounds = 0;
  rras::RrasmConfig config;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--kerberos") {
      config.kerberos = true;
    } else if ((arg == "--threads" || arg == "--rounds") && i + 1 < argc) {
      (arg == "--threads" ? threads : rounds) = std::stoi(argv[++i]);
    } else if ((arg == "--server" || arg == "--expect-error") && i + 1 < argc) {
      (arg == "--server" ? server : expected_error) = argv[++i];
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() != (config.kerberos ? 1U : 4U)) return fail(kUsage);
  config.port = static_cast<uint16_t>(std::stoi(positional[0]));
  config.auth_level = rras::RrasmConfig::AuthLevel::kPrivacy;
  if (!config.kerberos) {
    config.domain = positional[1];
    config.username = positional[2];
    std::ifstream in(positional[3]);
    std::getline(in, config.password);
  }
  config.timeout_seconds = 10;

  rras::rrasm::BindingPlan plan = rras::rrasm::planBinding(server, config, "\\pipe\\srvsvc");
  plan.lp_options.emplace_back("client smb encrypt=required");
  rras::rrasm::DceTransport transport;
  const auto connected = transport.connect(plan, kSrvsvc, config);
  if (!expected_error.empty()) {
    if (connected.nt_status == 0) return fail(plan.binding + " connected, expected an error about " + expected_error);
    if (connected.detail.find(expected_error) == std::string::npos) {
      return fail("the error does not mention \"" + expected_error + "\": " + connected.detail);
    }
    std::cout << "refused as expected: " << connected.detail << " (" << rras::apiCodeName(connected.code())
              << ")\n1 passed, 0 failed\n";
    return 0;
  }
  if (connected.nt_status != 0) return fail(plan.binding + ": " + connected.detail);
  const auto security = transport.security();
  std::cout << "bound " << plan.binding << ": auth_type " << security.auth_type << ", auth_level "
            << security.auth_level << ", SMB3 encrypted " << security.transport_encrypted << "\n";
  if (security.auth_level != kAuthLevelPrivacy) return fail("the binding is not sealed (auth level 6 = privacy)");
  // SPNEGO for both, as MS-RRASM 2.1.1.1 requires of the server; with `kerberos: true` the
  // credentials allow only Kerberos inside it (the caller checks the host/ ticket it needed).
  if (security.auth_type != kAuthTypeSpnego) return fail("the binding did not authenticate with SPNEGO (9)");
  if (!security.transport_encrypted) return fail("the SMB session is not encrypted");

  if (const std::string error = callServerGetInfo(transport); !error.empty()) return fail(error);
  std::cout << "NetrServerGetInfo level 100 over the sealed, encrypted pipe: OK\n";
  transport.disconnect();
  if (threads > 0) {
    const int failed = runInParallel(threads, rounds, plan, config);
    std::cout << threads << " threads x " << rounds << " rounds of bind, call, unbind at once: " << failed
              << " failed\n";
    if (failed > 0) return fail(std::to_string(failed) + " parallel rounds failed");
  }
  // Every network wait must have given the shared Samba lock up (none inside an open stack frame).
  if (const unsigned kept = rrasm_dce_waits_holding_lock(); kept != 0) {
    return fail(std::to_string(kept) + " network waits kept the Samba lock");
  }
  std::cout << "1 passed, 0 failed\n";
  return 0;
}
