// The table of kinds of data a router is asked for: one row per kind, each a folder under kinds/
// with its record (model/), the source calls it needs (RouterApi), its enumeration on the shared
// pager, its snapshot part, aggregates, families and doc. Connections (with server info) come
// first and decide rras_up; the other kinds are collected after them on the same binding, and a
// call a router refuses fails only that kind's collector.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kinds/family_builder.h"
#include "router/pager.h"
#include "router/poll_error.h"
#include "router/router_api.h"
#include "router/wire_sizes.h"
#include "snapshot/router_snapshot.h"

namespace rras {

// What a kind's collector works with: the router's open binding and the paging settings.
struct CollectContext {
  RouterApi& api;
  RouterHandle handle;
  int64_t page_size_bytes;  // -1: everything in one page
  uint32_t max_pages;
  // A failed call as the poll error people read ("MprAdminPortEnum failed with ...: what to do").
  std::function<PollError(ApiCode code, const std::string& call)> describe;

  // Every page of one enumeration into `out` on the shared pager: `call(pref_max_len, resume, page)`
  // makes one call; `name` is the MprAdmin call in messages; entries are `wire_size` bytes on the
  // wire and `native_size` in a local x64 mprapi.dll.
  template <class Entry, class Call>
  std::optional<PollError> readAll(const std::string& name, uint32_t wire_size, uint32_t native_size, Call&& call,
                                   std::vector<Entry>& out) const {
    const uint32_t pref = wire::prefMaxLen(page_size_bytes, wire_size, native_size);
    PageStats stats;
    return readAllPages<Entry>([&](uint32_t& resume, Page<Entry>& page) { return call(pref, resume, page); },
                               [&](ApiCode code) { return describe(code, name); }, name, max_pages, out, stats);
  }
  // The same, handing each entry to `keep(Entry&&)` as its page arrives (a kind that only counts).
  template <class Entry, class Call, class Keep>
  std::optional<PollError> readEach(const std::string& name, uint32_t wire_size, uint32_t native_size, Call&& call,
                                    Keep&& keep) const {
    const uint32_t pref = wire::prefMaxLen(page_size_bytes, wire_size, native_size);
    PageStats stats;
    return readEachPage<Entry>([&](uint32_t& resume, Page<Entry>& page) { return call(pref, resume, page); },
                               [&](ApiCode code) { return describe(code, name); }, name, max_pages, [](size_t) {},
                               std::forward<Keep>(keep), stats);
  }
};

struct KindDescriptor {
  std::string_view name;  // the `collector` label and the name in `collectors:`
  // Reads the kind into its part of `part` (a snapshot of its own: the poll's may be published by
  // the watchdog meanwhile); null for connections and server, which the Enumerator reads.
  std::optional<PollError> (*collect)(const CollectContext& context, RouterSnapshot& part) = nullptr;
  // Moves the kind's part from `part` into the poll's snapshot `into` after a successful collect.
  void (*adopt)(RouterSnapshot& part, RouterSnapshot& into) = nullptr;
  // Declares the kind's families and fills them from every published router's snapshot; null for
  // connections and server (metrics/router_families and metrics/connection_renderer).
  void (*families)(FamilyBuilder& builder, std::span<const RouterSnapshot* const> routers) = nullptr;
};

std::span<const KindDescriptor> kindTable();
const KindDescriptor* findKind(std::string_view name);

}  // namespace rras
