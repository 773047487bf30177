// Applies the privacy settings to the identifying labels of a connection.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"

namespace rras {

class Privacy {
 public:
  explicit Privacy(PrivacyConfig config) : config_(std::move(config)) {}

  // plain: the user name; hash: "u_" + 16 hex digits of HMAC-SHA256(key, lower(domain\user)),
  // a stable pseudonym that cannot be reversed without the key; omit: "".
  std::string user(std::string_view domain, std::string_view user) const;
  // plain: the address or name; omit: "".
  std::string_view clientAddress(std::string_view address) const {
    return config_.client_addresses == PrivacyConfig::ClientAddresses::kPlain ? address : std::string_view{};
  }

 private:
  PrivacyConfig config_;
};

}  // namespace rras
