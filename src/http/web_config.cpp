#include "http/web_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string_view>
#include <utility>
#include <vector>

#include "yaml/config_file.h"
#include "yaml/yaml_documents.h"
#include "yaml/yaml_reader.h"

namespace rras {

namespace {

// exporter-toolkit keys rras_exporter knows but does not implement: naming them beats "unknown key".
constexpr std::string_view kUnsupportedTlsKeys[] = {"cert", "key", "client_ca", "client_allowed_sans"};

// Go's cipher suite names (tls.CipherSuites() and tls.InsecureCipherSuites(), which
// exporter-toolkit accepts) and what they are in OpenSSL. `openssl` is empty for TLS 1.3 suites
// (not configurable, as in Go) and `refused` says why a suite OpenSSL 3 does not offer is refused.
struct GoCipherSuite {
  std::string_view go, openssl, refused;
};
constexpr GoCipherSuite kGoCipherSuites[] = {
    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", ""},
    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", ""},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", ""},
    {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384", ""},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305", ""},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305", ""},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA", ""},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA", ""},
    {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA", ""},
    {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA", ""},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256", ""},
    {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256", ""},
    {"TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256", ""},
    {"TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384", ""},
    {"TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", ""},
    {"TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA", ""},
    {"TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256", ""},
    {"TLS_AES_128_GCM_SHA256", "", ""},
    {"TLS_AES_256_GCM_SHA384", "", ""},
    {"TLS_CHACHA20_POLY1305_SHA256", "", ""},
    {"TLS_RSA_WITH_RC4_128_SHA", "", "RC4 is broken and not offered by OpenSSL 3"},
    {"TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", "", "RC4 is broken and not offered by OpenSSL 3"},
    {"TLS_ECDHE_RSA_WITH_RC4_128_SHA", "", "RC4 is broken and not offered by OpenSSL 3"},
    {"TLS_RSA_WITH_3DES_EDE_CBC_SHA", "", "3DES (Sweet32) is not offered by OpenSSL 3"},
    {"TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "", "3DES (Sweet32) is not offered by OpenSSL 3"},
};

// The key exchange groups a web config can name: exporter-toolkit's curve_preferences name,
// OpenSSL's group name, and the TLS "Supported Groups" code point (RFC 8446 §4.2.7).
struct GoCurve {
  std::string_view go, openssl;
  std::uint16_t tls_id;
};
constexpr GoCurve kGoCurves[] = {
    {"CurveP256", "P-256", 23}, {"CurveP384", "P-384", 24}, {"CurveP521", "P-521", 25}, {"X25519", "X25519", 29}};

class WebReader : public YamlReader<WebConfigError> {
 public:
  using YamlReader::YamlReader;

  std::string string(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) fail(node, path, "expected a string");
    return node.Scalar();
  }

  bool boolean(const YAML::Node& node, const std::string& path) const {
    const std::string s = string(node, path);
    if (s == "true") return true;
    if (s == "false") return false;
    fail(node, path, "expected true or false, got \"" + s + "\"");
  }

  // A file that must exist and be a readable regular file; returns the resolved path.
  std::string readableFile(const YAML::Node& node, const std::string& path) const {
    const std::string name = string(node, path);
    if (name.empty()) fail(node, path, "must not be empty");
    const std::filesystem::path file = resolve(name);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec) || !std::ifstream(file, std::ios::binary)) {
      fail(node, path, "cannot read " + file.string() + " (missing, not a regular file, or not readable)");
    }
    return file.string();
  }

  TlsVersion version(const YAML::Node& node, const std::string& path) const {
    const std::string s = string(node, path);
    if (s == "TLS10") return TlsVersion::kTls10;
    if (s == "TLS11") return TlsVersion::kTls11;
    if (s == "TLS12") return TlsVersion::kTls12;
    if (s == "TLS13") return TlsVersion::kTls13;
    fail(node, path, "\"" + s + "\" is not one of: TLS10, TLS11, TLS12, TLS13");
  }
};

ClientAuth clientAuth(const WebReader& r, const YAML::Node& node, const std::string& path) {
  const std::string s = r.string(node, path);
  if (s == "NoClientCert" || s.empty()) return ClientAuth::kNoClientCert;
  if (s == "RequestClientCert") return ClientAuth::kRequestClientCert;
  if (s == "RequireAnyClientCert") return ClientAuth::kRequireAnyClientCert;
  if (s == "VerifyClientCertIfGiven") return ClientAuth::kVerifyClientCertIfGiven;
  if (s == "RequireAndVerifyClientCert") return ClientAuth::kRequireAndVerifyClientCert;
  r.fail(node, path,
         "\"" + s +
             "\" is not one of: NoClientCert, RequestClientCert, RequireAnyClientCert, "
             "VerifyClientCertIfGiven, RequireAndVerifyClientCert");
}

std::vector<std::string> cipherSuites(const WebReader& r, const YAML::Node& node, const std::string& path,
                                      const TlsServerConfig& tls) {
  if (!node.IsSequence()) r.fail(node, path, "expected a list of Go cipher suite names, got " + r.kind(node));
  std::vector<std::string> suites;
  bool tls13_only = node.size() > 0;
  for (const auto& item : node) {
    const std::string name = r.string(item, path);
    const auto* suite = std::find_if(std::begin(kGoCipherSuites), std::end(kGoCipherSuites),
                                     [&](const GoCipherSuite& s) { return s.go == name; });
    if (suite == std::end(kGoCipherSuites)) {
      std::vector<std::string_view> names;
      for (const auto& s : kGoCipherSuites) {
        if (s.refused.empty()) names.push_back(s.go);
      }
      r.fail(item, path, "\"" + name + "\" is not a Go cipher suite name (known: " + joinNames(names) + ")");
    }
    if (!suite->refused.empty())
      r.fail(item, path, "\"" + name + "\" is not available: " + std::string(suite->refused));
    if (suite->openssl.empty()) continue;  // TLS 1.3: always on with TLS 1.3, as in Go
    tls13_only = false;
    if (std::find(suites.begin(), suites.end(), suite->openssl) == suites.end()) suites.emplace_back(suite->openssl);
  }
  if (tls13_only && tls.min_version != TlsVersion::kTls13) {
    r.fail(node, path,
           "names only TLS 1.3 suites, which are not configurable; name a TLS 1.2 suite or set min_version: TLS13");
  }
  return suites;
}

std::vector<std::string> curves(const WebReader& r, const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) r.fail(node, path, "expected a list of curve names, got " + r.kind(node));
  std::vector<std::string> groups;
  for (const auto& item : node) {
    const std::string name = r.string(item, path);
    const auto* curve =
        std::find_if(std::begin(kGoCurves), std::end(kGoCurves), [&](const GoCurve& c) { return c.go == name; });
    if (curve == std::end(kGoCurves)) {
      r.fail(item, path, "\"" + name + "\" is not one of: CurveP256, CurveP384, CurveP521, X25519");
    }
    if (std::find(groups.begin(), groups.end(), curve->openssl) == groups.end()) groups.emplace_back(curve->openssl);
  }
  return groups;
}

TlsServerConfig readTls(const WebReader& r, const YAML::Node& node) {
  const std::string path = "tls_server_config";
  if (node.IsMap()) {
    for (const auto& kv : node) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
      if (std::find(std::begin(kUnsupportedTlsKeys), std::end(kUnsupportedTlsKeys), key) !=
          std::end(kUnsupportedTlsKeys)) {
        r.fail(kv.first, path + "." + key,
               "is not supported by rras_exporter; use cert_file, key_file and client_ca_file");
      }
    }
  }
  r.expectMap(node, path,
              {"cert_file", "key_file", "client_auth_type", "client_ca_file", "min_version", "max_version",
               "prefer_server_cipher_suites", "cipher_suites", "curve_preferences"});
  TlsServerConfig tls;
  const YAML::Node cert = node["cert_file"];
  const YAML::Node key = node["key_file"];
  if (!cert) r.fail(node, path, "missing key \"cert_file\" (the server certificate, PEM)");
  if (!key) r.fail(node, path, "missing key \"key_file\" (the server's private key, PEM)");
  tls.cert_file = r.readableFile(cert, path + ".cert_file");
  tls.key_file = r.readableFile(key, path + ".key_file");
  if (auto n = node["client_auth_type"]) tls.client_auth = clientAuth(r, n, path + ".client_auth_type");
  if (auto n = node["client_ca_file"]) tls.client_ca_file = r.readableFile(n, path + ".client_ca_file");
  const bool verifies = tls.client_auth == ClientAuth::kVerifyClientCertIfGiven ||
                        tls.client_auth == ClientAuth::kRequireAndVerifyClientCert;
  if (verifies && tls.client_ca_file.empty()) {
    r.fail(node, path, "client_auth_type verifies client certificates but client_ca_file is not set");
  }
  if (!verifies && !tls.client_ca_file.empty()) {
    r.fail(node["client_ca_file"], path + ".client_ca_file",
           "is set but client_auth_type does not verify client certificates (use VerifyClientCertIfGiven or "
           "RequireAndVerifyClientCert)");
  }
  if (auto n = node["min_version"]) tls.min_version = r.version(n, path + ".min_version");
  if (auto n = node["max_version"]) {
    tls.max_version = r.version(n, path + ".max_version");
    if (*tls.max_version < tls.min_version) r.fail(n, path + ".max_version", "is lower than min_version");
  }
  if (auto n = node["prefer_server_cipher_suites"]) {
    tls.prefer_server_cipher_suites = r.boolean(n, path + ".prefer_server_cipher_suites");
  }
  if (auto n = node["cipher_suites"]) tls.cipher_suites = cipherSuites(r, n, path + ".cipher_suites", tls);
  if (auto n = node["curve_preferences"]) tls.curve_preferences = curves(r, n, path + ".curve_preferences");
  return tls;
}

std::map<std::string, std::string> readUsers(const WebReader& r, const YAML::Node& node) {
  const std::string path = "basic_auth_users";
  if (!node.IsMap()) r.fail(node, path, "expected a mapping of user names to bcrypt hashes");
  std::map<std::string, std::string> users;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) r.fail(kv.first, path, "user names must be plain strings");
    const std::string user = kv.first.Scalar();
    const std::string where = path + "." + user;
    if (user.empty()) r.fail(kv.first, path, "a user name must not be empty");
    if (user.find(':') != std::string::npos) r.fail(kv.first, where, "a user name must not contain ':'");
    if (kv.second.IsNull()) r.fail(kv.first, where, "has no password hash");
    const std::string hash = r.string(kv.second, where);
    if (!isBcryptHash(hash)) {
      r.fail(kv.second, where, "is not a bcrypt hash (\"$2y$10$\" and 53 more characters, as htpasswd -nBC 10 writes)");
    }
    if (!users.emplace(user, hash).second) r.fail(kv.first, path, "duplicate user \"" + user + "\"");
  }
  return users;
}

}  // namespace

std::optional<std::uint16_t> tlsGroupId(std::string_view openssl_name) {
  for (const GoCurve& c : kGoCurves) {
    if (c.openssl == openssl_name) return c.tls_id;
  }
  return std::nullopt;
}

bool isBcryptHash(const std::string& hash) {
  // $2b$10$ + 22 characters of salt + 31 of hash, in bcrypt's base64 alphabet.
  if (hash.size() != 60 || hash[0] != '$' || hash[1] != '2' || hash[3] != '$' || hash[6] != '$') return false;
  if (hash[2] != 'a' && hash[2] != 'b' && hash[2] != 'y') return false;
  if (!std::isdigit(static_cast<unsigned char>(hash[4])) || !std::isdigit(static_cast<unsigned char>(hash[5]))) {
    return false;
  }
  const int cost = (hash[4] - '0') * 10 + (hash[5] - '0');
  if (cost < 4 || cost > 31) return false;
  return std::all_of(hash.begin() + 7, hash.end(),
                     [](char c) { return c == '.' || c == '/' || std::isalnum(static_cast<unsigned char>(c)); });
}

WebConfig parseWebConfig(const std::string& text, const std::string& name, const std::string& base_dir) {
  const WebReader r(name, base_dir);
  const YAML::Node root = loadOneYamlDocument<WebConfigError>(text, name, "");
  WebConfig config;
  if (!root || root.IsNull()) return config;  // an empty file: plain HTTP without auth, as exporter-toolkit
  r.expectMap(root, "", {"tls_server_config", "basic_auth_users", "http_server_config"});
  if (auto n = root["tls_server_config"]) config.tls = readTls(r, n);
  if (auto n = root["basic_auth_users"]) config.basic_auth_users = readUsers(r, n);
  if (auto n = root["http_server_config"]) {
    // http2 is accepted for compatibility; the exporter serves HTTP/1.1. Custom headers are not supported.
    r.expectMap(n, "http_server_config", {"http2"});
    if (auto h = n["http2"]) r.boolean(h, "http_server_config.http2");
  }
  return config;
}

WebConfig loadWebConfigFile(const std::string& path) {
  const std::filesystem::path fs_path(std::u8string(path.begin(), path.end()));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(fs_path, ec)) {
    throw WebConfigError(path + ": cannot open the web configuration file (does it exist and is it a regular file?)");
  }
  const auto file = readConfigFile(path);
  if (!file) throw WebConfigError(path + ": cannot read the web configuration file (permissions?)");
  return parseWebConfig(file->text, path, file->folder);
}

}  // namespace rras
