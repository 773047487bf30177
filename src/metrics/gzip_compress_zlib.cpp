// gzip::compress with zlib: the portable build (Windows, or Linux without ISA-L).
#include <zlib.h>

#include <memory>
#include <stdexcept>

#include "metrics/gzip_pieces.h"

namespace rras::gzip {

Piece compress(std::string_view text) {
  Piece piece;
  piece.length = text.size();
  piece.crc =
      static_cast<uint32_t>(crc32_z(crc32_z(0, nullptr, 0), reinterpret_cast<const Bytef*>(text.data()), text.size()));
  z_stream zs{};
  if (deflateInit2(&zs, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib deflateInit2 failed");
  }
  // Uninitialised, not a resized string: only the pages the output reaches become resident.
  const size_t bound = deflateBound(&zs, static_cast<uLong>(text.size())) + 16;
  const auto out = std::make_unique_for_overwrite<Bytef[]>(bound);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = out.get();
  zs.avail_out = static_cast<uInt>(bound);
  const int rc = deflate(&zs, Z_SYNC_FLUSH);
  const size_t produced = bound - zs.avail_out;
  deflateEnd(&zs);
  if (rc != Z_OK || zs.avail_in != 0) throw std::runtime_error("zlib deflate failed");
  piece.deflated.assign(reinterpret_cast<const char*>(out.get()), produced);
  return piece;
}

}  // namespace rras::gzip
