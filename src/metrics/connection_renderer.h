// Renders the per-connection families of one router to text once per poll (DESIGN §5). They never
// live in a prometheus-cpp Family: its Remove is linear in the family size.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/connection_families.h"
#include "metrics/gzip_pieces.h"
#include "metrics/privacy.h"
#include "router/connection_tracker.h"

namespace rras {

struct FamilyInfo {
  std::string_view name, type, help;
};

// In the order of kConnectionFamilyNames (config/connection_families.h), which selects them.
inline constexpr size_t kConnectionFamilyCount = kConnectionFamilyNames.size();
extern const std::array<FamilyInfo, kConnectionFamilyCount> kConnectionFamilies;

struct ConnectionRenderOptions {
  uint32_t max_per_router = 20000;                           // 0 = no limit
  ConnectionFamilies families = kDefaultConnectionFamilies;  // unselected ones are never rendered
};

struct RenderedConnections {
  std::array<std::string, kConnectionFamilyCount> text;  // series lines, no headers
  std::array<gzip::Piece, kConnectionFamilyCount> gzip;  // the same, compressed
  uint64_t exported = 0;                                 // connections with series
  uint64_t dropped = 0;                                  // connections past the cap
};

RenderedConnections renderConnections(std::string_view router, const std::vector<TrackedConnection>& connections,
                                      const ConnectionRenderOptions& options, const Privacy& privacy);

}  // namespace rras
