#include "metrics/gzip_pieces.h"

#include <zlib.h>

#include <limits>
#include <stdexcept>
#include <string>

namespace rras::gzip {

std::string_view header() {
  static constexpr char kHeader[] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, '\xff'};
  return {kHeader, sizeof kHeader};
}

std::string_view finalBlock() {
  static constexpr char kFinal[] = {3, 0};  // BFINAL=1, fixed Huffman, end-of-block
  return {kFinal, sizeof kFinal};
}

std::string trailer(uint32_t crc, uint64_t length) {
  std::string out(8, '\0');
  const auto size = static_cast<uint32_t>(length);  // ISIZE is the length modulo 2^32
  for (size_t i = 0; i < 4; ++i) {
    out[i] = static_cast<char>((crc >> (8 * i)) & 0xFF);
    out[4 + i] = static_cast<char>((size >> (8 * i)) & 0xFF);
  }
  return out;
}

uint32_t combineCrc(uint32_t crc_a, uint32_t crc_b, uint64_t length_b) {
  // crc32_combine64 is not declared by every zlib build (mingw's z_off_t is 32 bits); a piece is
  // one router's family, far below 2 GiB.
  if (length_b > static_cast<uint64_t>(std::numeric_limits<z_off_t>::max())) {
    throw std::length_error("gzip piece of " + std::to_string(length_b) + " bytes is too large to combine");
  }
  return static_cast<uint32_t>(crc32_combine(crc_a, crc_b, static_cast<z_off_t>(length_b)));
}

}  // namespace rras::gzip
