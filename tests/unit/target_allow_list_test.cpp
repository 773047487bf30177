// Unit tests for the /probe allow-list (src/config/target_allow_list.h): what each kind of entry
// lets through, what it must not, and which entries a module that sends relayable credentials
// (NTLM) refuses as too wide.
#include "config/target_allow_list.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace rras {
namespace {

using Width = TargetAllowList::Width;

TargetAllowList narrow(std::vector<std::string> entries) { return TargetAllowList(entries, Width::kNarrow); }
TargetAllowList wide(std::vector<std::string> entries) { return TargetAllowList(entries, Width::kWide); }

// The message of the std::invalid_argument the entry raises ("" when it is accepted).
std::string refusal(const std::string& entry, Width width) {
  try {
    TargetAllowList({entry}, width);
    return "";
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

TEST(TargetAllowList, ExactNamesMatchCaseInsensitivelyAndNothingElse) {
  const auto list = narrow({"rras1.corp.example"});
  EXPECT_TRUE(list.allows("rras1.corp.example"));
  EXPECT_TRUE(list.allows("RRAS1.Corp.Example"));
  EXPECT_FALSE(list.allows("rras2.corp.example"));
  EXPECT_FALSE(list.allows("x.rras1.corp.example"));
  EXPECT_FALSE(list.allows("rras1.corp.example.evil.com"));
  EXPECT_FALSE(list.allows("rras1"));
}

TEST(TargetAllowList, DnsSuffixMatchesOneOrMoreLabelsBeforeIt) {
  const auto list = narrow({"*.vpn.corp.example"});
  EXPECT_TRUE(list.allows("a.vpn.corp.example"));
  EXPECT_TRUE(list.allows("a.b.vpn.corp.example"));
  EXPECT_FALSE(list.allows("vpn.corp.example"));  // the suffix itself is no host under it
  EXPECT_FALSE(list.allows("avpn.corp.example"));
  EXPECT_FALSE(list.allows("a.vpn.corp.example.evil.com"));
}

TEST(TargetAllowList, GlobStaysInsideOneLabel) {
  const auto list = wide({"sim-*"});
  EXPECT_TRUE(list.allows("sim-1"));
  EXPECT_FALSE(list.allows("sim-"));  // no host name ends in -
  EXPECT_TRUE(list.allows("SIM-42"));
  EXPECT_FALSE(list.allows("sim-1.evil.com"));
  EXPECT_FALSE(list.allows("xsim-1"));
  const auto mid = narrow({"rras-*-gw.corp.example"});
  EXPECT_TRUE(mid.allows("rras-paris-gw.corp.example"));
  EXPECT_FALSE(mid.allows("rras-paris.x-gw.corp.example"));
  EXPECT_FALSE(mid.allows("rras-paris-gw.corp.example.evil"));
}

TEST(TargetAllowList, CidrsMatchAddressesOnlyAndNamesNeverMatchAddresses) {
  const auto list = narrow({"10.20.0.0/16", "fd00:20::/48", "192.0.2.7", "*.corp.example"});
  EXPECT_TRUE(list.allows("10.20.0.1"));
  EXPECT_TRUE(list.allows("10.20.255.255"));
  EXPECT_FALSE(list.allows("10.21.0.1"));
  EXPECT_TRUE(list.allows("fd00:20::1"));
  EXPECT_TRUE(list.allows("FD00:20:0:ffff::1"));
  EXPECT_FALSE(list.allows("fd00:21::1"));
  EXPECT_TRUE(list.allows("192.0.2.7"));
  EXPECT_FALSE(list.allows("192.0.2.8"));
  EXPECT_FALSE(list.allows("::ffff:10.20.0.1"));  // an IPv6 form is not the IPv4 range
  const auto odd = narrow({"10.20.128.0/17"});
  EXPECT_TRUE(odd.allows("10.20.200.1"));
  EXPECT_FALSE(odd.allows("10.20.127.1"));
}

TEST(TargetAllowList, MalformedTargetsAreNeverAllowed) {
  const auto list = wide({"*.corp.example", "sim-*"});
  for (const char* bad : {"", "a b.corp.example", "x.corp.example/", "x..corp.example", ".corp.example",
                          "x.corp.example:445", "-x.corp.example", "sim-1\n", "x;rm.corp.example"}) {
    EXPECT_FALSE(list.allows(bad)) << bad;
    EXPECT_NE(TargetAllowList::malformed(bad), "") << bad;
  }
  EXPECT_EQ(TargetAllowList::malformed("rras1.corp.example"), "");
  EXPECT_EQ(TargetAllowList::malformed("10.0.0.1"), "");
  EXPECT_EQ(TargetAllowList::malformed("fd00::1"), "");
}

TEST(TargetAllowList, NarrowModulesRefuseWideEntries) {
  EXPECT_NE(refusal("*.example", Width::kNarrow), "");
  EXPECT_NE(refusal("sim-*", Width::kNarrow), "");
  EXPECT_NE(refusal("rras-*.example", Width::kNarrow), "");
  EXPECT_NE(refusal("10.0.0.0/8", Width::kNarrow), "");
  EXPECT_NE(refusal("fd00::/16", Width::kNarrow), "");
  EXPECT_EQ(refusal("*.corp.example", Width::kNarrow), "");
  EXPECT_EQ(refusal("10.20.0.0/16", Width::kNarrow), "");
  EXPECT_EQ(refusal("fd00:20::/48", Width::kNarrow), "");
  // The message says why and what Kerberos allows.
  EXPECT_NE(refusal("10.0.0.0/8", Width::kNarrow).find("Kerberos"), std::string::npos);
  EXPECT_NE(refusal("*.example", Width::kNarrow).find("two literal labels"), std::string::npos);
}

TEST(TargetAllowList, WideModulesStillRefuseEverything) {
  EXPECT_EQ(refusal("*.example", Width::kWide), "");
  EXPECT_EQ(refusal("sim-*", Width::kWide), "");
  EXPECT_EQ(refusal("10.0.0.0/8", Width::kWide), "");
  EXPECT_NE(refusal("*", Width::kWide), "");
  EXPECT_NE(refusal("*.*", Width::kWide), "");
  EXPECT_NE(refusal("rras.*.example", Width::kWide), "");
  EXPECT_NE(refusal("0.0.0.0/0", Width::kWide), "");
  EXPECT_NE(refusal("::/0", Width::kWide), "");
  EXPECT_NE(refusal("10.0.0.0/4", Width::kWide), "");
}

TEST(TargetAllowList, BadEntriesNameTheEntry) {
  for (const char* bad :
       {"10.0.0.0/33", "10.0.0.0/x", "300.1.1.1/16", "a b.example", "*.", "x.*.corp/", "corp..example"}) {
    const std::string why = refusal(bad, Width::kWide);
    EXPECT_NE(why.find(std::string("\"") + bad + "\""), std::string::npos) << bad << ": " << why;
  }
}

}  // namespace
}  // namespace rras
