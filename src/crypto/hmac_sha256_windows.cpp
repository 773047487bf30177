#include <windows.h>
#include <bcrypt.h>

#include <stdexcept>
#include <string>

#include "crypto/hmac_sha256.h"

namespace rras {

std::array<uint8_t, 32> hmacSha256(std::string_view key, std::string_view message) {
  // CNG: a pseudo-handle algorithm provider would need Windows 10; open one per call instead
  // (a pseudonym is computed once per connection per poll).
  BCRYPT_ALG_HANDLE algorithm = nullptr;
  NTSTATUS status =
      BCryptOpenAlgorithmProvider(&algorithm, BCRYPT_SHA256_ALGORITHM, nullptr, BCRYPT_ALG_HANDLE_HMAC_FLAG);
  if (status < 0)
    throw std::runtime_error("BCryptOpenAlgorithmProvider(SHA256, HMAC) failed: " + std::to_string(status));
  std::array<uint8_t, 32> digest{};
  BCRYPT_HASH_HANDLE hash = nullptr;
  status = BCryptCreateHash(algorithm, &hash, nullptr, 0, reinterpret_cast<PUCHAR>(const_cast<char*>(key.data())),
                            static_cast<ULONG>(key.size()), 0);
  if (status >= 0) {
    status = BCryptHashData(hash, reinterpret_cast<PUCHAR>(const_cast<char*>(message.data())),
                            static_cast<ULONG>(message.size()), 0);
    if (status >= 0) status = BCryptFinishHash(hash, digest.data(), static_cast<ULONG>(digest.size()), 0);
    BCryptDestroyHash(hash);
  }
  BCryptCloseAlgorithmProvider(algorithm, 0);
  if (status < 0) throw std::runtime_error("CNG HMAC-SHA256 failed: " + std::to_string(status));
  return digest;
}

}  // namespace rras
