#include "http/http_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#ifndef _WIN32
#include <poll.h>
#include <unistd.h>
#endif

#include <chrono>
#include <thread>

#include "exposition_parser.h"

namespace rras {
namespace {

struct Served {
  MetricsStore store{{"r0", "r<1>"}};
  Renderer renderer{ConnectionRenderOptions{}, Privacy(PrivacyConfig{}), store};
  Exposition exposition{store, std::make_shared<prometheus::Registry>()};
  HttpServer server;
  std::unique_ptr<httplib::Client> client;

  explicit Served(WebLimits limits = {}) : server(exposition, store, nullptr, limits) {
    server.start({"127.0.0.1:0"});
    client = std::make_unique<httplib::Client>("127.0.0.1", server.boundPorts().at(0));
    client->set_decompress(false);
  }
  void publish(size_t index, bool up, size_t connections = 1) {
    RouterSnapshot s;
    s.router = index == 0 ? "r0" : "r<1>";
    s.source = "simulator";
    s.up = up;
    if (!up) s.error = PollError::guard("POLL_DEADLINE_EXCEEDED", "hung <script>");
    for (size_t i = 0; up && i < connections; ++i) {
      TrackedConnection t;
      t.connection.handle = 42 + i;
      t.connection.user = "alice" + std::to_string(i);
      t.connection.levels = kHasLevel0;
      s.connections.push_back(t);
    }
    renderer.publish(std::move(s));
  }
};

TEST(HttpServerTest, ReadyOnlyAfterEveryRouterReported) {
  Served s;
  auto res = s.client->Get("/-/ready");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_NE(res->body.find("2 of 2"), std::string::npos);
  s.publish(0, true);
  EXPECT_EQ(s.client->Get("/-/ready")->status, 503);
  s.publish(1, false);  // a failed first poll counts: the router has been tried
  EXPECT_EQ(s.client->Get("/-/ready")->status, 200);
  EXPECT_EQ(s.client->Get("/-/healthy")->status, 200);
}

TEST(HttpServerTest, MetricsPlainAndGzip) {
  Served s;
  s.publish(0, true);
  s.publish(1, false);
  auto plain = s.client->Get("/metrics");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 200);
  EXPECT_EQ(plain->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_FALSE(plain->has_header("Content-Encoding"));
  const auto parsed = testing::parseExposition(plain->body);
  EXPECT_EQ(parsed.series.at("rras_up{router=\"r0\"}"), 1);
  EXPECT_EQ(parsed.series.at("rras_up{router=\"r<1>\"}"), 0);
  EXPECT_EQ(parsed.count("rras_connection_info"), 1u);

  auto zipped = s.client->Get("/metrics", {{"Accept-Encoding", "gzip, deflate"}});
  ASSERT_TRUE(zipped);
  EXPECT_EQ(zipped->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(static_cast<unsigned char>(zipped->body[0]), 0x1f);

  auto refused = s.client->Get("/metrics", {{"Accept-Encoding", "gzip;q=0"}});
  EXPECT_FALSE(refused->has_header("Content-Encoding"));
}

TEST(HttpServerTest, LandingPageListsRoutersEscaped) {
  Served s;
  s.publish(1, false);
  auto res = s.client->Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("r&lt;1&gt;"), std::string::npos);
  EXPECT_NE(res->body.find("not polled yet"), std::string::npos);
  EXPECT_NE(res->body.find("POLL_DEADLINE_EXCEEDED: hung &lt;script&gt;"), std::string::npos);
  EXPECT_NE(res->body.find("href=\"metrics\""), std::string::npos);
}

TEST(HttpServerTest, UnknownPathsAndMethodsGetClearErrors) {
  Served s;
  auto missing = s.client->Get("/nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("/metrics"), std::string::npos);
  auto post = s.client->Post("/metrics", "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
}

TEST(HttpServerTest, ListenAddressParsingAndBindErrors) {
  EXPECT_EQ(parseListenAddress(":10473").port, 10473);
  EXPECT_EQ(parseListenAddress(":10473").host, "");
  EXPECT_EQ(parseListenAddress("[::1]:9").host, "::1");
  EXPECT_THROW(parseListenAddress("10473"), std::invalid_argument);
  EXPECT_THROW(parseListenAddress("host:http"), std::invalid_argument);
  EXPECT_THROW(parseListenAddress("host:70000"), std::invalid_argument);

  Served a;
  MetricsStore store({"x"});
  Exposition exposition(store, std::make_shared<prometheus::Registry>());
  HttpServer clash(exposition, store);
  EXPECT_THROW(clash.start({"127.0.0.1:" + std::to_string(a.server.boundPorts().at(0))}), std::runtime_error);
}

TEST(HttpServerTest, AcceptEncodingParsing) {
  EXPECT_TRUE(acceptsGzip("gzip"));
  EXPECT_TRUE(acceptsGzip("deflate, GZIP;q=0.5"));
  EXPECT_TRUE(acceptsGzip("*"));
  EXPECT_FALSE(acceptsGzip(""));
  EXPECT_FALSE(acceptsGzip("identity"));
  EXPECT_FALSE(acceptsGzip("gzip;q=0"));
}

}  // namespace
}  // namespace rras

namespace rras {
namespace {

TEST(HttpServerTest, OptionsIsNotAllowed) {
  Served s;
  auto res = s.client->Options("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
}

}  // namespace
}  // namespace rras

namespace rras {
namespace {

// A client socket driven by hand: to stall, trickle, or not read its response.
class RawClient {
 public:
  // `receive_buffer` > 0 shrinks the TCP window, so an unread response backs up to the server.
  explicit RawClient(int port, int receive_buffer = 0) {
    sock_ = socket(AF_INET, SOCK_STREAM, 0);
    if (receive_buffer > 0) {
      setsockopt(sock_, SOL_SOCKET, SO_RCVBUF, reinterpret_cast<const char*>(&receive_buffer), sizeof receive_buffer);
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(sock_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() {
#ifdef _WIN32
    closesocket(sock_);
#else
    close(sock_);
#endif
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  void send(const std::string& text) { ::send(sock_, text.data(), static_cast<int>(text.size()), 0); }
  // Everything until the server closes (or `limit` passes): what a cut-off client was told.
  std::string receiveAll(std::chrono::milliseconds limit) {
    std::string got;
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      pollfd p{};
      p.fd = sock_;
      p.events = POLLIN;
#ifdef _WIN32
      if (WSAPoll(&p, 1, 50) <= 0) continue;
#else
      if (poll(&p, 1, 50) <= 0) continue;
#endif
      char buf[4096];
      const auto n = recv(sock_, buf, static_cast<int>(sizeof buf), 0);
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
    }
    return got;
  }
  // The first bytes that arrive (or "" once `limit` passes): proof the server has begun answering.
  std::string receiveSome(std::chrono::milliseconds limit) {
    pollfd p{};
    p.fd = sock_;
    p.events = POLLIN;
#ifdef _WIN32
    if (WSAPoll(&p, 1, static_cast<int>(limit.count())) <= 0) return "";
#else
    if (poll(&p, 1, static_cast<int>(limit.count())) <= 0) return "";
#endif
    char buf[512];
    const auto n = recv(sock_, buf, static_cast<int>(sizeof buf), 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }

 private:
  socket_t sock_;
  bool connected_ = false;
};

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(HttpServerFrontTest, StalledAndTricklingClientsDoNotDelayAScrape) {
  WebLimits limits;
  limits.request_head_timeout = std::chrono::milliseconds(1500);
  Served s(limits);
  s.publish(0, true);
  const int port = s.server.boundPorts().at(0);
  std::vector<std::unique_ptr<RawClient>> silent, partial;
  for (int i = 0; i < 50; ++i) {
    silent.push_back(std::make_unique<RawClient>(port));
    partial.push_back(std::make_unique<RawClient>(port));
    partial.back()->send("GET /metrics HTTP/1.1\r\nHost: x\r\n");  // no blank line: never complete
  }
  const auto start = std::chrono::steady_clock::now();
  auto res = s.client->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_LT(secondsSince(start), 1.0);

  // Trickling one byte at a time does not extend the deadline: cut off at 1.5 s, told why.
  RawClient trickle(port);
  const auto trickle_start = std::chrono::steady_clock::now();
  std::string told;
  for (char c : std::string("GET /metrics HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaa")) {
    trickle.send(std::string(1, c));
    told = trickle.receiveAll(std::chrono::milliseconds(100));
    if (!told.empty()) break;
  }
  EXPECT_NE(told.find("408 Request Timeout"), std::string::npos) << told;
  EXPECT_NE(told.find("--web.request-head-timeout"), std::string::npos);
  EXPECT_GT(secondsSince(trickle_start), 1.3);
  EXPECT_LT(secondsSince(trickle_start), 3.0);
  // The silent ones were closed at their deadline too.
  EXPECT_EQ(silent.front()->receiveAll(std::chrono::milliseconds(2000)), "");
  for (int i = 0; i < 100 && s.server.openConnections() > 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_LE(s.server.openConnections(), 1u);  // the keep-alive client's own
}

TEST(HttpServerFrontTest, ConnectionLimitClosesTheLongestWaitingClientToAdmitANewOne) {
  WebLimits limits;
  limits.max_connections = 5;
  Served s(limits);
  s.publish(0, true);
  std::vector<std::unique_ptr<RawClient>> stalled;
  for (int i = 0; i < 20; ++i) stalled.push_back(std::make_unique<RawClient>(s.server.boundPorts().at(0)));
  auto res = s.client->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_LE(s.server.openConnections(), 5u);
}

TEST(HttpServerFrontTest, MaxRequestsAnswers503WhileHealthStaysCheap) {
  WebLimits limits;
  limits.max_requests = 1;
  Served s(limits);
  s.publish(0, true, 20000);  // an exposition far larger than the socket buffers
  {
    // Asks for /metrics and does not read: the one allowed request stays in progress.
    RawClient slow(s.server.boundPorts().at(0), 4096);
    ASSERT_TRUE(slow.connected());
    slow.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    // Its answer has begun, so it holds the slot (else a request below could take it first).
    ASSERT_EQ(slow.receiveSome(std::chrono::milliseconds(5000)).rfind("HTTP/1.1 200 OK", 0), 0u);
    std::shared_ptr<httplib::Response> refused;
    for (int i = 0; i < 100; ++i) {
      auto r = s.client->Get("/metrics");
      ASSERT_TRUE(r);
      if (r->status == 503) {
        refused = std::make_shared<httplib::Response>(*r);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_TRUE(refused) << "a second concurrent /metrics request was not refused";
    EXPECT_NE(refused->body.find("--web.max-requests"), std::string::npos);
    EXPECT_EQ(s.client->Get("/-/healthy")->status, 200);
    EXPECT_EQ(s.client->Get("/-/ready")->status, 503);  // r<1> has not reported: but answered
  }
  // The slow client gone, its slot is free again.
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    auto r = s.client->Get("/metrics");
    ASSERT_TRUE(r);
    status = r->status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status, 200);
}

TEST(HttpServerFrontTest, BeyondTheConnectionLimitWithEveryConnectionBusyTheNewOneGets503) {
  WebLimits limits;
  limits.max_connections = 1;
  Served s(limits);
  s.publish(0, true, 20000);
  RawClient slow(s.server.boundPorts().at(0), 4096);
  slow.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(slow.receiveSome(std::chrono::milliseconds(5000)).rfind("HTTP/1.1 200 OK", 0), 0u);  // it holds the one
  std::string told;
  for (int i = 0; i < 100 && told.find(" 503 ") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    RawClient extra(s.server.boundPorts().at(0));
    told = extra.receiveAll(std::chrono::milliseconds(500));
  }
  EXPECT_NE(told.find("HTTP/1.1 503 Service Unavailable"), std::string::npos) << told;
  EXPECT_NE(told.find("--web.max-connections"), std::string::npos);
}

}  // namespace
}  // namespace rras
