// libFuzzer target: the rrasm source's DIMSVC reply decoders (NDR20 byte spans from the wire).
// The first byte picks the call and level (0-2 GetInfo, 3-6 Enum levels 0-3, 7 EnumEx, 8 opnum 20,
// 9 opnum 4); the rest is the reply stub. Any input must decode or throw MalformedReply; any other
// exception, crash or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <span>

#include "sources/rrasm/dimsvc_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::span<const uint8_t> stub(data + 1, size - 1);
  // 0..7 as before opnums 20 and 4 were added, so the seed corpus keeps its meaning.
  const unsigned selector = data[0] % 10;
  try {
    if (selector < 3) {
      (void)rras::rrasm::decodeServerGetInfo(stub, selector);  // levels 0..2
    } else if (selector < 7) {
      (void)rras::rrasm::decodeConnectionEnum(stub, selector - 3);  // levels 0..3
    } else if (selector == 7) {
      (void)rras::rrasm::decodeConnectionEnumEx(stub);
    } else if (selector == 8) {
      (void)rras::rrasm::decodeInterfaceEnum(stub);  // opnum 20
    } else {
      (void)rras::rrasm::decodePortEnum(stub);  // opnum 4
    }
  } catch (const rras::rrasm::MalformedReply&) {
  }
  return 0;
}
