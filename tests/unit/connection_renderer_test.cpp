// The per-connection renderer: same series and values as prometheus-cpp's TextSerializer, privacy
// modes, the cap, escaping.
#include "metrics/connection_renderer.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "exposition_parser.h"
#include "metrics/text_format.h"

namespace rras {
namespace {

TrackedConnection tracked(uint64_t handle, std::string user, bool counters = true) {
  TrackedConnection t;
  Connection& c = t.connection;
  c.handle = handle;
  c.levels = counters ? (kHasLevel0 | kHasLevel1 | kHasLevel3) : kHasLevel0;
  c.user = std::move(user);
  c.domain = "CORP";
  c.remote_computer = "PC-1";
  c.interface_type = InterfaceType::kClient;
  c.protocol = "ppp";
  c.client_ipv4 = "10.0.0." + std::to_string(handle % 250);
  c.client_ipv6 = handle % 2 ? "fd00::1" : "";
  c.auth_protocol = "mschapv2";
  c.quarantine_state = QuarantineState::kNormal;
  c.counters.compression_ratio_in = 37;
  c.counters.compression_ratio_out = 5;
  t.start_time = 1'800'000'000 - static_cast<double>(handle);
  t.counters.bytes_sent = 1000 * handle;
  t.counters.bytes_received = 5'000'000'000ull + handle;  // past 32 bits
  t.counters.frames_sent = 10 * handle;
  t.counters.frames_received = 20 * handle;
  t.counters.crc_errors = handle % 3;
  t.counters.timeout_errors = 1;
  return t;
}

Privacy plain() { return Privacy(PrivacyConfig{}); }

std::string withHeaders(const RenderedConnections& r) {
  std::string out;
  for (size_t f = 0; f < kConnectionFamilyCount; ++f) {
    if (r.text[f].empty()) continue;
    text::appendHeader(out, kConnectionFamilies[f].name, kConnectionFamilies[f].type, kConnectionFamilies[f].help);
    out += r.text[f];
  }
  return out;
}

ConnectionRenderOptions withFamilies(ConnectionFamilies families) {
  ConnectionRenderOptions o;
  o.families = families;
  return o;
}

// The same data through prometheus-cpp: the oracle, every family, then only the selected ones kept.
std::string oracle(const std::string& router, const std::vector<TrackedConnection>& conns,
                   ConnectionFamilies selected) {
  using prometheus::ClientMetric;
  using prometheus::MetricFamily;
  using prometheus::MetricType;
  std::vector<MetricFamily> families;
  for (const auto& info : kConnectionFamilies) {
    families.push_back(MetricFamily{std::string(info.name),
                                    std::string(info.help),
                                    info.type == "counter" ? MetricType::Counter : MetricType::Gauge,
                                    {}});
  }
  auto add = [&](size_t f, std::vector<ClientMetric::Label> labels, double v) {
    ClientMetric m;
    m.label = std::move(labels);
    if (families[f].type == MetricType::Counter)
      m.counter.value = v;
    else
      m.gauge.value = v;
    families[f].metric.push_back(std::move(m));
  };
  for (const auto& t : conns) {
    const Connection& c = t.connection;
    const std::vector<ClientMetric::Label> base = {
        {"router", router}, {"connection", std::to_string(c.handle)}, {"user", c.user}};
    auto with = [&](std::vector<ClientMetric::Label> extra) {
      auto l = base;
      l.insert(l.end(), extra.begin(), extra.end());
      return l;
    };
    add(0,
        with({{"domain", c.domain},
              {"remote_computer", c.remote_computer},
              {"interface_type", std::string(interfaceTypeLabel(c.interface_type))},
              {"protocol", c.protocol},
              {"client_ipv4", c.client_ipv4},
              {"client_ipv6", c.client_ipv6},
              {"tunnel_endpoint", ""},
              {"auth_protocol", c.auth_protocol},
              {"quarantine_state", std::string(quarantineStateLabel(c.quarantine_state))}}),
        1);
    add(1, base, t.start_time);
    if (!c.hasCounters()) continue;
    add(2, base, static_cast<double>(t.counters.bytes_sent));
    add(3, base, static_cast<double>(t.counters.bytes_received));
    add(4, base, static_cast<double>(t.counters.frames_sent));
    add(5, base, static_cast<double>(t.counters.frames_received));
    const std::pair<const char*, uint64_t> errors[] = {{"crc", t.counters.crc_errors},
                                                       {"timeout", t.counters.timeout_errors},
                                                       {"alignment", t.counters.alignment_errors},
                                                       {"hardware_overrun", t.counters.hardware_overrun_errors},
                                                       {"framing", t.counters.framing_errors},
                                                       {"buffer_overrun", t.counters.buffer_overrun_errors}};
    for (const auto& [kind, v] : errors) add(6, with({{"kind", kind}}), static_cast<double>(v));
    add(7, with({{"direction", "in"}}), c.counters.compression_ratio_in / 100.0);
    add(7, with({{"direction", "out"}}), c.counters.compression_ratio_out / 100.0);
  }
  for (size_t f = 0; f < families.size(); ++f) {
    if (!selected[f]) families[f].metric.clear();
  }
  std::erase_if(families, [](const MetricFamily& f) { return f.metric.empty(); });
  return prometheus::TextSerializer().Serialize(families);
}

TEST(ConnectionRendererTest, EqualsTextSerializerForTheSameData) {
  std::vector<TrackedConnection> conns = {tracked(1, "alice"), tracked(2, "björn"),
                                          tracked(3, "quote\"back\\slash\nnewline"), tracked(4, "zoë", false)};
  // Every family, the lean default, and selections that leave out the first or the last.
  for (const ConnectionFamilies selected : {ConnectionFamilies().set(), kDefaultConnectionFamilies,
                                            ConnectionFamilies(0b1100'0010), ConnectionFamilies(0b0011'0001)}) {
    SCOPED_TRACE(selected.to_string());
    const auto rendered = renderConnections("vpn-a", conns, withFamilies(selected), plain());
    for (size_t f = 0; f < kConnectionFamilyCount; ++f) {
      EXPECT_EQ(rendered.text[f].empty(), !selected[f]) << kConnectionFamilyNames[f];  // unselected: not built
    }
    const std::string ours = withHeaders(rendered);
    const std::string theirs = oracle("vpn-a", conns, selected);
    const auto a = testing::parseExposition(ours);
    const auto b = testing::parseExposition(theirs);
    EXPECT_EQ(a.series, b.series);
    EXPECT_EQ(a.types, b.types);
    EXPECT_EQ(a.duplicates, 0u);
    // Every value here fits in 16 significant digits, so the bytes match too.
    EXPECT_EQ(ours, theirs);
  }
}

TEST(ConnectionRendererTest, ShortNamesNameTheFamiliesInOrder) {
  for (size_t f = 0; f < kConnectionFamilyCount; ++f) {
    EXPECT_NE(kConnectionFamilies[f].name.find(kConnectionFamilyNames[f]), std::string_view::npos)
        << kConnectionFamilies[f].name << " is not " << kConnectionFamilyNames[f];
  }
}

TEST(ConnectionRendererTest, LeanDefaultIsFourSeriesPerConnection) {
  std::vector<TrackedConnection> conns;
  for (uint64_t h = 1; h <= 5; ++h) conns.push_back(tracked(h, "u" + std::to_string(h)));
  EXPECT_EQ(testing::parseExposition(withHeaders(renderConnections("vpn", conns, {}, plain()))).series.size(), 5u * 4);
  EXPECT_EQ(testing::parseExposition(
                withHeaders(renderConnections("vpn", conns, withFamilies(ConnectionFamilies().set()), plain())))
                .series.size(),
            5u * 14);
  const auto none = renderConnections("vpn", conns, withFamilies(ConnectionFamilies()), plain());
  EXPECT_EQ(none.exported, 0u);
  for (const auto& t : none.text) EXPECT_TRUE(t.empty());
}

TEST(ConnectionRendererTest, TwoConnectionsOfOneUserAreTwoSeries) {
  const auto r = renderConnections("vpn", {tracked(10, "alice"), tracked(11, "alice")}, {}, plain());
  const auto parsed = testing::parseExposition(withHeaders(r));
  EXPECT_EQ(parsed.count("rras_connection_info"), 2u);
  EXPECT_EQ(parsed.count("rras_connection_sent_bytes_total"), 2u);
  EXPECT_EQ(parsed.duplicates, 0u);
}

TEST(ConnectionRendererTest, PrivacyModes) {
  PrivacyConfig hashed;
  hashed.usernames = PrivacyConfig::Usernames::kHash;
  hashed.hash_key = "0123456789abcdef0123456789abcdef";
  hashed.client_addresses = PrivacyConfig::ClientAddresses::kOmit;
  const auto r = renderConnections("vpn", {tracked(1, "Alice"), tracked(2, "alice")}, {}, Privacy(hashed));
  const std::string text = withHeaders(r);
  EXPECT_EQ(text.find("lice"), std::string::npos);
  EXPECT_EQ(text.find("10.0.0."), std::string::npos);
  EXPECT_EQ(text.find("PC-1"), std::string::npos);
  // One person, one stable pseudonym, whatever the case of the account name.
  const Privacy p(hashed);
  const std::string pseudonym = p.user("CORP", "Alice");
  EXPECT_EQ(pseudonym, p.user("corp", "alice"));
  EXPECT_EQ(pseudonym.size(), 18u);
  EXPECT_NE(text.find("user=\"" + pseudonym + "\""), std::string::npos);
  hashed.hash_key = "another key, another pseudonym!!";
  EXPECT_NE(Privacy(hashed).user("CORP", "Alice"), pseudonym);

  PrivacyConfig omit;
  omit.usernames = PrivacyConfig::Usernames::kOmit;
  const auto o = renderConnections("vpn", {tracked(1, "alice")}, {}, Privacy(omit));
  const std::string omitted = withHeaders(o);
  EXPECT_EQ(omitted.find("alice"), std::string::npos);
  EXPECT_NE(omitted.find("user=\"\""), std::string::npos);
  EXPECT_NE(omitted.find("10.0.0.1"), std::string::npos);  // addresses stay plain
}

TEST(ConnectionRendererTest, CapDropsPerConnectionSeriesAndCountsThem) {
  std::vector<TrackedConnection> conns;
  for (uint64_t h = 1; h <= 10; ++h) conns.push_back(tracked(h, "u" + std::to_string(h)));
  const auto r = renderConnections("vpn", conns, {4}, plain());
  EXPECT_EQ(r.exported, 4u);
  EXPECT_EQ(r.dropped, 6u);
  EXPECT_EQ(testing::parseExposition(withHeaders(r)).count("rras_connection_info"), 4u);

  const auto off = renderConnections("vpn", conns, {4, ConnectionFamilies{}}, plain());  // no family selected
  EXPECT_EQ(off.exported, 0u);
  for (const auto& t : off.text) EXPECT_TRUE(t.empty());
}

TEST(ConnectionRendererTest, LevelZeroConnectionsHaveNoCounterSeries) {
  const auto r = renderConnections("vpn", {tracked(1, "a", false)}, {}, plain());
  const auto parsed = testing::parseExposition(withHeaders(r));
  EXPECT_EQ(parsed.count("rras_connection_info"), 1u);
  EXPECT_EQ(parsed.count("rras_connection_start_timestamp_seconds"), 1u);
  EXPECT_EQ(parsed.count("rras_connection_sent_bytes_total"), 0u);
}

TEST(TextFormatTest, LabelValuesAreEscapedAndInvalidUtf8Replaced) {
  std::string out;
  text::appendLabelValue(out, std::string("a\"b\\c\nd\xff"
                                          "e\xC3\xA9",
                                          11));
  EXPECT_EQ(out,
            "a\\\"b\\\\c\\nd\xEF\xBF\xBD"
            "e\xC3\xA9");
  out.clear();
  text::appendLabelValue(out, "\xED\xA0\x80");  // a UTF-16 surrogate encoded in UTF-8 is invalid
  EXPECT_EQ(out, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  out.clear();
  text::appendDouble(out, 0.37);
  text::appendDouble(out, 1e21);
  EXPECT_EQ(out, "0.371e+21");
}

}  // namespace
}  // namespace rras
