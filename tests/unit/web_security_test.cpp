// Basic auth through the real HTTP server with real bcrypt hashes (libxcrypt), and the web config
// re-read on change. TLS is tested against the real binary with openssl and curl
// (tests/faults/web_config_tls_test.py).
#include "http/web_security.h"

#include <crypt.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "http/http_server.h"
#include "http/web_config.h"

namespace rras {
namespace {

std::string bcrypt(const std::string& password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  const char random[16] = "0123456789abcde";
  EXPECT_NE(crypt_gensalt_rn("$2y$", 4, random, sizeof random, salt, sizeof salt), nullptr);
  crypt_data data{};
  return crypt_r(password.c_str(), salt, &data);
}

struct WebFile {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("rras_websec_" + std::to_string(::getpid()) + ".yml");
  explicit WebFile(const std::string& text) { write(text); }
  ~WebFile() { std::filesystem::remove(path); }
  void write(const std::string& text) {
    // A new inode each time, as editors and config management write files.
    const auto tmp = path.string() + ".new";
    std::ofstream(tmp) << text;
    std::filesystem::rename(tmp, path);
  }
};

struct AuthServer {
  MetricsStore store{{"r0"}};
  Exposition exposition{store, std::make_shared<prometheus::Registry>()};
  std::shared_ptr<WebSecurity> security;
  std::unique_ptr<HttpServer> server;
  std::unique_ptr<httplib::Client> client;

  explicit AuthServer(const std::string& web_file) {
    security = std::make_shared<WebSecurity>(web_file);
    server = std::make_unique<HttpServer>(exposition, store, security);
    server->start({"127.0.0.1:0"});
    client = std::make_unique<httplib::Client>("127.0.0.1", server->boundPorts().at(0));
  }
  int status(const std::string& path, const std::string& user = "", const std::string& password = "") {
    httplib::Headers headers;
    if (!user.empty()) headers.insert(httplib::make_basic_authentication_header(user, password));
    auto res = client->Get(path.c_str(), headers);
    return res ? res->status : -1;
  }
};

TEST(WebSecurityTest, BasicAuthAcceptsTheRightPasswordOnly) {
  WebFile file("basic_auth_users:\n  prometheus: \"" + bcrypt("s3cret") + "\"\n  other: \"" + bcrypt("x") + "\"\n");
  AuthServer s(file.path.string());
  EXPECT_EQ(s.status("/metrics", "prometheus", "s3cret"), 200);
  EXPECT_EQ(s.status("/metrics", "prometheus", "wrong"), 401);
  EXPECT_EQ(s.status("/metrics", "other", "s3cret"), 401);   // another user's password
  EXPECT_EQ(s.status("/metrics", "nobody", "s3cret"), 401);  // unknown user
  // An unknown user is checked against the first user's hash (map order: "other") to keep the
  // timing even; that user's own password must not let the unknown name in.
  EXPECT_EQ(s.status("/metrics", "nobody", "x"), 401);
  EXPECT_EQ(s.status("/metrics", "", "x"), 401);
  EXPECT_EQ(s.status("/metrics"), 401);
  EXPECT_EQ(s.status("/nope"), 401);  // unknown paths need credentials too: nothing leaks
  EXPECT_EQ(s.status("/nope", "prometheus", "s3cret"), 404);

  auto res = s.client->Get("/metrics", {{"Authorization", "Basic !!!!"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Basic realm=\"rras_exporter\", charset=\"UTF-8\"");
  EXPECT_NE(res->body.find("malformed Authorization header"), std::string::npos);
  res = s.client->Get("/metrics", {{"Authorization", "Bearer abc"}});
  EXPECT_EQ(res->status, 401);
}

TEST(WebSecurityTest, ChangedFileIsReReadAndABadOneKeepsTheLastGood) {
  WebFile file("basic_auth_users:\n  alice: \"" + bcrypt("one") + "\"\n");
  AuthServer s(file.path.string());
  EXPECT_EQ(s.status("/metrics", "alice", "one"), 200);

  file.write("basic_auth_users:\n  alice: \"" + bcrypt("two") + "\"\n");
  EXPECT_EQ(s.status("/metrics", "alice", "one"), 401);
  EXPECT_EQ(s.status("/metrics", "alice", "two"), 200);

  file.write("basic_auth_users:\n  alice: not-a-hash\n");
  EXPECT_EQ(s.status("/metrics", "alice", "two"), 200);  // still the last good version

  file.write("{}\n");  // users removed: no auth
  EXPECT_EQ(s.status("/metrics"), 200);
}

TEST(WebSecurityTest, SwitchingToTlsNeedsARestart) {
  WebFile file("{}\n");
  AuthServer s(file.path.string());
  EXPECT_FALSE(s.security->tls());
  const auto cert = file.path.string() + ".pem";
  std::ofstream(cert) << "x";
  file.write("tls_server_config: {cert_file: " + cert + ", key_file: " + cert + "}\n");
  EXPECT_EQ(s.status("/metrics"), 200);  // rejected: still plain HTTP
  std::filesystem::remove(cert);
}

TEST(WebSecurityTest, BadFilesFailAtStart) {
  EXPECT_THROW(WebSecurity("/nonexistent/web.yml"), WebConfigError);
  WebFile file("basic_auth_users: [x]\n");
  EXPECT_THROW(WebSecurity(file.path.string()), WebConfigError);
  // A certificate file that is not PEM: OpenSSL's reason and the file are named.
  const auto junk = file.path.string() + ".pem";
  std::ofstream(junk) << "not a certificate";
  file.write("tls_server_config: {cert_file: " + junk + ", key_file: " + junk + "}\n");
  try {
    WebSecurity w(file.path.string());
    ADD_FAILURE() << "accepted a junk certificate";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("tls_server_config.cert_file " + junk + ": not a PEM certificate"),
              std::string::npos)
        << e.what();
  }
  std::filesystem::remove(junk);
}

}  // namespace
}  // namespace rras
