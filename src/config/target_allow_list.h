// Which targets a /probe module may reach (issue 17): a probe makes the exporter connect to a host
// with the module's credentials, so only listed targets are reached. Entries are exact host names
// or addresses, DNS suffixes ("*.vpn.corp.example": one or more labels before the suffix), names
// with a wildcard inside one label ("sim-*": never across a dot) and CIDRs ("10.20.0.0/16",
// "fd00:20::/32"). Names match case-insensitively; an address matches only addresses and CIDRs.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sources/router_target.h"

namespace rras {

class TargetAllowList {
 public:
  // How wide an entry may be. Modules that send credentials NTLM can relay (rrasm without Kerberos,
  // mprapi) take narrow entries only; a Kerberos or credential-free module may list wider ones.
  enum class Width { kNarrow, kWide };

  // The width for a router made from `router`: narrow when its source says its credentials can
  // be relayed (SourceDescriptor::relayable_credentials), else wide.
  static Width widthFor(const RouterTarget& router);

  // Throws std::invalid_argument naming the entry and what is wrong with it.
  TargetAllowList(const std::vector<std::string>& entries, Width width);

  bool allows(std::string_view target) const;

  // A target as it is matched and named (the router label): lower case.
  static std::string normalize(std::string_view target);

  // Empty when `target` is a well-formed host name or IP address, else why not.
  static std::string malformed(std::string_view target);

 private:
  struct Address {
    bool v6 = false;
    std::array<uint8_t, 16> bytes{};
  };
  struct Entry {
    std::string name;     // exact name, or the pattern with '*' (lower case)
    bool suffix = false;  // "*.": name holds ".suffix"
    bool glob = false;    // '*' inside one label
    std::optional<Address> network;
    int prefix = -1;  // CIDR prefix length; -1 for names
  };
  static std::optional<Address> parseAddress(std::string_view text);
  static bool globMatch(std::string_view pattern, std::string_view label);

  std::vector<Entry> entries_;
};

}  // namespace rras
