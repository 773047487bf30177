// TLS through OpenSSL (httplib::SSLServer) and bcrypt basic auth through libxcrypt's crypt_r, on
// Linux (Debian's libraries) and Windows (the same Debian sources cross-built for mingw-w64 by
// scripts/windows-deps.sh).
#include <crypt.h>
#include <httplib.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#ifdef _WIN32
#include "platform/windows_strings.h"
#else
#include <sys/stat.h>
#endif

#include <cstring>
#include <mutex>
#include <optional>
#include <vector>

#include "http/hello_retry.h"
#include "http/web_config.h"
#include "http/web_security.h"
#include "log/logger.h"

namespace rras {

namespace {

std::string opensslError() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += (out.empty() ? "" : "; ") + std::string(buf);
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

int protocolVersion(TlsVersion v) {
  switch (v) {
    case TlsVersion::kTls10:
      return TLS1_VERSION;
    case TlsVersion::kTls11:
      return TLS1_1_VERSION;
    case TlsVersion::kTls12:
      return TLS1_2_VERSION;
    case TlsVersion::kTls13:
      return TLS1_3_VERSION;
  }
  return TLS1_2_VERSION;
}

// RequestClientCert and RequireAnyClientCert take any certificate, as Go does.
int acceptAnyCertificate(int, X509_STORE_CTX*) { return 1; }

std::string joined(const std::vector<std::string>& names, const char* fallback) {
  if (names.empty()) return fallback;
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ":") + n;
  return out;
}

// Applies the whole TLS configuration to `ctx`; throws std::runtime_error naming the file at fault.
void configure(SSL_CTX* ctx, const TlsServerConfig& tls) {
  ERR_clear_error();
  uint64_t options = SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION;
  if (tls.prefer_server_cipher_suites) options |= SSL_OP_CIPHER_SERVER_PREFERENCE;
  SSL_CTX_set_options(ctx, options);
  SSL_CTX_set_min_proto_version(ctx, protocolVersion(tls.min_version));
  SSL_CTX_set_max_proto_version(ctx, tls.max_version ? protocolVersion(*tls.max_version) : 0);
  // Debian builds OpenSSL with security level 2; the Windows build sets the same, so the platforms
  // agree on minimum key sizes whatever the build defaults.
  SSL_CTX_set_security_level(ctx, 2);
  const std::string ciphers = joined(tls.cipher_suites, kDefaultTls12Ciphers);
  if (SSL_CTX_set_cipher_list(ctx, ciphers.c_str()) != 1) {
    throw std::runtime_error("tls_server_config.cipher_suites: OpenSSL offers none of " + ciphers + ": " +
                             opensslError());
  }
  const std::string groups = joined(tls.curve_preferences, kDefaultGroups);
  if (SSL_CTX_set1_groups_list(ctx, groups.c_str()) != 1) {
    throw std::runtime_error("tls_server_config.curve_preferences: OpenSSL refuses " + groups + ": " + opensslError());
  }
  if (SSL_CTX_use_certificate_chain_file(ctx, tls.cert_file.c_str()) != 1) {
    throw std::runtime_error("tls_server_config.cert_file " + tls.cert_file +
                             ": not a PEM certificate: " + opensslError());
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    throw std::runtime_error("tls_server_config.key_file " + tls.key_file +
                             ": not a PEM private key: " + opensslError());
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    throw std::runtime_error("tls_server_config.key_file " + tls.key_file + " does not belong to the certificate in " +
                             tls.cert_file);
  }
  static const unsigned char kSessionContext[] = "rras_exporter";
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
  if (!tls.client_ca_file.empty()) {
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(tls.client_ca_file.c_str());
    if (names == nullptr || SSL_CTX_load_verify_locations(ctx, tls.client_ca_file.c_str(), nullptr) != 1) {
      if (names != nullptr) sk_X509_NAME_pop_free(names, X509_NAME_free);
      throw std::runtime_error("tls_server_config.client_ca_file " + tls.client_ca_file +
                               ": no PEM CA certificate in it: " + opensslError());
    }
    SSL_CTX_set_client_CA_list(ctx, names);
  }
  switch (tls.client_auth) {
    case ClientAuth::kNoClientCert:
      SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
      break;
    case ClientAuth::kRequestClientCert:
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, acceptAnyCertificate);
      break;
    case ClientAuth::kRequireAnyClientCert:
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, acceptAnyCertificate);
      break;
    case ClientAuth::kVerifyClientCertIfGiven:
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
      break;
    case ClientAuth::kRequireAndVerifyClientCert:
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
      break;
  }
}

// What identifies a version of the web config and the files it names (rotated certificates count).
struct FileStamp {
  std::string path;
  int64_t mtime_ns = -1, size = -1, id = -1;
  bool operator==(const FileStamp&) const = default;
};

#ifdef _WIN32
// The write time to 100 ns (std::filesystem's is whole seconds with mingw's libstdc++) and the
// file index, which tells a file replaced by a rename as the inode does on Linux.
FileStamp stamp(const std::string& path) {
  FileStamp s{path};
  HANDLE file = CreateFileW(utf8ToUtf16(path).c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                            nullptr, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
  if (file == INVALID_HANDLE_VALUE) return s;
  BY_HANDLE_FILE_INFORMATION info{};
  if (GetFileInformationByHandle(file, &info)) {
    const auto join = [](DWORD high, DWORD low) { return static_cast<int64_t>((uint64_t{high} << 32) | low); };
    s.mtime_ns = join(info.ftLastWriteTime.dwHighDateTime, info.ftLastWriteTime.dwLowDateTime) * 100;
    s.size = join(info.nFileSizeHigh, info.nFileSizeLow);
    s.id = join(info.nFileIndexHigh, info.nFileIndexLow);
  }
  CloseHandle(file);
  return s;
}
#else
FileStamp stamp(const std::string& path) {
  FileStamp s{path};
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    s.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    s.size = static_cast<int64_t>(st.st_size);
    s.id = static_cast<int64_t>(st.st_ino);
  }
  return s;
}
#endif

// Standard base64 (RFC 4648) as sent in "Authorization: Basic"; nullopt when malformed.
std::optional<std::string> decodeBase64(const std::string& text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > 4096) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t padding = 0;
  if (text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

bool bcryptMatches(const std::string& password, const std::string& hash) {
  auto data = std::make_unique<crypt_data>();  // ~32 KiB: not on the request thread's stack
  const char* computed = crypt_r(password.c_str(), hash.c_str(), data.get());
  return computed != nullptr && std::strlen(computed) == hash.size() &&
         CRYPTO_memcmp(computed, hash.data(), hash.size()) == 0;
}

}  // namespace

struct WebSecurity::Impl {
  // One loaded version of the file: immutable, shared with handshakes and requests in flight.
  struct Active {
    WebConfig config;
    SSL_CTX* ctx = nullptr;  // every handshake switches to the context of the current version
    std::string groups;      // SSL_set_SSL_CTX leaves a connection's groups as they were
    std::vector<FileStamp> stamps;
    ~Active() { SSL_CTX_free(ctx); }
  };

  std::string path;
  bool tls = false;  // fixed at start: the listeners are bound as TLS or as plain HTTP
  std::mutex mu;
  std::shared_ptr<const Active> active;
  std::vector<FileStamp> rejected;  // a bad version already logged, so it is logged once

  // `initial`: the first load decides between TLS and plain HTTP; later ones must agree.
  std::shared_ptr<const Active> load(bool initial) {
    auto next = std::make_shared<Active>();
    next->stamps.push_back(stamp(path));
    next->config = loadWebConfigFile(path);
    if (!initial && next->config.tls.has_value() != tls) {
      throw std::runtime_error(path + ": switching between TLS and plain HTTP needs a restart of the exporter");
    }
    if (const auto& t = next->config.tls) {
      for (const auto& f : {t->cert_file, t->key_file, t->client_ca_file}) {
        if (!f.empty()) next->stamps.push_back(stamp(f));
      }
      next->ctx = SSL_CTX_new(TLS_server_method());
      if (next->ctx == nullptr) throw std::runtime_error("cannot create a TLS context: " + opensslError());
      try {
        configure(next->ctx, *t);
      } catch (const std::runtime_error& e) {
        throw std::runtime_error(path + ": " + e.what());
      }
      SSL_CTX_set_client_hello_cb(next->ctx, clientHello, this);
      next->groups = joined(t->curve_preferences, kDefaultGroups);
    }
    return next;
  }

  bool changed(const Active& a) const {
    for (const auto& s : a.stamps) {
      if (!(stamp(s.path) == s)) return true;
    }
    return false;
  }

  // The current version, re-read first when the file or a file it names changed.
  std::shared_ptr<const Active> current() {
    std::lock_guard lock(mu);
    if (!changed(*active)) return active;
    std::vector<FileStamp> now;
    for (const auto& s : active->stamps) now.push_back(stamp(s.path));
    if (now == rejected) return active;
    try {
      active = load(false);
      rejected.clear();
      logging::info("web configuration reloaded", {{"web_config", path}});
    } catch (const std::exception& e) {
      rejected = std::move(now);
      logging::error("web configuration reload failed; keeping the previous one", {{"error", e.what()}});
    }
    return active;
  }

  // The configured groups, or, when the acceptor wants this ClientHello retried (hello_retry.h),
  // those of them the client supports but sent no key share for: OpenSSL then answers with a
  // HelloRetryRequest for the first.
  static std::string groupsFor(SSL* ssl, const std::string& groups) {
    if (hello_retry::get(ssl) != hello_retry::State::kWanted) return groups;
    const long max_version = SSL_get_max_proto_version(ssl);  // 0: the newest; a retry needs TLS 1.3
    const unsigned char* supported = nullptr;
    const unsigned char* shares = nullptr;
    size_t supported_len = 0;
    size_t shares_len = 0;
    std::string retry;
    if ((max_version == 0 || max_version >= TLS1_3_VERSION) &&
        SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_supported_groups, &supported, &supported_len) == 1 &&
        SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_key_share, &shares, &shares_len) == 1) {
      retry = hello_retry::retryGroups(groups, supported, supported_len, shares, shares_len);
    }
    hello_retry::set(ssl, retry.empty() ? hello_retry::State::kNone : hello_retry::State::kAsked);
    return retry.empty() ? groups : retry;
  }

  // Early in every handshake: switch the connection to the current version's context and copy
  // the per-connection settings SSL_set_SSL_CTX leaves behind.
  static int clientHello(SSL* ssl, int*, void* arg) {
    auto* self = static_cast<Impl*>(arg);
    const auto a = self->current();
    SSL_CTX* ctx = a->ctx;
    if (ctx == nullptr) return SSL_CLIENT_HELLO_ERROR;
    if (SSL_get_SSL_CTX(ssl) != ctx) SSL_set_SSL_CTX(ssl, ctx);
    SSL_set_verify(ssl, SSL_CTX_get_verify_mode(ctx), SSL_CTX_get_verify_callback(ctx));
    SSL_set_min_proto_version(ssl, SSL_CTX_get_min_proto_version(ctx));
    SSL_set_max_proto_version(ssl, SSL_CTX_get_max_proto_version(ctx));
    // A reload may turn prefer_server_cipher_suites off: drop what only the old context had.
    SSL_clear_options(ssl, SSL_get_options(ssl) & ~SSL_CTX_get_options(ctx));
    SSL_set_options(ssl, SSL_CTX_get_options(ctx));
    // The cipher list follows the context, the groups were copied when the connection was made.
    // A second ClientHello keeps the groups its retry request offered.
    if (hello_retry::get(ssl) == hello_retry::State::kAsked) {
      hello_retry::set(ssl, hello_retry::State::kRetried);
    } else if (SSL_set1_groups_list(ssl, groupsFor(ssl, a->groups).c_str()) != 1) {
      return SSL_CLIENT_HELLO_ERROR;
    }
    if (STACK_OF(X509_NAME)* names = SSL_CTX_get_client_CA_list(ctx)) {
      SSL_set_client_CA_list(ssl, SSL_dup_CA_list(names));
    }
    return SSL_CLIENT_HELLO_SUCCESS;
  }
};

WebSecurity::WebSecurity(std::string path) : impl_(std::make_unique<Impl>()) {
  impl_->path = std::move(path);
  impl_->active = impl_->load(true);
  impl_->tls = impl_->active->config.tls.has_value();
  logging::info("web configuration loaded",
                {{"web_config", impl_->path},
                 {"tls", impl_->tls ? "on" : "off"},
                 {"basic_auth_users", std::to_string(impl_->active->config.basic_auth_users.size())}});
}

WebSecurity::~WebSecurity() = default;

bool WebSecurity::tls() const { return impl_->tls; }

std::unique_ptr<httplib::Server> WebSecurity::makeServer() {
  if (!impl_->tls) return std::make_unique<httplib::Server>();
  const auto a = impl_->current();
  // The server's own context only carries the hello callback; clientHello picks the real one.
  auto server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
    try {
      configure(&ctx, *a->config.tls);
    } catch (const std::runtime_error& e) {
      logging::error("cannot set up TLS", {{"error", e.what()}});
      return false;
    }
    SSL_CTX_set_client_hello_cb(&ctx, Impl::clientHello, impl_.get());
    return true;
  });
  if (!server->is_valid()) throw std::runtime_error(impl_->path + ": cannot set up TLS (see the error above)");
  return server;
}

bool WebSecurity::authorize(const httplib::Request& req, httplib::Response& res) {
  const auto a = impl_->current();
  const auto& users = a->config.basic_auth_users;
  if (users.empty()) return true;
  const std::string header = req.get_header_value("Authorization");
  std::string reason = "no credentials";
  if (!header.empty()) {
    reason = "malformed Authorization header";
    const auto space = header.find(' ');
    std::string scheme = header.substr(0, space);
    for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme == "basic" && space != std::string::npos) {
      if (auto decoded = decodeBase64(header.substr(header.find_first_not_of(' ', space)))) {
        if (const auto colon = decoded->find(':'); colon != std::string::npos) {
          const std::string user = decoded->substr(0, colon);
          const auto it = users.find(user);
          // An unknown user costs a bcrypt run too, so timing does not tell which users exist.
          const std::string& hash = it != users.end() ? it->second : users.begin()->second;
          const bool matches = bcryptMatches(decoded->substr(colon + 1), hash);
          if (matches && it != users.end()) return true;
          reason = "wrong user name or password";
        }
      }
    }
  }
  logging::debug("request refused", {{"path", req.path}, {"remote", req.remote_addr}, {"reason", reason}});
  res.status = 401;
  res.set_header("WWW-Authenticate", "Basic realm=\"rras_exporter\", charset=\"UTF-8\"");
  res.set_content("Unauthorized: " + reason + ".\n", "text/plain; charset=utf-8");
  return false;
}

}  // namespace rras
