#include "metrics/connection_renderer.h"

#include "metrics/text_format.h"
#include "model/foreground.h"

namespace rras {

const std::array<FamilyInfo, kConnectionFamilyCount> kConnectionFamilies = {{
    {"rras_connection_info", "gauge",
     "Active RRAS connection (always 1) with its attributes; connection is the router's connection "
     "handle. Data is polled every poll_interval, not on scrape."},
    {"rras_connection_start_timestamp_seconds", "gauge",
     "When the connection started (first seen minus its reported duration), seconds since the Unix epoch."},
    {"rras_connection_sent_bytes_total", "counter",
     "Bytes the RRAS server sent to the client on this connection, widened past the 32-bit wire counter."},
    {"rras_connection_received_bytes_total", "counter",
     "Bytes the RRAS server received from the client on this connection, widened past the 32-bit wire counter."},
    {"rras_connection_sent_frames_total", "counter", "Frames the RRAS server sent on this connection."},
    {"rras_connection_received_frames_total", "counter", "Frames the RRAS server received on this connection."},
    {"rras_connection_errors_total", "counter",
     "Errors on this connection by kind (crc, timeout, alignment, hardware_overrun, framing, buffer_overrun)."},
    {"rras_connection_compression_ratio", "gauge",
     "Compression ratio of this connection by direction (in, out), 0 to 1."},
}};

namespace {

enum Family : size_t { kInfo, kStart, kSentBytes, kReceivedBytes, kSentFrames, kReceivedFrames, kErrors, kCompression };

void appendLabel(std::string& out, std::string_view name, std::string_view value, bool first = false) {
  if (!first) out += ',';
  out += name;
  out += "=\"";
  text::appendLabelValue(out, value);
  out += '"';
}

void appendSample(std::string& out, size_t family, std::string_view labels, uint64_t value) {
  out += kConnectionFamilies[family].name;
  out += labels;
  out += "} ";
  text::appendUint(out, value);
  out += '\n';
}

void appendValue(std::string& out, uint64_t value) { text::appendUint(out, value); }
void appendValue(std::string& out, double value) { text::appendDouble(out, value); }

template <typename Value>
void appendLabelledSample(std::string& out, size_t family, std::string_view labels, std::string_view name,
                          std::string_view label_value, Value value) {
  out += kConnectionFamilies[family].name;
  out += labels;
  appendLabel(out, name, label_value);
  out += "} ";
  appendValue(out, value);
  out += '\n';
}

}  // namespace

RenderedConnections renderConnections(std::string_view router, const std::vector<TrackedConnection>& connections,
                                      const ConnectionRenderOptions& options, const Privacy& privacy) {
  RenderedConnections r;
  const ConnectionFamilies& on = options.families;
  if (on.any()) {
    size_t limit = connections.size();
    if (options.max_per_router != 0 && limit > options.max_per_router) limit = options.max_per_router;
    r.exported = limit;
    r.dropped = connections.size() - limit;
    std::string labels;  // {router="..",connection="..",user=".." (left open)
    // Sized once from the first connections, so the text is not copied again and again as it
    // grows (at 100 000 connections that copying was a sixth of a poll's CPU).
    constexpr size_t kSample = 64;
    for (size_t i = 0; i < limit; ++i) {
      if (i % 256 == 255) foreground::yield();  // a scrape in flight goes first (model/foreground.h)
      if (i == kSample) {
        for (auto& text : r.text) {
          if (!text.empty()) text.reserve(text.size() / kSample * limit * 9 / 8 + 4096);
        }
      }
      const Connection& c = connections[i].connection;
      const WideCounters& w = connections[i].counters;
      const std::string user = privacy.user(c.domain, c.user);
      labels.clear();
      labels += '{';
      appendLabel(labels, "router", router, true);
      labels += ",connection=\"";
      text::appendUint(labels, c.handle);
      labels += '"';
      appendLabel(labels, "user", user);

      if (on[kInfo]) {
        std::string& info = r.text[kInfo];
        info += kConnectionFamilies[kInfo].name;
        info += labels;
        appendLabel(info, "domain", c.domain);
        appendLabel(info, "remote_computer", privacy.clientAddress(c.remote_computer));
        appendLabel(info, "interface_type", interfaceTypeLabel(c.interface_type));
        appendLabel(info, "protocol", c.protocol);
        appendLabel(info, "client_ipv4", privacy.clientAddress(c.client_ipv4));
        appendLabel(info, "client_ipv6", privacy.clientAddress(c.client_ipv6));
        appendLabel(info, "tunnel_endpoint", privacy.clientAddress(c.tunnel_endpoint));
        appendLabel(info, "auth_protocol", c.auth_protocol);
        appendLabel(info, "quarantine_state", quarantineStateLabel(c.quarantine_state));
        info += "} 1\n";
      }
      if (on[kStart]) appendSample(r.text[kStart], kStart, labels, static_cast<uint64_t>(connections[i].start_time));
      if (!c.hasCounters()) continue;  // level 0 only: no counters rather than made-up zeros
      if (on[kSentBytes]) appendSample(r.text[kSentBytes], kSentBytes, labels, w.bytes_sent);
      if (on[kReceivedBytes]) appendSample(r.text[kReceivedBytes], kReceivedBytes, labels, w.bytes_received);
      if (on[kSentFrames]) appendSample(r.text[kSentFrames], kSentFrames, labels, w.frames_sent);
      if (on[kReceivedFrames]) appendSample(r.text[kReceivedFrames], kReceivedFrames, labels, w.frames_received);
      if (on[kErrors]) {
        const std::pair<std::string_view, uint64_t> errors[] = {{"crc", w.crc_errors},
                                                                {"timeout", w.timeout_errors},
                                                                {"alignment", w.alignment_errors},
                                                                {"hardware_overrun", w.hardware_overrun_errors},
                                                                {"framing", w.framing_errors},
                                                                {"buffer_overrun", w.buffer_overrun_errors}};
        for (const auto& [kind, value] : errors) {
          appendLabelledSample(r.text[kErrors], kErrors, labels, "kind", kind, value);
        }
      }
      if (on[kCompression]) {
        appendLabelledSample(r.text[kCompression], kCompression, labels, "direction", "in",
                             c.counters.compression_ratio_in / 100.0);
        appendLabelledSample(r.text[kCompression], kCompression, labels, "direction", "out",
                             c.counters.compression_ratio_out / 100.0);
      }
    }
  }
  for (size_t f = 0; f < kConnectionFamilyCount; ++f) {
    if (r.text[f].empty()) continue;
    foreground::yield();
    r.gzip[f] = gzip::compress(r.text[f]);
  }
  return r;
}

}  // namespace rras
