#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "crypto/hmac_sha256.h"

namespace rras {

std::array<uint8_t, 32> hmacSha256(std::string_view key, std::string_view message) {
  std::array<uint8_t, 32> digest{};
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(), &length) ||
      length != digest.size()) {
    throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
  }
  return digest;
}

}  // namespace rras
