#include "metrics/privacy.h"

#include "crypto/hmac_sha256.h"
#include "model/connection.h"

namespace rras {

std::string Privacy::user(std::string_view domain, std::string_view user) const {
  switch (config_.usernames) {
    case PrivacyConfig::Usernames::kPlain:
      return std::string(user);
    case PrivacyConfig::Usernames::kOmit:
      return {};
    case PrivacyConfig::Usernames::kHash:
      break;
  }
  if (user.empty()) return {};
  const std::string identity = accountKey(domain, user);  // ALICE and alice are one person
  const auto digest = hmacSha256(config_.hash_key, identity);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "u_";
  for (unsigned i = 0; i < 8; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

}  // namespace rras
