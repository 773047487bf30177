// libFuzzer target: the rrasm source's DIMSVC reply decoders (NDR20 byte spans from the wire).
// The first byte picks the call and level; the rest is the reply stub. Any input must decode or
// throw MalformedReply; any other exception, crash or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <span>

#include "sources/rrasm/dimsvc_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::span<const uint8_t> stub(data + 1, size - 1);
  const unsigned selector = data[0] % 8;
  try {
    if (selector < 3) {
      (void)rras::rrasm::decodeServerGetInfo(stub, selector);  // levels 0..2
    } else if (selector < 7) {
      (void)rras::rrasm::decodeConnectionEnum(stub, selector - 3);  // levels 0..3
    } else {
      (void)rras::rrasm::decodeConnectionEnumEx(stub);
    }
  } catch (const rras::rrasm::MalformedReply&) {
  }
  return 0;
}
