// A TLS 1.3 HelloRetryRequest for ClientHellos that come in a flood. A ClientHello answered with
// the server's full flight costs a key exchange and a signature; one answered with a
// HelloRetryRequest costs about its parsing, six times less (bench/micro/tls_handshake_bench.cpp).
// When one source address holds many connections stalled in their handshake, or many handshakes
// wait, the client is asked to send its ClientHello again with a key share for another group both
// sides support: a live client (a scraper) answers at the cost of a round trip and gets its
// handshake, and a client that stalls after its ClientHello stops there.
//
// The acceptor decides (it sees the connections); the ClientHello callback in
// web_security_openssl.cpp acts (it knows the groups configured), through a state kept with each
// connection's SSL.
#pragma once

#include <openssl/ssl.h>

#include <cstddef>
#include <string>

namespace rras::hello_retry {

enum class State {
  kNone,     // a ClientHello is answered in full
  kWanted,   // the acceptor wants the next ClientHello answered with a retry request
  kAsked,    // a retry request went out: what comes next is a second ClientHello
  kRetried,  // the second ClientHello came
};

State get(const SSL* ssl);
void set(SSL* ssl, State state);

// The groups to offer so that the client has to retry: `server_groups` (OpenSSL names, in the
// server's order, colon-separated) less those the client sent a key share for, and only those its
// supported_groups lists. The arguments are the bodies of the ClientHello's supported_groups and
// key_share extensions. Empty when no group qualifies or an extension is malformed: the handshake
// then goes on as usual, and OpenSSL judges the extensions.
std::string retryGroups(const std::string& server_groups, const unsigned char* supported, std::size_t supported_len,
                        const unsigned char* key_shares, std::size_t key_shares_len);

}  // namespace rras::hello_retry
