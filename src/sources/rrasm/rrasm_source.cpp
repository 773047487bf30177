// The rrasm source's row of the source table: its keys (transport, port, auth_level, credentials,
// kerberos, timeout), how it reads and checks them, and its maker where Samba is built in.
#include <cstdlib>
#include <stdexcept>

#include "sources/source_table.h"
#include "yaml/config_reader.h"
#ifdef RRAS_WITH_RRASM
#include "sources/rrasm/rrasm_router.h"
#endif

namespace rras {

namespace {

// ${CREDENTIALS_DIRECTORY} at the start of a path is where systemd's LoadCredential= put the files.
std::string expandCredentialsDirectory(const ConfigReader& r, const YAML::Node& node, const std::string& path,
                                       std::string file) {
  constexpr std::string_view kVar = "${CREDENTIALS_DIRECTORY}";
  if (file.compare(0, kVar.size(), kVar) != 0) return file;
  const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
  if (dir == nullptr || *dir == '\0') {
    r.fail(node, path, "uses ${CREDENTIALS_DIRECTORY} but it is not set (systemd sets it for LoadCredential=)");
  }
  return std::string(dir) + file.substr(kVar.size());
}

bool isIpAddress(const std::string& server) {
  return server.find_first_not_of("0123456789.") == std::string::npos || server.find(':') != std::string::npos;
}

// Kerberos names the server by its host name (tickets for cifs/<name> and host/<name>); with an
// address Samba would only fail later with NT_STATUS_INVALID_PARAMETER.
constexpr const char* kKerberosNeedsName =
    "kerberos: true needs the server's DNS name (Kerberos tickets name it), not the address ";

void readRrasm(const ConfigReader& r, const YAML::Node& node, const std::string& path, RouterTarget& router) {
  RrasmConfig& rrasm = router.rrasm;
  if (router.server.empty()) r.fail(node, path, "source rrasm needs server: the RRAS server's DNS name or IP address");
  if (router.server.find_first_of("[],\\/ \t\"'") != std::string::npos) {
    r.fail(node["server"], path + ".server", "\"" + router.server + "\" is not a host name or IP address");
  }
  if (auto n = node["transport"]) {
    rrasm.transport = r.choice(n, path + ".transport", {"np", "tcp"}) == "np" ? RrasmConfig::Transport::kNamedPipe
                                                                              : RrasmConfig::Transport::kTcp;
  }
  if (auto n = node["port"]) rrasm.port = static_cast<uint16_t>(r.integer(n, path + ".port", 1, 65535));
  if (auto n = node["auth_level"]) {
    const std::string v = r.choice(n, path + ".auth_level", {"privacy", "integrity", "none"});
    rrasm.auth_level = v == "privacy"     ? RrasmConfig::AuthLevel::kPrivacy
                       : v == "integrity" ? RrasmConfig::AuthLevel::kIntegrity
                                          : RrasmConfig::AuthLevel::kNone;
  }
  if (auto n = node["timeout"]) rrasm.timeout_seconds = r.duration(n, path + ".timeout", 3600);
  if (auto n = node["kerberos"]) rrasm.kerberos = r.boolean(n, path + ".kerberos");
  const YAML::Node credentials = node["credentials"];
  if (credentials && rrasm.kerberos) {
    r.fail(credentials, path + ".credentials", "use either credentials or kerberos: true, not both");
  }
  if (rrasm.kerberos && isIpAddress(router.server)) {
    r.fail(node["server"], path + ".server", kKerberosNeedsName + router.server);
  }
  if (credentials) {
    const std::string cpath = path + ".credentials";
    r.expectMap(credentials, cpath, {"domain", "username", "password_file"});
    if (auto n = credentials["domain"]) rrasm.domain = r.string(n, cpath + ".domain");
    const YAML::Node username = credentials["username"];
    if (!username) r.fail(credentials, cpath, "missing key \"username\"");
    rrasm.username = r.string(username, cpath + ".username");
    if (rrasm.username.empty()) r.fail(username, cpath + ".username", "must not be empty");
    const YAML::Node password_file = credentials["password_file"];
    if (!password_file)
      r.fail(credentials, cpath, "missing key \"password_file\" (passwords are read from files only)");
    rrasm.password_file = expandCredentialsDirectory(r, password_file, cpath + ".password_file",
                                                     r.string(password_file, cpath + ".password_file"));
    rrasm.password = r.readSecretFile(password_file, cpath + ".password_file", rrasm.password_file, 1);
  }
  // Only an unauthenticated TCP binding (test doubles, odd networks) goes without an account.
  const bool anonymous_ok =
      rrasm.transport == RrasmConfig::Transport::kTcp && rrasm.auth_level == RrasmConfig::AuthLevel::kNone;
  if (!credentials && !rrasm.kerberos && !anonymous_ok) {
    r.fail(node, path, "source rrasm needs credentials: {domain, username, password_file} or kerberos: true");
  }
}

void fitRrasmTarget(RouterTarget& router) {
  if (router.rrasm.kerberos && isIpAddress(router.server)) {
    throw std::invalid_argument(kKerberosNeedsName + router.server);
  }
}

// NTLM answers a challenge anyone can relay; Kerberos tickets name the server they are for.
bool rrasmRelayable(const RouterTarget& router) { return !router.rrasm.kerberos; }

#ifdef RRAS_WITH_RRASM
std::unique_ptr<RouterApi> makeRrasm(const RouterTarget& router, const WallClock&) {
  return std::make_unique<rrasm::RrasmRouter>(router.name, router.server, router.rrasm);
}
#else
constexpr auto makeRrasm = nullptr;
#endif

}  // namespace

SourceDescriptor rrasmSource() {
  return {"rrasm",
          {"transport", "port", "auth_level", "credentials", "kerberos", "timeout"},
          readRrasm,
          makeRrasm,
          "source rrasm (MS-RRASM over SMB) needs the Linux build with Samba (RRAS_WITH_RRASM)",
          fitRrasmTarget,
          rrasmRelayable};
}

}  // namespace rras
