#include "sources/rrasm/ndr_stream.h"

namespace rras::rrasm {

void NdrWriter::u16(uint16_t v) {
  bytes_.push_back(static_cast<uint8_t>(v));
  bytes_.push_back(static_cast<uint8_t>(v >> 8));
}

void NdrWriter::u32(uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) bytes_.push_back(static_cast<uint8_t>(v >> shift));
}

void NdrReader::fail(const std::string& problem) const { throw MalformedReply(what_ + ": " + problem); }

void NdrReader::need(size_t n, const char* field) {
  if (n > remaining()) {
    fail(std::string(field) + " at offset " + std::to_string(pos_) + " needs " + std::to_string(n) +
         " bytes but the stub ends after " + std::to_string(remaining()));
  }
}

uint8_t NdrReader::u8(const char* field) {
  need(1, field);
  return stub_[pos_++];
}

uint16_t NdrReader::u16(const char* field) {
  align(2, field);
  need(2, field);
  const uint16_t v = loadU16(stub_, pos_);
  pos_ += 2;
  return v;
}

uint32_t NdrReader::u32(const char* field) {
  align(4, field);
  need(4, field);
  const uint32_t v = loadU32(stub_, pos_);
  pos_ += 4;
  return v;
}

void NdrReader::align(size_t n, const char* field) {
  const size_t pad = (n - pos_ % n) % n;
  need(pad, field);
  pos_ += pad;
}

std::span<const uint8_t> NdrReader::bytes(size_t size, const char* field) {
  need(size, field);
  auto out = stub_.subspan(pos_, size);
  pos_ += size;
  return out;
}

namespace {
void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}
}  // namespace

std::string loadWideString(std::span<const uint8_t> b, size_t off, size_t chars) {
  constexpr uint32_t kReplacement = 0xFFFD;
  std::string out;
  for (size_t i = 0; i < chars; ++i) {
    const uint16_t unit = loadU16(b, off + 2 * i);
    if (unit == 0) break;
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < chars) {
      const uint16_t low = loadU16(b, off + 2 * (i + 1));
      if (low >= 0xDC00 && low <= 0xDFFF) {
        appendUtf8(out, 0x10000 + ((uint32_t{unit} - 0xD800) << 10) + (low - 0xDC00));
        ++i;
        continue;
      }
    }
    appendUtf8(out, (unit >= 0xD800 && unit <= 0xDFFF) ? kReplacement : unit);
  }
  return out;
}

}  // namespace rras::rrasm
