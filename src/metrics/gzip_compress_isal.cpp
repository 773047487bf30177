// gzip::compress with Intel ISA-L's igzip (Linux build when libisal is installed): its level 1 is
// several times faster than zlib's level 1 at a similar ratio, and compression is the largest
// part of a poll's CPU at 100 000 connections (issue 6). The output is plain deflate with a sync
// flush, so the pieces concatenate exactly like zlib's.
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

#include "metrics/gzip_pieces.h"

namespace rras::gzip {

Piece compress(std::string_view text) {
  if (text.size() > std::numeric_limits<uint32_t>::max() / 2) {
    throw std::length_error("gzip piece of " + std::to_string(text.size()) + " bytes is too large");
  }
  Piece piece;
  piece.length = text.size();
  piece.crc = crc32_gzip_refl(0, reinterpret_cast<const unsigned char*>(text.data()), text.size());

  isal_zstream zs;
  isal_deflate_init(&zs);
  const auto level_buffer = std::make_unique<uint8_t[]>(ISAL_DEF_LVL1_DEFAULT);
  zs.level = 1;
  zs.level_buf = level_buffer.get();
  zs.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
  zs.gzip_flag = IGZIP_DEFLATE;
  zs.flush = SYNC_FLUSH;
  zs.end_of_stream = 0;
  // Incompressible text needs stored blocks: 5 bytes per 64 KiB, plus the flush.
  piece.deflated.resize(text.size() + text.size() / 1024 + 1024);
  zs.next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uint32_t>(text.size());
  zs.next_out = reinterpret_cast<uint8_t*>(piece.deflated.data());
  zs.avail_out = static_cast<uint32_t>(piece.deflated.size());
  const int rc = isal_deflate(&zs);
  if (rc != COMP_OK || zs.avail_in != 0 || zs.internal_state.state != ZSTATE_NEW_HDR) {
    throw std::runtime_error("isa-l deflate failed (code " + std::to_string(rc) + ")");
  }
  piece.deflated.resize(piece.deflated.size() - zs.avail_out);
  piece.deflated.shrink_to_fit();
  return piece;
}

}  // namespace rras::gzip
