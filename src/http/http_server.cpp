#include "http/http_server.h"

#include <httplib.h>

#include <chrono>
#include <stdexcept>

#include "http/landing_page.h"
#include "log/logger.h"

namespace rras {

namespace {
constexpr char kMetricsContentType[] = "text/plain; version=0.0.4; charset=utf-8";

double wallNow() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

// A body of pieces (metrics/exposition.h), written as the client reads.
void sendBody(httplib::Response& res, std::shared_ptr<const Body> body, bool gzip) {
  if (gzip) res.set_header("Content-Encoding", "gzip");
  res.set_header("Vary", "Accept-Encoding");
  res.set_content_provider(body->length, kMetricsContentType,
                           [body](size_t offset, size_t length, httplib::DataSink& sink) {
                             // Write the pieces that cover [offset, offset + length).
                             size_t at = 0;
                             for (auto piece : body->pieces) {
                               if (length == 0) break;
                               if (offset >= at + piece.size()) {
                                 at += piece.size();
                                 continue;
                               }
                               const size_t from = offset - at;
                               const size_t n = std::min(piece.size() - from, length);
                               if (!sink.write(piece.data() + from, n)) return false;
                               offset += n;
                               length -= n;
                               at += piece.size();
                             }
                             return true;
                           });
}

// How long a probe may wait for a new target's first poll: the scrape timeout Prometheus sends,
// less a margin to answer in (10 s, Prometheus' default, without the header).
double probeTimeout(const std::string& header) {
  double seconds = 10;
  try {
    if (!header.empty()) seconds = std::stod(header);
  } catch (const std::exception&) {
  }
  if (!(seconds > 0) || seconds > 3600) seconds = 10;
  return std::max(0.1, seconds - std::min(0.5, seconds / 10));
}
}  // namespace

ListenAddress parseListenAddress(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    throw std::invalid_argument("--web.listen-address \"" + text + "\": expected host:port or :port");
  }
  ListenAddress a;
  a.host = text.substr(0, colon);
  if (a.host.size() >= 2 && a.host.front() == '[' && a.host.back() == ']') a.host = a.host.substr(1, a.host.size() - 2);
  const std::string port = text.substr(colon + 1);
  size_t used = 0;
  int value = -1;
  try {
    value = std::stoi(port, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (port.empty() || used != port.size() || value < 0 || value > 65535) {
    throw std::invalid_argument("--web.listen-address \"" + text + "\": port must be a number from 0 to 65535");
  }
  a.port = value;
  return a;
}

bool acceptsGzip(const std::string& accept_encoding) {
  size_t start = 0;
  while (start <= accept_encoding.size()) {
    size_t end = accept_encoding.find(',', start);
    if (end == std::string::npos) end = accept_encoding.size();
    std::string item = accept_encoding.substr(start, end - start);
    start = end + 1;
    std::string coding = item.substr(0, item.find(';'));
    coding.erase(0, coding.find_first_not_of(" \t"));
    coding.erase(coding.find_last_not_of(" \t") + 1);
    for (char& c : coding) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (coding != "gzip" && coding != "*") continue;
    const auto q = item.find("q=");
    if (q == std::string::npos) return true;
    try {
      return std::stod(item.substr(q + 2)) > 0;
    } catch (const std::exception&) {
      return false;
    }
  }
  return false;
}

HttpServer::HttpServer(const Exposition& exposition, const MetricsStore& store, std::shared_ptr<WebSecurity> security)
    : exposition_(exposition), store_(store), security_(std::move(security)) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::setProbes(std::shared_ptr<ProbeTargets> probes) {
  std::lock_guard lock(probes_mu_);
  probes_ = std::move(probes);
}

void HttpServer::install(httplib::Server& server) {
  // httplib's default also sets SO_REUSEPORT, which would let a second exporter share the port
  // silently; a port already in use must be an error.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const char*>(&yes), sizeof yes);
    // /metrics is written as many pieces: without this, Nagle holds a small piece back until the
    // client acknowledges the previous one.
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&yes), sizeof yes);
  });
  // A slow or stalled client is cut off after 5 s without data (also during the TLS handshake).
  server.set_read_timeout(5, 0);
  server.set_write_timeout(60, 0);
  server.set_payload_max_length(size_t{64} * 1024);
  if (security_) {
    // Before routing, so unknown paths and refused methods need credentials too.
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      return security_->authorize(req, res) ? httplib::Server::HandlerResponse::Unhandled
                                            : httplib::Server::HandlerResponse::Handled;
    });
  }
  server.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
    const bool gzip = acceptsGzip(req.get_header_value("Accept-Encoding"));
    sendBody(res, exposition_.build(gzip), gzip);
  });
  server.Get("/probe", [this](const httplib::Request& req, httplib::Response& res) {
    std::shared_ptr<ProbeTargets> probes;
    {
      std::lock_guard lock(probes_mu_);
      probes = probes_;
    }
    if (!probes) {
      res.status = 404;
      res.set_content("Not found: /probe needs modules: in the configuration file (see the README, Fleets).\n",
                      "text/plain; charset=utf-8");
      return;
    }
    const bool gzip = acceptsGzip(req.get_header_value("Accept-Encoding"));
    const ProbeResult result =
        probes->probe(req.get_param_value("module"), req.get_param_value("target"),
                      probeTimeout(req.get_header_value("X-Prometheus-Scrape-Timeout-Seconds")), gzip);
    if (result.status != 200) {
      res.status = result.status;
      res.set_content(result.message + "\n", "text/plain; charset=utf-8");
      if (result.status == 403) {
        logging::warn("probe refused", {{"module", req.get_param_value("module")},
                                        {"target", req.get_param_value("target")},
                                        {"client", req.remote_addr},
                                        {"detail", result.message}});
      }
      return;
    }
    sendBody(res, result.body, gzip);
  });
  server.Get("/", [this](const httplib::Request&, httplib::Response& res) {
    const auto [names, routers] = store_.currentWithNames();
    std::shared_ptr<ProbeTargets> probes;
    {
      std::lock_guard lock(probes_mu_);
      probes = probes_;
    }
    res.set_content(probes ? renderLandingPage(routers, names, wallNow(), probes->moduleNames(), probes->targets())
                           : renderLandingPage(routers, names, wallNow()),
                    "text/html; charset=utf-8");
  });
  server.Get("/-/healthy", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("Healthy.\n", "text/plain; charset=utf-8");
  });
  server.Get("/-/ready", [this](const httplib::Request&, httplib::Response& res) {
    const auto routers = store_.current();
    size_t waiting = 0;
    for (const auto& r : routers) waiting += r ? 0 : 1;
    if (waiting == 0) {
      res.set_content("Ready.\n", "text/plain; charset=utf-8");
    } else {
      res.status = 503;
      res.set_content("Not ready: " + std::to_string(waiting) + " of " + std::to_string(routers.size()) +
                          " routers have not finished their first poll.\n",
                      "text/plain; charset=utf-8");
    }
  });
  const auto not_allowed = [](const httplib::Request& req, httplib::Response& res) {
    res.status = 405;
    res.set_header("Allow", "GET, HEAD");
    res.set_content("Method " + req.method + " not allowed; use GET.\n", "text/plain; charset=utf-8");
  };
  server.Post(".*", not_allowed);
  server.Put(".*", not_allowed);
  server.Delete(".*", not_allowed);
  server.Patch(".*", not_allowed);
  server.Options(".*", not_allowed);
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404) {
      res.set_content("Not found: " + req.path + ". The metrics are at /metrics.\n", "text/plain; charset=utf-8");
    } else if (res.status == 400 && res.body.empty()) {
      // httplib does not say which part it could not read; name what it checks.
      res.set_content(
          "Bad request: the request line or a header could not be read (malformed, not HTTP/1.x, "
          "or a line longer than 8192 bytes).\n",
          "text/plain; charset=utf-8");
    } else if (res.status == 414) {
      res.set_content("URI too long: at most 8192 bytes.\n", "text/plain; charset=utf-8");
    } else if (res.status == 413) {
      res.set_content("Request body too large: at most 65536 bytes (and only GET is served).\n",
                      "text/plain; charset=utf-8");
    } else if (res.body.empty()) {
      res.set_content("HTTP error " + std::to_string(res.status) + " for " + req.method + " " + req.path + "\n",
                      "text/plain; charset=utf-8");
    }
  });
}

void HttpServer::start(const std::vector<std::string>& addresses) {
  for (const auto& text : addresses) {
    const ListenAddress address = parseListenAddress(text);
    auto server = security_ ? security_->makeServer() : std::make_unique<httplib::Server>();
    install(*server);
    const std::string host = address.host.empty() ? "0.0.0.0" : address.host;
    int port = address.port;
    if (port == 0) {
      port = server->bind_to_any_port(host);
    } else if (!server->bind_to_port(host, port)) {
      port = -1;
    }
    if (port < 0) {
      stop();
      throw std::runtime_error("cannot listen on " + text + " (address in use, not local, or not permitted)");
    }
    ports_.push_back(port);
    logging::info("listening", {{"address", host + ":" + std::to_string(port)},
                                {"tls", security_ && security_->tls() ? "on" : "off"}});
    httplib::Server* raw = server.get();
    servers_.push_back(std::move(server));
    threads_.emplace_back([raw] { raw->listen_after_bind(); });
    // stop() is a no-op until the accept loop runs; wait for it so a quick stop cannot be lost.
    for (int i = 0; i < 5000 && !raw->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

bool HttpServer::serving() const {
  if (servers_.empty()) return false;
  for (const auto& s : servers_) {
    if (!s->is_running()) return false;
  }
  return true;
}

void HttpServer::stop() {
  for (auto& s : servers_) s->stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  servers_.clear();
}

}  // namespace rras
