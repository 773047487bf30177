// --web.config.file on Windows: not yet (TLS and bcrypt need the OpenSSL and libxcrypt parts of
// the Linux build; Schannel and a bcrypt implementation would replace them).
#include <httplib.h>

#include <stdexcept>

#include "http/web_security.h"

namespace rras {

struct WebSecurity::Impl {};

WebSecurity::WebSecurity(std::string path) {
  throw std::runtime_error("--web.config.file=" + path +
                           ": TLS and basic auth are not supported on Windows yet; serve plain HTTP on a "
                           "trusted network or put a TLS reverse proxy in front");
}

WebSecurity::~WebSecurity() = default;

bool WebSecurity::tls() const { return false; }

std::unique_ptr<httplib::Server> WebSecurity::makeServer() { return std::make_unique<httplib::Server>(); }

bool WebSecurity::authorize(const httplib::Request&, httplib::Response&) { return true; }

}  // namespace rras
