// A gzip body assembled from pieces compressed separately (DESIGN §5, issue: compress once per
// poll, never per scrape). Each piece is a raw deflate stream ended by a sync flush, so pieces
// concatenate into one valid deflate stream; the gzip header, a final empty block and a trailer
// with the combined CRC-32 and length make it one ordinary gzip member.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rras::gzip {

struct Piece {
  std::string deflated;
  uint32_t crc = 0;     // CRC-32 of the uncompressed text
  uint64_t length = 0;  // uncompressed length
};

// Level 1 (fast): the text is compressed once per poll. ISA-L's igzip on Linux when installed
// (gzip_compress_isal.cpp), zlib otherwise (gzip_compress_zlib.cpp).
Piece compress(std::string_view text);

// The 10-byte header, the closing bytes (final empty block) and the 8-byte trailer.
std::string_view header();
std::string_view finalBlock();
std::string trailer(uint32_t crc, uint64_t length);
// CRC-32 of A followed by B, from their CRCs.
uint32_t combineCrc(uint32_t crc_a, uint32_t crc_b, uint64_t length_b);

}  // namespace rras::gzip
