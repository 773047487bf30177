#include <malloc.h>

#include <mutex>

#include "metrics/large_buffers.h"

namespace rras {

void tuneAllocatorForLargeBuffers() {
  static std::once_flag once;
  std::call_once(once, [] { mallopt(M_MMAP_THRESHOLD, 256 * 1024); });  // also stops the dynamic raise
}

void returnFreedMemory() { malloc_trim(0); }

}  // namespace rras
