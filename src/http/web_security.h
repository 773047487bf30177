// What --web.config.file asks of every listener: TLS and basic auth. The file (and the certificate,
// key and CA files it names) is re-read when it changes; a changed file that does not load is
// logged and the last good configuration kept. Switching between TLS and plain HTTP needs a
// restart (the listeners are already bound). One implementation for Linux and Windows:
// web_security_openssl.cpp (OpenSSL and libxcrypt's crypt_r).
#pragma once

#include <memory>
#include <string>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace rras {

class WebSecurity {
 public:
  // Loads the file and checks the certificate, key and CA; throws WebConfigError or
  // std::runtime_error naming the file and the problem.
  explicit WebSecurity(std::string path);
  ~WebSecurity();
  WebSecurity(const WebSecurity&) = delete;
  WebSecurity& operator=(const WebSecurity&) = delete;

  // An httplib::SSLServer when the file configures TLS, else a plain httplib::Server.
  std::unique_ptr<httplib::Server> makeServer();
  bool tls() const;
  // True when the request may proceed; otherwise `res` holds a 401 asking for basic auth.
  bool authorize(const httplib::Request& req, httplib::Response& res);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace rras
