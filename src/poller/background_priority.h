// Polls are background work: a scrape must not wait for the CPU a poll's rendering and compressing
// use (issue 6: p99 of scrapes while polls run). Each poll worker lowers its own thread's priority.
#pragma once

namespace rras {

// Lowers the calling thread's CPU priority a little; where the platform has no per-thread nice
// value this does nothing.
void lowerThisThreadPriority();

}  // namespace rras
