#include "metrics/router_families.h"

#include <string>

#include "kinds/family_builder.h"
#include "kinds/kind_table.h"

namespace rras {

namespace {
using prometheus::MetricFamily;
using prometheus::MetricType;
}  // namespace

std::vector<MetricFamily> routerFamilies(const PublishedRouters& routers) {
  FamilyBuilder f;
  auto& up = f.add("rras_up", MetricType::Gauge,
                   "1 if the last poll of the router succeeded, 0 if it failed. The exporter polls on its own "
                   "timer (poll_interval), not on scrape.");
  auto& info = f.add("rras_router_info", MetricType::Gauge,
                     "Router identity (always 1): source, server and the enumeration level in use (ex = "
                     "MprAdminConnectionEnumEx, 0..3 = MprAdminConnectionEnum level).");
  auto& last_success = f.add("rras_last_poll_success_timestamp_seconds", MetricType::Gauge,
                             "When the last successful poll ended, seconds since the Unix epoch (0 = never). "
                             "time() minus this is the age of the data.");
  auto& duration = f.add("rras_poll_duration_seconds", MetricType::Gauge, "How long the last poll took.");
  auto& errors =
      f.add("rras_poll_errors_total", MetricType::Counter,
            "Failed polls by error (Win32/RPC name, or the exporter's guard such as POLL_DEADLINE_EXCEEDED).");
  auto& ports = f.add("rras_ports", MetricType::Gauge, "Ports (capacity) the RRAS server has (MPR_SERVER_0).");
  auto& ports_in_use = f.add("rras_ports_in_use", MetricType::Gauge, "Ports in use on the RRAS server (MPR_SERVER_0).");
  auto& uptime = f.add("rras_server_uptime_seconds", MetricType::Gauge, "Uptime of the RRAS service (MPR_SERVER_0).");
  auto& connections = f.add("rras_connections", MetricType::Gauge,
                            "Active connections by interface type and protocol (ppp, ikev2; unknown below EnumEx "
                            "when the connection is not PPP).");
  auto& users = f.add("rras_users", MetricType::Gauge,
                      "Distinct users (domain and user name, case-insensitive) with an active connection.");
  auto& multi =
      f.add("rras_users_with_multiple_connections", MetricType::Gauge, "Users with more than one active connection.");
  auto& quarantined = f.add("rras_quarantined_connections", MetricType::Gauge,
                            "Connections in quarantine or probation (level 3 and EnumEx only).");
  auto& started =
      f.add("rras_connections_started_total", MetricType::Counter,
            "Connections first seen since the exporter started (not counting those present at its first poll).");
  auto& ended = f.add("rras_connections_ended_total", MetricType::Counter,
                      "Connections that disappeared since the exporter started.");
  auto& sent = f.add("rras_sent_bytes_total", MetricType::Counter,
                     "Bytes the server sent to clients, summed from per-connection deltas between polls (traffic "
                     "of active connections; the last interval of a closed connection is not seen).");
  auto& received = f.add("rras_received_bytes_total", MetricType::Counter,
                         "Bytes the server received from clients, summed from per-connection deltas between polls.");
  auto& sent_frames = f.add("rras_sent_frames_total", MetricType::Counter,
                            "Frames the server sent to clients, summed from per-connection deltas between polls.");
  auto& received_frames =
      f.add("rras_received_frames_total", MetricType::Counter,
            "Frames the server received from clients, summed from per-connection deltas between polls.");
  auto& link_errors = f.add("rras_link_errors_total", MetricType::Counter,
                            "Serial-line errors on the router's connections by kind (crc, timeout, alignment, "
                            "hardware_overrun, framing, buffer_overrun), summed from per-connection deltas between "
                            "polls.");
  auto& compression = f.add("rras_compression_ratio", MetricType::Gauge,
                            "MPPC compression ratio over the active connections by direction (in, out), 0 to 1, "
                            "each connection weighted by its bytes in that direction.");
  auto& collector_success = f.add("rras_collector_success", MetricType::Gauge,
                                  "1 if the collector (connections, server, interfaces, ports) read its data in the "
                                  "router's last successful poll, 0 if the router refused or failed the call; a "
                                  "failed collector's series are left out.");
  auto& collector_duration = f.add("rras_collector_duration_seconds", MetricType::Gauge,
                                   "How long the collector took in the router's last successful poll.");
  auto& dropped = f.add("rras_connection_series_dropped", MetricType::Gauge,
                        "Connections without per-connection series because the router exceeds "
                        "max_connections_per_router; aggregates still count them.");

  for (const auto& published : routers) {
    if (!published) continue;  // not polled yet
    const RouterSnapshot& s = published->snapshot;
    const Labels router{{"router", s.router}};
    sample(up, router, s.up ? 1 : 0);
    sample(info, {{"level", s.level}, {"router", s.router}, {"server", s.server}, {"source", s.source}}, 1);
    sample(last_success, router, s.last_success_time);
    sample(duration, router, s.poll_duration_seconds);
    for (const auto& [name, count] : s.poll_errors) {
      sample(errors, {{"error", name}, {"router", s.router}}, static_cast<double>(count));
    }
    sample(started, router, static_cast<double>(s.totals.connections_started));
    sample(ended, router, static_cast<double>(s.totals.connections_ended));
    sample(sent, router, static_cast<double>(s.totals.sent_bytes));
    sample(received, router, static_cast<double>(s.totals.received_bytes));
    sample(sent_frames, router, static_cast<double>(s.totals.sent_frames));
    sample(received_frames, router, static_cast<double>(s.totals.received_frames));
    const std::pair<const char*, uint64_t> error_kinds[] = {{"crc", s.totals.crc_errors},
                                                            {"timeout", s.totals.timeout_errors},
                                                            {"alignment", s.totals.alignment_errors},
                                                            {"hardware_overrun", s.totals.hardware_overrun_errors},
                                                            {"framing", s.totals.framing_errors},
                                                            {"buffer_overrun", s.totals.buffer_overrun_errors}};
    for (const auto& [kind, count] : error_kinds) {
      sample(link_errors, {{"kind", kind}, {"router", s.router}}, static_cast<double>(count));
    }
    if (!s.up) continue;  // no stale data presented as live

    if (s.server_info.level >= 0) {
      sample(ports, router, s.server_info.total_ports);
      sample(ports_in_use, router, s.server_info.ports_in_use);
      sample(uptime, router, s.server_info.uptime_seconds);
    }
    auto counts = s.aggregates.connections;
    counts.try_emplace({"client", "ppp"}, 0);  // the common series exists even when nobody is connected
    for (const auto& [key, count] : counts) {
      sample(connections, {{"interface_type", key.first}, {"protocol", key.second}, {"router", s.router}},
             static_cast<double>(count));
    }
    if (s.aggregates.has_counters) {  // level 0 reports no compression
      sample(compression, {{"direction", "in"}, {"router", s.router}}, s.aggregates.compression_in);
      sample(compression, {{"direction", "out"}, {"router", s.router}}, s.aggregates.compression_out);
    }
    sample(users, router, static_cast<double>(s.aggregates.users));
    sample(multi, router, static_cast<double>(s.aggregates.users_with_multiple_connections));
    if (s.aggregates.has_quarantine) {
      for (const char* state : {"probation", "quarantine"}) {
        auto it = s.aggregates.quarantine.find(state);
        sample(quarantined, {{"router", s.router}, {"state", state}},
               it == s.aggregates.quarantine.end() ? 0.0 : static_cast<double>(it->second));
      }
    }
    sample(dropped, router, static_cast<double>(published->rendered.dropped));
    for (const CollectorStatus& c : s.collectors) {
      sample(collector_success, {{"collector", c.name}, {"router", s.router}}, c.success ? 1 : 0);
      sample(collector_duration, {{"collector", c.name}, {"router", s.router}}, c.duration_seconds);
    }
  }
  // The other kinds' families, each from its own folder (kinds/kind_table.h).
  std::vector<const RouterSnapshot*> live;
  for (const auto& published : routers) {
    if (published && published->snapshot.up) live.push_back(&published->snapshot);
  }
  for (const auto& kind : kindTable()) {
    if (kind.families) kind.families(f, live);
  }
  return f.take();
}

}  // namespace rras
