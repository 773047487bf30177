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

#include "metrics/family_builder.h"
#include "poller/snapshot.h"
#include "router/poll_error.h"
#include "router/router_api.h"

namespace rras {

// What a kind's collector works with: the router's open binding and the paging settings.
struct CollectContext {
  RouterApi& api;
  RouterHandle handle;
  int64_t page_size_bytes;  // -1: everything in one page
  uint32_t max_pages;
  // A failed call as the poll error people read ("MprAdminPortEnum failed with ...: what to do").
  std::function<PollError(ApiCode code, const std::string& call)> describe;

  // dwPrefMaxLen for entries of `wire_size` bytes (x64: `native_size`): at least one entry.
  uint32_t prefMaxLen(uint32_t wire_size, uint32_t native_size) const;
};

struct KindDescriptor {
  std::string_view name;  // the `collector` label and the name in `collectors:`
  std::string_view doc;   // docs/kinds/<name>.md
  // Reads the kind into `snapshot`; null for connections and server, which the Enumerator reads.
  std::optional<PollError> (*collect)(const CollectContext& context, RouterSnapshot& snapshot) = nullptr;
  // Declares the kind's families and fills them from every published router's snapshot; null for
  // connections and server (metrics/router_families and metrics/connection_renderer).
  void (*families)(FamilyBuilder& builder, std::span<const RouterSnapshot* const> routers) = nullptr;
};

std::span<const KindDescriptor> kindTable();
const KindDescriptor* findKind(std::string_view name);

}  // namespace rras
