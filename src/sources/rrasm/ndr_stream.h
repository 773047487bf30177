// NDR20 little-endian byte streams for the DIMSVC stubs: a writer for requests and a reader that
// treats every reply as hostile. Alignment is relative to the start of the stub, as in NDR.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace rras::rrasm {

// A reply that cannot be what the server was asked for: short, inconsistent, out of range.
// The message names the field and its offset in the stub.
class MalformedReply : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class NdrWriter {
 public:
  void u8(uint8_t v) { bytes_.push_back(v); }
  void u16(uint16_t v);
  void u32(uint32_t v);
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

class NdrReader {
 public:
  // `what` names the reply in error messages, e.g. "RRasAdminConnectionEnum reply".
  NdrReader(std::span<const uint8_t> stub, std::string what) : stub_(stub), what_(std::move(what)) {}

  uint8_t u8(const char* field);
  uint16_t u16(const char* field);
  uint32_t u32(const char* field);
  // Skips to the next multiple of `n` (NDR alignment); the padding must be present.
  void align(size_t n, const char* field);
  // `size` bytes in place; throws unless they are all present.
  std::span<const uint8_t> bytes(size_t size, const char* field);
  // A referent id of an embedded or [unique] pointer: 0 = NULL.
  bool pointer(const char* field) { return u32(field) != 0; }

  size_t offset() const { return pos_; }
  size_t remaining() const { return stub_.size() - pos_; }
  [[noreturn]] void fail(const std::string& problem) const;

 private:
  void need(size_t n, const char* field);

  std::span<const uint8_t> stub_;
  std::string what_;
  size_t pos_ = 0;
};

// Little-endian loads from a span whose size the caller has checked.
inline uint16_t loadU16(std::span<const uint8_t> b, size_t off) {
  return static_cast<uint16_t>(b[off] | (b[off + 1] << 8));
}
inline uint32_t loadU32(std::span<const uint8_t> b, size_t off) {
  return static_cast<uint32_t>(b[off]) | (static_cast<uint32_t>(b[off + 1]) << 8) |
         (static_cast<uint32_t>(b[off + 2]) << 16) | (static_cast<uint32_t>(b[off + 3]) << 24);
}

// A fixed WCHAR[chars] array at `off`: UTF-16LE up to the first NUL (or the whole array), as
// UTF-8; unpaired surrogates become U+FFFD. The caller has checked off + 2*chars <= b.size().
std::string loadWideString(std::span<const uint8_t> b, size_t off, size_t chars);

}  // namespace rras::rrasm
