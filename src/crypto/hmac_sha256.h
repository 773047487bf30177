// HMAC-SHA256 from the platform's crypto library (OpenSSL on Linux, CNG on Windows): never a
// hand-written digest.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace rras {

std::array<uint8_t, 32> hmacSha256(std::string_view key, std::string_view message);

}  // namespace rras
