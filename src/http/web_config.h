// --web.config.file in the Prometheus exporter-toolkit format: TLS (tls_server_config) and basic
// auth (basic_auth_users with bcrypt hashes). Loading is strict like the main configuration:
// unknown keys, wrong types, missing files and malformed hashes are errors naming file, line and
// column. Portable: the parts that use OpenSSL and libxcrypt live in web_security_openssl.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rras {

class WebConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// exporter-toolkit's client_auth_type values (Go's tls.ClientAuthType names).
enum class ClientAuth {
  kNoClientCert,
  kRequestClientCert,
  kRequireAnyClientCert,
  kVerifyClientCertIfGiven,
  kRequireAndVerifyClientCert,
};

// Mozilla "intermediate" for TLS 1.2: forward secrecy (ECDHE) and AEAD only. Go (exporter-toolkit)
// has refused RSA key exchange by default since 1.22; CBC with SHA-1 is refused here too.
inline constexpr const char* kDefaultTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
// Go's default curve preferences, in its order.
inline constexpr const char* kDefaultGroups = "X25519:P-256:P-384:P-521";

enum class TlsVersion { kTls10 = 10, kTls11 = 11, kTls12 = 12, kTls13 = 13 };

struct TlsServerConfig {
  std::string cert_file, key_file;  // resolved against the web config file's folder
  ClientAuth client_auth = ClientAuth::kNoClientCert;
  std::string client_ca_file;                   // required when client certificates are verified
  TlsVersion min_version = TlsVersion::kTls12;  // exporter-toolkit's default
  std::optional<TlsVersion> max_version;
  bool prefer_server_cipher_suites = true;
  // TLS 1.2 suites as OpenSSL names, mapped from Go's names; empty: kDefaultTls12Ciphers. TLS 1.3
  // suites are not configurable, as in Go.
  std::vector<std::string> cipher_suites;
  // Key exchange groups as OpenSSL names, mapped from Go's curve names; empty: kDefaultGroups.
  std::vector<std::string> curve_preferences;

  bool operator==(const TlsServerConfig&) const = default;
};

struct WebConfig {
  std::optional<TlsServerConfig> tls;                   // absent: plain HTTP
  std::map<std::string, std::string> basic_auth_users;  // user -> bcrypt hash; empty: no auth

  bool operator==(const WebConfig&) const = default;
};

// Validates YAML text; `name` stands for the file in messages; relative file names resolve against
// `base_dir`. Throws WebConfigError.
WebConfig parseWebConfig(const std::string& text, const std::string& name, const std::string& base_dir = ".");
// Reads and validates `path`; throws WebConfigError.
WebConfig loadWebConfigFile(const std::string& path);

// The TLS "Supported Groups" code point of an OpenSSL group name a web config can set (those of
// kDefaultGroups and curve_preferences); nullopt for any other name.
std::optional<std::uint16_t> tlsGroupId(std::string_view openssl_name);

// True for "$2a$", "$2b$" or "$2y$" bcrypt hashes with a cost of 4..31 (what htpasswd -B writes).
bool isBcryptHash(const std::string& hash);

}  // namespace rras
