// Assembles a /metrics body at scrape time (DESIGN §5): the small families (exporter, process,
// router-level) serialized by prometheus-cpp's TextSerializer, then the per-connection families
// family by family from every router's pre-rendered text. The gzip form reuses the pieces
// compressed at poll time, so a scrape compresses only the small part.
#pragma once

#include <prometheus/registry.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/gzip_pieces.h"
#include "metrics/metrics_store.h"

namespace rras {

// A body made of pieces that point into memory the body keeps alive.
struct Body {
  PublishedRouters routers;  // keeps the per-connection text alive
  std::string small_part;    // serialized (and maybe compressed) small families
  std::string gzip_trailer;
  std::vector<std::string_view> pieces;
  size_t length = 0;

  std::string str() const;
};

class Exposition {
 public:
  // `exporter_registry` null: no exporter or process families (a /probe answer).
  Exposition(const MetricsStore& store, std::shared_ptr<prometheus::Registry> exporter_registry);
  // Every router of the store.
  std::shared_ptr<const Body> build(bool gzip) const { return build(gzip, store_.current()); }
  // Only these routers.
  std::shared_ptr<const Body> build(bool gzip, PublishedRouters routers) const;

 private:
  std::string smallFamilies(const PublishedRouters& routers) const;

  const MetricsStore& store_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::array<std::string, kConnectionFamilyCount> headers_;
  std::array<gzip::Piece, kConnectionFamilyCount> gzip_headers_;
};

}  // namespace rras
