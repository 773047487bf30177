// The rendered text is a few large buffers per router, replaced every poll. glibc's malloc raises
// its mmap threshold after such a buffer is freed and then serves the next ones from per-thread
// arenas that keep the freed memory: at 100 000 connections the exporter's resident memory grew
// from ~300 MB to ~700 MB that way. Fixing the threshold keeps large buffers in mmap, returned to
// the system when a generation is dropped.
#pragma once

namespace rras {

// Once per process; a no-op where the C library needs no tuning.
void tuneAllocatorForLargeBuffers();
// After a poll: hands the free memory the poll's small allocations left in malloc's arenas back
// to the system (the connections of a poll are freed once rendered). After a `large` poll always;
// otherwise at most once a second process-wide: trimming walks every arena, and a thousand small
// routers (probed targets) publishing would spend a third of the CPU in it.
void returnFreedMemory(bool large);

}  // namespace rras
