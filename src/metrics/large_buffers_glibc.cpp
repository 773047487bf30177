#include <malloc.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

#include "metrics/large_buffers.h"

namespace rras {

void tuneAllocatorForLargeBuffers() {
  static std::once_flag once;
  std::call_once(once, [] { mallopt(M_MMAP_THRESHOLD, 256 * 1024); });  // also stops the dynamic raise
}

void returnFreedMemory(bool large) {
  static std::atomic<int64_t> last_trim_ns{0};
  const int64_t now =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  int64_t last = last_trim_ns.load();
  if (!large && (now - last < 1'000'000'000 || !last_trim_ns.compare_exchange_strong(last, now))) return;
  last_trim_ns.store(now);
  malloc_trim(0);
}

}  // namespace rras
