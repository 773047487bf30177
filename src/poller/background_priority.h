// Background work must not take the CPU from answering a scrape (issue 6: p99 of scrapes while
// polls run; issue 16: a flood of TLS handshakes). Each such thread lowers its own priority.
#pragma once

namespace rras {

enum class BackgroundPriority {
  // Polls: a core nothing else wants (Linux SCHED_IDLE). Under a machine saturated for long they
  // can miss their deadline; a scrape never waits for them.
  kIdle,
  // TLS handshakes, which a fresh scrape connection needs too: below serving, never starved
  // (Linux nice 10, about a tenth of a contended core).
  kLow,
};

// Lowers the calling thread's CPU priority; on Windows both are THREAD_PRIORITY_BELOW_NORMAL.
// Failure is harmless (the thread keeps its priority).
void lowerThisThreadPriority(BackgroundPriority priority);

}  // namespace rras
