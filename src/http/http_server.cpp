#include "http/http_server.h"

#include <httplib.h>

#include <chrono>
#include <stdexcept>

#include "http/landing_page.h"
#include "log/logger.h"
#include "model/foreground.h"

namespace rras {

namespace {
constexpr char kMetricsContentType[] = "text/plain; version=0.0.4; charset=utf-8";

double wallNow() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

// A body of pieces (metrics/exposition.h), written as the client reads.
// `slot` is released once the body is written (--web.max-requests), and so is `activity`, which
// holds the polls' heavy steps back meanwhile (model/foreground.h).
void sendBody(httplib::Response& res, const std::shared_ptr<const Body>& body, bool gzip, std::shared_ptr<void> slot,
              std::shared_ptr<foreground::Activity> activity) {
  if (gzip) res.set_header("Content-Encoding", "gzip");
  res.set_header("Vary", "Accept-Encoding");
  res.set_content_provider(body->length, kMetricsContentType,
                           [body, slot = std::move(slot), activity = std::move(activity)](size_t offset, size_t length,
                                                                                          httplib::DataSink& sink) {
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

HttpServer::HttpServer(const Exposition& exposition, const MetricsStore& store, std::shared_ptr<WebSecurity> security,
                       WebLimits limits)
    : exposition_(exposition), store_(store), security_(std::move(security)), limits_(limits) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::setProbes(std::shared_ptr<ProbeTargets> probes) {
  std::lock_guard lock(probes_mu_);
  probes_ = std::move(probes);
}

std::shared_ptr<void> HttpServer::requestSlot(httplib::Response& res) {
  // The slot is held until the response is written (the content provider owns it), so a slow
  // client counts; without a limit every request gets one.
  if (limits_.max_requests == 0) return std::make_shared<int>(0);
  if (metrics_in_flight_.fetch_add(1) >= limits_.max_requests) {
    --metrics_in_flight_;
    res.status = 503;
    res.set_content("Too many concurrent /metrics and /probe requests: at most " +
                        std::to_string(limits_.max_requests) +
                        " are served at once (--web.max-requests). Try again later.\n",
                    "text/plain; charset=utf-8");
    return nullptr;
  }
  return std::shared_ptr<void>(static_cast<void*>(this), [this](void*) { --metrics_in_flight_; });
}

void HttpServer::install(httplib::Server& server) {
  // Sockets, timeouts and the TLS handshake are the Acceptor's; these only shape the response.
  server.set_keep_alive_timeout(std::chrono::duration_cast<std::chrono::seconds>(limits_.idle_timeout).count());
  server.set_keep_alive_max_count(WebLimits::kMaxRequestsPerConnection);
  server.set_payload_max_length(WebLimits::kMaxBodyBytes);
  if (security_) {
    // Before routing, so unknown paths and refused methods need credentials too.
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      return security_->authorize(req, res) ? httplib::Server::HandlerResponse::Unhandled
                                            : httplib::Server::HandlerResponse::Handled;
    });
  }
  server.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
    auto slot = requestSlot(res);
    if (!slot) return;
    // From building the body until it is written, a poll's heavy steps wait (for a bounded time).
    auto activity = std::make_shared<foreground::Activity>();
    const bool gzip = acceptsGzip(req.get_header_value("Accept-Encoding"));
    sendBody(res, exposition_.build(gzip), gzip, std::move(slot), std::move(activity));
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
    auto slot = requestSlot(res);  // a probe is a scrape too
    if (!slot) return;
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
    // Only once the answer is ready: the probe may have waited for the target's first poll, which
    // must not wait for this answer in turn.
    sendBody(res, result.body, gzip, std::move(slot), std::make_shared<foreground::Activity>());
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
  acceptor_ = std::make_unique<Acceptor>(limits_);
  for (const auto& text : addresses) {
    const ListenAddress address = parseListenAddress(text);
    auto server = security_ ? security_->makeServer() : std::make_unique<httplib::Server>();
    install(*server);
    const std::string host = address.host.empty() ? "0.0.0.0" : address.host;
    int port = -1;
    try {
      port = acceptor_->listen(host, address.port, *server);
    } catch (const std::runtime_error&) {
      stop();
      throw std::runtime_error("cannot listen on " + text + " (address in use, not local, or not permitted)");
    }
    ports_.push_back(port);
    logging::info("listening", {{"address", host + ":" + std::to_string(port)},
                                {"tls", security_ && security_->tls() ? "on" : "off"}});
    servers_.push_back(std::move(server));
  }
  acceptor_->start();
}

bool HttpServer::serving() const { return acceptor_ && acceptor_->running(); }

void HttpServer::stop() {
  // The acceptor first: its workers use the servers' handlers.
  acceptor_.reset();
  servers_.clear();
}

}  // namespace rras
