// What one TLS connection costs the exporter's handshake thread (issue 16): a ClientHello answered
// with the full server flight, the same ClientHello answered with a HelloRetryRequest
// (http/hello_retry.h), and SSL_new/SSL_free alone. The server side is the exporter's own: an
// SSL_CTX from WebSecurity (web_security_openssl.cpp, its ClientHello callback included) on a
// P-256 certificate made at start; the ClientHello is OpenSSL's default client's (an X25519 key
// share), fed from memory, so no socket or scheduler is in the figure. CPU time per iteration.
#include <benchmark/benchmark.h>
#include <httplib.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/hello_retry.h"
#include "http/web_security.h"
#include "self_signed_web_config.h"

namespace {

// The first flight of OpenSSL's default client.
std::vector<unsigned char> clientHello() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, in, out);
  SSL_set_connect_state(ssl);
  SSL_do_handshake(ssl);
  std::vector<unsigned char> bytes(static_cast<size_t>(BIO_pending(out)));
  BIO_read(out, bytes.data(), static_cast<int>(bytes.size()));
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return bytes;
}

struct Fixture {
  Fixture()
      : security(rras::testing::writeSelfSignedWebConfig(std::filesystem::temp_directory_path() /
                                                         ("rras-tls-bench-" + std::to_string(::getpid())))),
        server(security.makeServer()),
        hello(clientHello()) {
    auto* tls = dynamic_cast<httplib::SSLServer*>(server.get());
    if (tls == nullptr) throw std::runtime_error("the web config did not make a TLS server");
    ctx = tls->ssl_context();
  }
  rras::WebSecurity security;
  std::unique_ptr<httplib::Server> server;
  std::vector<unsigned char> hello;
  SSL_CTX* ctx = nullptr;
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

// One ClientHello into a new server connection; returns how many bytes the server answered.
size_t answer(bool retry) {
  Fixture& f = fixture();
  SSL* ssl = SSL_new(f.ctx);
  BIO* in = BIO_new_mem_buf(f.hello.data(), static_cast<int>(f.hello.size()));
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, in, out);
  SSL_set_accept_state(ssl);
  if (retry) rras::hello_retry::set(ssl, rras::hello_retry::State::kWanted);
  SSL_do_handshake(ssl);
  const auto written = static_cast<size_t>(BIO_pending(out));
  if (retry != (rras::hello_retry::get(ssl) == rras::hello_retry::State::kAsked)) {
    throw std::runtime_error("the retry request was not made as asked");
  }
  SSL_free(ssl);
  return written;
}

void BM_ClientHelloFullFlight(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(answer(false));
  state.counters["reply_bytes"] = static_cast<double>(answer(false));
}

void BM_ClientHelloRetryRequest(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(answer(true));
  state.counters["reply_bytes"] = static_cast<double>(answer(true));
}

void BM_SslNewAndFree(benchmark::State& state) {
  SSL_CTX* ctx = fixture().ctx;
  for (auto _ : state) SSL_free(SSL_new(ctx));
}

BENCHMARK(BM_ClientHelloFullFlight)->MeasureProcessCPUTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ClientHelloRetryRequest)->MeasureProcessCPUTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SslNewAndFree)->MeasureProcessCPUTime()->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
