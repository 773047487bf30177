#include "http/hello_retry.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "http/web_security.h"
#include "self_signed_web_config.h"

namespace rras {
namespace {

using Bytes = std::vector<unsigned char>;

// supported_groups extension body: a 2-byte length, then the ids.
Bytes supportedGroups(const std::vector<unsigned>& ids) {
  Bytes b{0, static_cast<unsigned char>(ids.size() * 2)};
  for (unsigned id : ids) {
    b.push_back(static_cast<unsigned char>(id >> 8));
    b.push_back(static_cast<unsigned char>(id));
  }
  return b;
}

// key_share extension body of a ClientHello: a 2-byte length, then (id, 2-byte key length, key).
Bytes keyShares(const std::vector<unsigned>& ids) {
  Bytes entries;
  for (unsigned id : ids) {
    const unsigned key_len = id == 29 ? 32 : 65;  // X25519, P-256
    entries.insert(entries.end(), {static_cast<unsigned char>(id >> 8), static_cast<unsigned char>(id), 0,
                                   static_cast<unsigned char>(key_len)});
    entries.insert(entries.end(), key_len, 0xab);
  }
  Bytes b{static_cast<unsigned char>(entries.size() >> 8), static_cast<unsigned char>(entries.size())};
  for (unsigned char e : entries) b.push_back(e);
  return b;
}

std::string retry(const std::string& server, const Bytes& supported, const Bytes& shares) {
  return hello_retry::retryGroups(server, supported.data(), supported.size(), shares.data(), shares.size());
}

constexpr unsigned kX25519 = 29, kP256 = 23, kP384 = 24, kP521 = 25, kX448 = 30;

TEST(HelloRetryTest, OffersTheServersGroupsTheClientSupportsButSentNoShareFor) {
  // OpenSSL's and Go's clients: every group supported, one X25519 share.
  EXPECT_EQ(
      retry("X25519:P-256:P-384:P-521", supportedGroups({kX25519, kP256, kX448, kP521, kP384}), keyShares({kX25519})),
      "P-256:P-384:P-521");
}

TEST(HelloRetryTest, KeepsTheServersOrderAndOnlyWhatTheClientSupports) {
  EXPECT_EQ(retry("P-521:X25519:P-256", supportedGroups({kX25519, kP256}), keyShares({kX25519})), "P-256");
  EXPECT_EQ(retry("P-384:P-256", supportedGroups({kP256, kP384, kX25519}), keyShares({kP256})), "P-384");
}

TEST(HelloRetryTest, NothingWhenTheClientSentAShareForEveryGroupItHasInCommon) {
  // A browser sending X25519 and P-256 shares, with a server that takes only those two.
  EXPECT_EQ(retry("X25519:P-256", supportedGroups({kX25519, kP256, kP384}), keyShares({kX25519, kP256})), "");
  // A client that supports one group only: a retry could not ask for anything else.
  EXPECT_EQ(retry("X25519:P-256:P-384:P-521", supportedGroups({kX25519}), keyShares({kX25519})), "");
}

TEST(HelloRetryTest, AnEmptyKeyShareListLeavesEveryCommonGroup) {
  // A client may send no share at all and wait for the server to name a group.
  EXPECT_EQ(retry("X25519:P-256", supportedGroups({kP256, kX25519}), keyShares({})), "X25519:P-256");
}

TEST(HelloRetryTest, MalformedExtensionsMeanNoRetry) {
  const Bytes supported = supportedGroups({kX25519, kP256});
  const Bytes shares = keyShares({kX25519});
  Bytes short_length = supported;
  short_length[1] = 2;  // says one group, holds two
  EXPECT_EQ(retry("X25519:P-256", short_length, shares), "");
  Bytes odd = supported;
  odd.push_back(0);
  EXPECT_EQ(retry("X25519:P-256", odd, shares), "");
  Bytes cut_key = shares;
  cut_key.pop_back();  // the key is a byte shorter than its length says
  cut_key[1] = static_cast<unsigned char>(cut_key.size() - 2);
  EXPECT_EQ(retry("X25519:P-256", supported, cut_key), "");
  EXPECT_EQ(hello_retry::retryGroups("X25519:P-256", supported.data(), 1, shares.data(), shares.size()), "");
  EXPECT_EQ(hello_retry::retryGroups("X25519:P-256", supported.data(), supported.size(), shares.data(), 0), "");
}

TEST(HelloRetryTest, TheStateTravelsWithTheConnection) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  ASSERT_NE(ctx, nullptr);
  SSL* a = SSL_new(ctx);
  SSL* b = SSL_new(ctx);
  EXPECT_EQ(hello_retry::get(a), hello_retry::State::kNone);
  hello_retry::set(a, hello_retry::State::kAsked);
  EXPECT_EQ(hello_retry::get(a), hello_retry::State::kAsked);
  EXPECT_EQ(hello_retry::get(b), hello_retry::State::kNone);
  SSL_free(a);
  SSL_free(b);
  SSL_CTX_free(ctx);
}

// The exporter's TLS server side (WebSecurity's context and ClientHello callback) against
// OpenSSL's default client, the two joined by memory BIOs.
class Handshake {
 public:
  explicit Handshake(const std::string& extra = "") {
    const auto dir = std::filesystem::temp_directory_path() / ("rras-hello-retry-" + std::to_string(::getpid()));
    security_ = std::make_unique<WebSecurity>(testing::writeSelfSignedWebConfig(dir, extra));
    server_ctx_holder_ = security_->makeServer();
    server_ = SSL_new(dynamic_cast<httplib::SSLServer&>(*server_ctx_holder_).ssl_context());
    client_ctx_ = SSL_CTX_new(TLS_client_method());
    client_ = SSL_new(client_ctx_);
    join(server_, client_);
    SSL_set_accept_state(server_);
    SSL_set_connect_state(client_);
  }
  ~Handshake() {
    SSL_free(client_);
    SSL_free(server_);
    SSL_CTX_free(client_ctx_);
  }
  Handshake(const Handshake&) = delete;
  Handshake& operator=(const Handshake&) = delete;

  SSL* server() { return server_; }
  SSL* client() { return client_; }
  // One step of the client, then one of the server; returns what the server wrote.
  std::string step() {
    SSL_do_handshake(client_);
    SSL_do_handshake(server_);
    std::string out(static_cast<size_t>(BIO_pending(server_out_)), '\0');
    BIO_read(server_out_, out.data(), static_cast<int>(out.size()));
    BIO_write(client_in_, out.data(), static_cast<int>(out.size()));
    return out;
  }
  bool done() const { return SSL_is_init_finished(server_) == 1 && SSL_is_init_finished(client_) == 1; }

 private:
  // client -> server through one memory BIO, server -> client through two (so step() sees it).
  void join(SSL* server, SSL* client) {
    BIO* c2s = BIO_new(BIO_s_mem());
    server_out_ = BIO_new(BIO_s_mem());
    client_in_ = BIO_new(BIO_s_mem());
    for (BIO* b : {c2s, server_out_, client_in_}) BIO_set_mem_eof_return(b, -1);
    BIO_up_ref(c2s);
    SSL_set_bio(server, c2s, server_out_);
    SSL_set_bio(client, client_in_, c2s);
  }
  std::unique_ptr<WebSecurity> security_;
  std::unique_ptr<httplib::Server> server_ctx_holder_;
  SSL_CTX* client_ctx_ = nullptr;
  SSL* server_ = nullptr;
  SSL* client_ = nullptr;
  BIO* server_out_ = nullptr;
  BIO* client_in_ = nullptr;
};

// RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello with this random.
bool isRetryRequest(const std::string& flight) {
  static const unsigned char kRandom[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                                            0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                                            0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
  // record header (5), handshake header (4), legacy_version (2), then the random
  return flight.size() >= 43 && flight[0] == 0x16 && flight[5] == 0x02 &&
         std::equal(flight.begin() + 11, flight.begin() + 43, reinterpret_cast<const char*>(kRandom));
}

TEST(HelloRetryHandshakeTest, AClientAskedToRetryCompletesOnAnotherGroup) {
  Handshake h;
  hello_retry::set(h.server(), hello_retry::State::kWanted);
  EXPECT_TRUE(isRetryRequest(h.step()));
  EXPECT_EQ(hello_retry::get(h.server()), hello_retry::State::kAsked);
  EXPECT_FALSE(isRetryRequest(h.step()));  // the second ClientHello gets the full flight
  EXPECT_EQ(hello_retry::get(h.server()), hello_retry::State::kRetried);
  for (int i = 0; i < 4 && !h.done(); ++i) h.step();
  ASSERT_TRUE(h.done());
  EXPECT_EQ(SSL_get_negotiated_group(h.client()), NID_X9_62_prime256v1);  // asked for instead of X25519
}

TEST(HelloRetryHandshakeTest, NotAskedTheSameClientGetsTheFullFlightAtOnce) {
  Handshake h;
  EXPECT_FALSE(isRetryRequest(h.step()));
  EXPECT_EQ(hello_retry::get(h.server()), hello_retry::State::kNone);
  for (int i = 0; i < 4 && !h.done(); ++i) h.step();
  ASSERT_TRUE(h.done());
  EXPECT_EQ(SSL_get_negotiated_group(h.client()), NID_X25519);
}

TEST(HelloRetryHandshakeTest, NoRetryWhereTheConfigLeavesNoOtherGroupOrNoTls13) {
  {
    Handshake h("  curve_preferences: [X25519]\n");
    hello_retry::set(h.server(), hello_retry::State::kWanted);
    EXPECT_FALSE(isRetryRequest(h.step()));
    EXPECT_EQ(hello_retry::get(h.server()), hello_retry::State::kNone);
    for (int i = 0; i < 4 && !h.done(); ++i) h.step();
    EXPECT_TRUE(h.done());
  }
  {
    Handshake h("  max_version: TLS12\n");
    hello_retry::set(h.server(), hello_retry::State::kWanted);
    EXPECT_FALSE(isRetryRequest(h.step()));
    EXPECT_EQ(hello_retry::get(h.server()), hello_retry::State::kNone);
    for (int i = 0; i < 4 && !h.done(); ++i) h.step();
    ASSERT_TRUE(h.done());
    EXPECT_EQ(SSL_version(h.client()), TLS1_2_VERSION);
    EXPECT_EQ(SSL_get_negotiated_group(h.client()), NID_X25519);  // the groups were left as configured
  }
}

}  // namespace
}  // namespace rras
