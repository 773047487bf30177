// The Enumerator: "every active connection at the highest supported level", written once above
// RouterApi (DESIGN §3): level ladder with probing and caching, paging with guards, join of levels
// on the connection handle, reconnect once when the binding is lost.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "router/poll_error.h"
#include "router/router_api.h"

namespace rras {

inline constexpr uint32_t kDefaultMaxPages = 100000;  // a router that pages forever is cut off here
// dwPrefMaxLen of every enumeration: docs/sources/rrasm.md, "Page size", says why 1 MiB.
inline constexpr int64_t kDefaultPageSizeBytes = 1048576;

struct EnumeratorOptions {
  int64_t page_size_bytes = kDefaultPageSizeBytes;  // dwPrefMaxLen; -1 = everything in one page
  int max_level = -1;                               // -1 = auto (EnumEx, then 3, 2, ...); 0..3 caps the ladder
  uint32_t max_pages = kDefaultMaxPages;
};

struct EnumerationResult {
  std::optional<PollError> error;  // set when the poll failed
  // MprAdminServerGetInfo refused (other than "not here" or a lost binding): only the server
  // collector fails; the connections are still read.
  std::optional<PollError> server_error;
  double server_seconds = 0;  // how long server info took
  std::string level;          // "ex", "3", "2", "1", "0"; "" when unknown
  ServerInfo server_info;
  std::vector<Connection> connections;  // joined, unique handles, sorted by handle
  uint32_t pages = 0;
  uint32_t duplicates_dropped = 0;      // same handle twice across pages
  uint32_t dropped_between_levels = 0;  // not seen at every level read: arrived or left meanwhile
  bool reconnected = false;
};

class Enumerator {
 public:
  Enumerator(RouterApi& api, EnumeratorOptions options);
  ~Enumerator();
  Enumerator(const Enumerator&) = delete;
  Enumerator& operator=(const Enumerator&) = delete;

  EnumerationResult poll();
  // Forgets the handle and the cached ladder, e.g. after a poll was abandoned at its deadline.
  void reset();
  // The binding of the last successful poll, for the other kinds' collectors; empty after a failure.
  std::optional<RouterHandle> handle() const { return handle_; }
  // MprAdminServerConnect when there is no binding (a collector after a lost one); the level ladder
  // is probed again at the next poll.
  std::optional<PollError> connect() { return ensureConnected(); }
  // A failed call as a poll error: the code's name and what to do about it.
  PollError describe(ApiCode code, const std::string& call);

 private:
  struct Ladder {
    bool enum_ex = false;
    int top_level = 0;       // highest MprAdminConnectionEnum level that answers
    bool has_level1 = true;  // counters
    int server_info_level = 2;
  };

  std::optional<PollError> ensureConnected();
  std::optional<PollError> readServerInfo(EnumerationResult& result);
  std::optional<PollError> readConnections(EnumerationResult& result);
  // Reads every page of one level (-1 = EnumEx) into `out`, deduplicated by handle.
  std::optional<PollError> readLevel(int level, std::vector<Connection>& out, EnumerationResult& result);
  uint32_t prefMaxLen(int level) const;

  RouterApi& api_;
  EnumeratorOptions options_;
  std::optional<RouterHandle> handle_;
  std::optional<Ladder> ladder_;  // cached per connection; probed again after a reconnect
};

}  // namespace rras
