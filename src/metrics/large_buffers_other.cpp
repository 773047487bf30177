#include "metrics/large_buffers.h"

namespace rras {

// Other C libraries (the Windows heap serves large blocks straight from VirtualAlloc) need nothing.
void tuneAllocatorForLargeBuffers() {}
void returnFreedMemory(bool) {}

}  // namespace rras
