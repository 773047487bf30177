#include "http/web_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace rras {
namespace {

// Well-formed as bcrypt; the loader checks the form only (web_security_test checks real hashes).
constexpr char kHash[] = "$2y$04$abcdefghijklmnopqrstuuTvl7L8M3qj0xJ9mFZ5b1Tm3zMdMqy8K";

struct TempDir {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("rras_webcfg_" + std::to_string(::getpid()));
  TempDir() {
    std::filesystem::create_directories(dir);
    for (const char* f : {"cert.pem", "key.pem", "ca.pem"}) std::ofstream(dir / f) << "x";
  }
  ~TempDir() { std::filesystem::remove_all(dir); }
  std::string base() const { return dir.string(); }
};

std::string errorOf(const std::string& text, const std::string& base = ".") {
  try {
    parseWebConfig(text, "web.yml", base);
  } catch (const WebConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(WebConfigTest, EmptyFileMeansPlainHttpWithoutAuth) {
  const WebConfig c = parseWebConfig("", "web.yml");
  EXPECT_FALSE(c.tls);
  EXPECT_TRUE(c.basic_auth_users.empty());
}

TEST(WebConfigTest, ReadsTlsAndUsersInExporterToolkitFormat) {
  TempDir t;
  const WebConfig c = parseWebConfig(std::string(R"(
tls_server_config:
  cert_file: cert.pem
  key_file: key.pem
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.pem
  min_version: TLS13
basic_auth_users:
  prometheus: ")") + kHash + R"("
http_server_config:
  http2: false
)",
                                     "web.yml", t.base());
  ASSERT_TRUE(c.tls);
  EXPECT_EQ(c.tls->cert_file, (t.dir / "cert.pem").string());
  EXPECT_EQ(c.tls->client_auth, ClientAuth::kRequireAndVerifyClientCert);
  EXPECT_EQ(c.tls->client_ca_file, (t.dir / "ca.pem").string());
  EXPECT_EQ(c.tls->min_version, TlsVersion::kTls13);
  EXPECT_EQ(c.basic_auth_users.at("prometheus"), kHash);
}

TEST(WebConfigTest, DefaultsFollowExporterToolkit) {
  TempDir t;
  const WebConfig c =
      parseWebConfig("tls_server_config: {cert_file: cert.pem, key_file: key.pem}", "web.yml", t.base());
  EXPECT_EQ(c.tls->min_version, TlsVersion::kTls12);
  EXPECT_EQ(c.tls->client_auth, ClientAuth::kNoClientCert);
  EXPECT_FALSE(c.tls->max_version);
}

TEST(WebConfigTest, BadFilesNameTheProblemAndWhere) {
  TempDir t;
  const std::string b = t.base();
  EXPECT_EQ(errorOf("tls_server_config: {cert_file: cert.pem, key_file: key.pem, colour: blue}", b),
            "web.yml:1:61: tls_server_config: unknown key \"colour\" (allowed: cert_file, key_file, client_auth_type, "
            "client_ca_file, min_version, max_version, prefer_server_cipher_suites, cipher_suites, curve_preferences)");
  EXPECT_NE(errorOf("tls_server_config: {cert_file: nope.pem, key_file: key.pem}", b)
                .find("web.yml:1:32: tls_server_config.cert_file: cannot read "),
            std::string::npos);
  EXPECT_EQ(errorOf("tls_server_config: {key_file: key.pem}", b),
            "web.yml:1:20: tls_server_config: missing key \"cert_file\" (the server certificate, PEM)");
  EXPECT_NE(
      errorOf(
          "tls_server_config: {cert_file: cert.pem, key_file: key.pem, client_auth_type: RequireAndVerifyClientCert}",
          b)
          .find("client_ca_file is not set"),
      std::string::npos);
  EXPECT_NE(errorOf("tls_server_config: {cert_file: cert.pem, key_file: key.pem, client_ca_file: ca.pem}", b)
                .find("does not verify client certificates"),
            std::string::npos);
  EXPECT_NE(errorOf("tls_server_config: {cert_file: cert.pem, key_file: key.pem, min_version: TLS14}", b)
                .find("\"TLS14\" is not one of: TLS10, TLS11, TLS12, TLS13"),
            std::string::npos);
  EXPECT_NE(
      errorOf("tls_server_config: {cert_file: cert.pem, key_file: key.pem, min_version: TLS13, max_version: TLS12}", b)
          .find("max_version: is lower than min_version"),
      std::string::npos);
  EXPECT_NE(errorOf("tls_server_config: {cert_file: cert.pem, key_file: key.pem, client_auth_type: Maybe}", b)
                .find("\"Maybe\" is not one of"),
            std::string::npos);
  EXPECT_NE(errorOf("tls_server_config: {cert_file: cert.pem, key_file: key.pem, client_allowed_sans: [x]}", b)
                .find("tls_server_config.client_allowed_sans: is not supported by rras_exporter"),
            std::string::npos);
  EXPECT_EQ(errorOf("basic_auth_users: {alice: plaintext}"),
            "web.yml:1:27: basic_auth_users.alice: is not a bcrypt hash (\"$2y$10$\" and 53 more characters, as "
            "htpasswd -nBC 10 writes)");
  EXPECT_NE(errorOf("basic_auth_users: {\"a:b\": x}").find("must not contain ':'"), std::string::npos);
  EXPECT_NE(errorOf("basic_auth_users: {alice: }").find("basic_auth_users.alice: has no password hash"),
            std::string::npos);
  EXPECT_NE(errorOf("basic_auth_users: [alice]").find("expected a mapping of user names"), std::string::npos);
  EXPECT_NE(errorOf("tls_config: {}").find("web.yml:1:1: unknown key \"tls_config\""), std::string::npos);
  EXPECT_NE(errorOf("http_server_config: {headers: {X: y}}").find("unknown key \"headers\""), std::string::npos);
  EXPECT_NE(errorOf("a: [").find("web.yml:1:1: invalid YAML: end of sequence flow not found"), std::string::npos);
  EXPECT_NE(errorOf("{}\n---\n{}\n").find("a second YAML document"), std::string::npos);
}

TEST(WebConfigTest, CipherSuitesAndCurvesMapGoNamesToOpenSsl) {
  TempDir t;
  const WebConfig c = parseWebConfig(R"(tls_server_config:
  cert_file: cert.pem
  key_file: key.pem
  cipher_suites:
    - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
    - TLS_AES_128_GCM_SHA256
    - TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
    - TLS_RSA_WITH_AES_128_CBC_SHA
  curve_preferences: [CurveP384, X25519, CurveP256, CurveP521]
)",
                                     "web.yml", t.base());
  // The TLS 1.3 suite is dropped: TLS 1.3 suites are not configurable, as in Go.
  EXPECT_EQ(c.tls->cipher_suites,
            (std::vector<std::string>{"ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "AES128-SHA"}));
  EXPECT_EQ(c.tls->curve_preferences, (std::vector<std::string>{"P-384", "X25519", "P-256", "P-521"}));

  const WebConfig d =
      parseWebConfig("tls_server_config: {cert_file: cert.pem, key_file: key.pem}", "web.yml", t.base());
  EXPECT_TRUE(d.tls->cipher_suites.empty());  // the defaults: kDefaultTls12Ciphers
  EXPECT_TRUE(d.tls->curve_preferences.empty());
  EXPECT_TRUE(d.tls->prefer_server_cipher_suites);
  // TLS 1.3 suites alone are fine when only TLS 1.3 is served.
  EXPECT_TRUE(parseWebConfig("tls_server_config: {cert_file: cert.pem, key_file: key.pem, min_version: TLS13, "
                             "cipher_suites: [TLS_AES_256_GCM_SHA384]}",
                             "web.yml", t.base())
                  .tls->cipher_suites.empty());
}

TEST(WebConfigTest, BadCipherSuitesAndCurvesNameTheEntry) {
  TempDir t;
  const std::string b = t.base();
  const std::string head = "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n";
  EXPECT_NE(
      errorOf(head + "  cipher_suites:\n    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n    - ECDHE-RSA-AES128-SHA\n", b)
          .find("web.yml:6:7: tls_server_config.cipher_suites: \"ECDHE-RSA-AES128-SHA\" is not a Go cipher suite "
                "name (known: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,"),
      std::string::npos);
  EXPECT_EQ(errorOf(head + "  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]\n", b),
            "web.yml:4:19: tls_server_config.cipher_suites: \"TLS_RSA_WITH_RC4_128_SHA\" is not available: RC4 is "
            "broken and not offered by OpenSSL 3");
  EXPECT_NE(errorOf(head + "  cipher_suites: [TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA]\n", b).find("3DES"),
            std::string::npos);
  EXPECT_EQ(errorOf(head + "  cipher_suites: [TLS_AES_128_GCM_SHA256]\n", b),
            "web.yml:4:18: tls_server_config.cipher_suites: names only TLS 1.3 suites, which are not configurable; "
            "name a TLS 1.2 suite or set min_version: TLS13");
  EXPECT_EQ(errorOf(head + "  cipher_suites: TLS_AES_128_GCM_SHA256\n", b),
            "web.yml:4:18: tls_server_config.cipher_suites: expected a list of Go cipher suite names, got "
            "\"TLS_AES_128_GCM_SHA256\"");
  EXPECT_EQ(errorOf(head + "  curve_preferences: [CurveP256, P-384]\n", b),
            "web.yml:4:34: tls_server_config.curve_preferences: \"P-384\" is not one of: CurveP256, CurveP384, "
            "CurveP521, X25519");
  EXPECT_NE(errorOf(head + "  curve_preferences: {a: b}\n", b).find("expected a list of curve names"),
            std::string::npos);
}

TEST(WebConfigTest, MissingFileIsAnError) {
  EXPECT_THROW(loadWebConfigFile("/nonexistent/web.yml"), WebConfigError);
  EXPECT_THROW(loadWebConfigFile("/"), WebConfigError);  // a folder, not a file
}

TEST(WebConfigTest, RecognisesBcryptHashes) {
  EXPECT_TRUE(isBcryptHash(kHash));
  EXPECT_TRUE(isBcryptHash("$2b$10$" + std::string(53, 'a')));
  EXPECT_FALSE(isBcryptHash("$2x$10$" + std::string(53, 'a')));
  EXPECT_FALSE(isBcryptHash("$2b$03$" + std::string(53, 'a')));  // cost below 4
  EXPECT_FALSE(isBcryptHash("$2b$10$" + std::string(52, 'a')));
  EXPECT_FALSE(isBcryptHash("$2b$10$" + std::string(52, 'a') + "!"));
  EXPECT_FALSE(isBcryptHash("$6$salt$hash"));  // sha512-crypt: valid for crypt_r, not for exporter-toolkit
}

}  // namespace
}  // namespace rras
