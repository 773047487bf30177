// A TLS 1.3 HelloRetryRequest for ClientHellos that come in a flood. A ClientHello answered with
// the server's full flight costs a key exchange and a signature (353 us of CPU fed from memory,
// bench/micro/tls_handshake_bench.cpp); one answered with a HelloRetryRequest costs about its
// parsing (57 us). When the handshake thread has a backlog of ClientHellos from one source
// address, it asks the client to send its ClientHello again with a key share for another group
// both sides support: a live client (a scraper) answers at the cost of a round trip and gets its
// handshake, a client that stalls after its ClientHello stops there, and a scraper that shares
// the flood's address no longer waits behind a thousand signatures.
//
// The acceptor decides (it sees the backlog); the ClientHello callback in web_security_openssl.cpp
// acts (it knows the groups configured), through a state kept with each connection's SSL.
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
