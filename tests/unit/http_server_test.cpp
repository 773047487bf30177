#include "http/http_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include "exposition_parser.h"

namespace rras {
namespace {

struct Served {
  MetricsStore store{{"r0", "r<1>"}};
  Renderer renderer{ConnectionRenderOptions{}, Privacy(PrivacyConfig{}), store};
  Exposition exposition{store, std::make_shared<prometheus::Registry>()};
  HttpServer server{exposition, store};
  std::unique_ptr<httplib::Client> client;

  Served() {
    server.start({"127.0.0.1:0"});
    client = std::make_unique<httplib::Client>("127.0.0.1", server.boundPorts().at(0));
    client->set_decompress(false);
  }
  void publish(size_t index, bool up) {
    RouterSnapshot s;
    s.router = index == 0 ? "r0" : "r<1>";
    s.source = "simulator";
    s.up = up;
    if (!up) s.error = PollError::guard("POLL_DEADLINE_EXCEEDED", "hung <script>");
    TrackedConnection t;
    t.connection.handle = 42;
    t.connection.user = "alice";
    t.connection.levels = kHasLevel0;
    if (up) s.connections.push_back(t);
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
