// The guarded paging loop every enumeration shares (connections at each level, interfaces,
// ports): resume handle from 0, again while ERROR_MORE_DATA, with the guards against a router that
// misbehaves: a reply whose count disagrees with its entries (MALFORMED_REPLY), a resume handle
// that does not advance (RESUME_HANDLE_STUCK), a page limit (PAGE_LIMIT), and entries repeated
// across pages (dropped and counted). Entries are identified by their `handle`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "model/foreground.h"
#include "router/poll_error.h"
#include "router/router_api.h"

namespace rras {

struct PageStats {
  uint32_t pages = 0;
  uint32_t duplicates_dropped = 0;
};

// The most entries the first page's total_entries reserves room for (more still fit: they grow).
inline constexpr size_t kMaxReserve = 1 << 17;

// `call(resume, page)` makes one call and returns its status; `fail(code)` turns a status other
// than success or ERROR_MORE_DATA into the poll error; `what` names the enumeration in messages.
// Each entry kept is handed to `keep(Entry&&)` as its page arrives, after `expect(n)` has said
// how many the first page announces (capped at kMaxReserve): nothing of a page outlives it.
template <class Entry, class Call, class Fail, class Expect, class Keep>
std::optional<PollError> readEachPage(Call&& call, Fail&& fail, const std::string& what, uint32_t max_pages,
                                      Expect&& expect, Keep&& keep, PageStats& stats) {
  std::unordered_set<uint64_t> seen;
  uint32_t resume = 0;
  for (uint32_t pages = 1;; ++pages) {
    foreground::yield();  // a scrape in flight goes first (model/foreground.h)
    Page<Entry> page;
    const uint32_t before = resume;
    const ApiCode code = call(resume, page);
    if (code != status::kSuccess && code != status::kMoreData) return fail(code);
    ++stats.pages;
    if (page.entries.size() != page.entries_read) {
      return PollError::guard("MALFORMED_REPLY", what + " page " + std::to_string(pages) + " reports " +
                                                     std::to_string(page.entries_read) + " entries but carries " +
                                                     std::to_string(page.entries.size()));
    }
    if (pages == 1) {
      // Room for every entry at once, not the doubling growth that left a vector up to twice too
      // large (and briefly held both sizes). Only a hint, capped, since the router says it.
      const size_t expected = std::min<size_t>(std::max<size_t>(page.total_entries, page.entries.size()), kMaxReserve);
      expect(expected);
      seen.reserve(expected);
    }
    seen.reserve(seen.size() + page.entries.size());
    for (auto& entry : page.entries) {
      if (seen.insert(entry.handle).second) {
        keep(std::move(entry));
      } else {
        ++stats.duplicates_dropped;
      }
    }
    if (code == status::kSuccess) return std::nullopt;
    if (resume == before) {
      return PollError::guard("RESUME_HANDLE_STUCK", what +
                                                         ": the router answered ERROR_MORE_DATA but the resume handle "
                                                         "stayed at " +
                                                         std::to_string(resume) + " after page " +
                                                         std::to_string(pages));
    }
    if (pages >= max_pages) {
      return PollError::guard("PAGE_LIMIT",
                              what + ": still ERROR_MORE_DATA after " + std::to_string(pages) + " pages; giving up");
    }
  }
}

// The same, collecting the entries kept into `out`.
template <class Entry, class Call, class Fail>
std::optional<PollError> readAllPages(Call&& call, Fail&& fail, const std::string& what, uint32_t max_pages,
                                      std::vector<Entry>& out, PageStats& stats) {
  out.clear();
  return readEachPage<Entry>(
      std::forward<Call>(call), std::forward<Fail>(fail), what, max_pages, [&](size_t n) { out.reserve(n); },
      [&](Entry&& entry) { out.push_back(std::move(entry)); }, stats);
}

}  // namespace rras
