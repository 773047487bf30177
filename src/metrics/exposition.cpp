#include "metrics/exposition.h"

#include <prometheus/text_serializer.h>

#include "metrics/process_metrics.h"
#include "metrics/router_families.h"
#include "metrics/text_format.h"

namespace rras {

std::string Body::str() const {
  std::string out;
  out.reserve(length);
  for (auto piece : pieces) out += piece;
  return out;
}

Exposition::Exposition(const MetricsStore& store, std::shared_ptr<prometheus::Registry> exporter_registry)
    : store_(store), registry_(std::move(exporter_registry)) {
  for (size_t f = 0; f < kConnectionFamilyCount; ++f) {
    const auto& family = kConnectionFamilies[f];
    text::appendHeader(headers_[f], family.name, family.type, family.help);
    gzip_headers_[f] = gzip::compress(headers_[f]);
  }
}

std::string Exposition::smallFamilies(const PublishedRouters& routers) const {
  std::vector<prometheus::MetricFamily> families;
  if (registry_) {
    families = registry_->Collect();
    for (auto& f : processFamilies()) families.push_back(std::move(f));
  }
  for (auto& f : routerFamilies(routers)) families.push_back(std::move(f));
  return prometheus::TextSerializer().Serialize(families);
}

std::shared_ptr<const Body> Exposition::build(bool gzip, PublishedRouters routers) const {
  auto body = std::make_shared<Body>();
  body->routers = std::move(routers);
  const std::string small = smallFamilies(body->routers);
  if (!gzip) {
    body->small_part = small;
    body->pieces.push_back(body->small_part);
    for (size_t f = 0; f < kConnectionFamilyCount; ++f) {
      bool header_written = false;
      for (const auto& router : body->routers) {
        if (!router || router->rendered.text[f].empty()) continue;
        if (!header_written) body->pieces.push_back(headers_[f]);
        header_written = true;
        body->pieces.push_back(router->rendered.text[f]);
      }
    }
  } else {
    gzip::Piece first = gzip::compress(small);
    body->small_part = std::move(first.deflated);
    uint32_t crc = first.crc;
    uint64_t length = first.length;
    auto append = [&](const gzip::Piece& piece) {
      body->pieces.push_back(piece.deflated);
      crc = gzip::combineCrc(crc, piece.crc, piece.length);
      length += piece.length;
    };
    body->pieces.push_back(gzip::header());
    body->pieces.push_back(body->small_part);
    for (size_t f = 0; f < kConnectionFamilyCount; ++f) {
      bool header_written = false;
      for (const auto& router : body->routers) {
        if (!router || router->rendered.text[f].empty()) continue;
        if (!header_written) append(gzip_headers_[f]);
        header_written = true;
        append(router->rendered.gzip[f]);
      }
    }
    body->pieces.push_back(gzip::finalBlock());
    body->gzip_trailer = gzip::trailer(crc, length);
    body->pieces.push_back(body->gzip_trailer);
  }
  for (auto piece : body->pieces) body->length += piece.size();
  return body;
}

}  // namespace rras
