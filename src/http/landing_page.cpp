#include "http/landing_page.h"

#include <cmath>

#include "build_info.h"
#include "model/utc_time.h"

namespace rras {

namespace {

std::string html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string isoTime(double t) { return utcTimestamp(std::floor(t)); }

}  // namespace

std::string renderLandingPage(const PublishedRouters& routers, const std::vector<std::string>& names, double now,
                              const std::vector<std::string>& modules, const std::vector<ProbedTarget>& probed) {
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>RRAS Exporter</title>\n"
      "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.up{color:#080}.down{color:#b00}</style>\n"
      "</head><body>\n<h1>RRAS Exporter</h1>\n<p>Prometheus exporter for Windows RRAS (Routing and Remote "
      "Access) VPN servers, version ";
  page += html(build::kVersion);
  page += " (revision ";
  page += html(build::kRevision);
  page +=
      ").</p>\n<ul><li><a href=\"metrics\">Metrics</a></li><li><a href=\"-/healthy\">Health</a></li>"
      "<li><a href=\"-/ready\">Readiness</a></li></ul>\n<h2>Routers</h2>\n<table>\n"
      "<tr><th>Router</th><th>Up</th><th>Source</th><th>Server</th><th>Level</th><th>Connections</th>"
      "<th>Last poll</th><th>Last error</th></tr>\n";
  for (size_t i = 0; i < names.size(); ++i) {
    const auto& r = i < routers.size() ? routers[i] : nullptr;
    page += "<tr><td>" + html(names[i]) + "</td>";
    if (!r) {
      page += "<td>-</td><td colspan=\"6\">not polled yet</td></tr>\n";
      continue;
    }
    const RouterSnapshot& s = r->snapshot;
    page += s.up ? "<td class=\"up\">up</td>" : "<td class=\"down\">down</td>";
    page += "<td>" + html(s.source) + "</td><td>" +
            html(!s.server.empty()      ? s.server
                 : s.source == "mprapi" ? "(local machine)"
                                        : "-") +
            "</td>";
    page += "<td>" + html(s.level.empty() ? "-" : s.level) + "</td>";
    page += "<td>" + (s.up ? std::to_string(s.aggregates.connections_total) : std::string("-")) + "</td>";
    page += "<td>" + isoTime(s.poll_end_time) + " (" + std::to_string(static_cast<long>(now - s.poll_end_time)) +
            " s ago)</td>";
    page += "<td>" + (s.error ? html(s.error->name + ": " + s.error->message) : std::string()) + "</td></tr>\n";
  }
  page += "</table>\n";
  if (!modules.empty()) {
    page += "<h2>Probes</h2>\n<p>Modules for <code>/probe?module=&lt;module&gt;&amp;target=&lt;server&gt;</code>: ";
    for (size_t i = 0; i < modules.size(); ++i) page += (i ? ", " : "") + html(modules[i]);
    page += ".</p>\n<table>\n<tr><th>Target</th><th>Module</th><th>Last probed</th></tr>\n";
    for (const auto& t : probed) {
      page += "<tr><td><a href=\"probe?module=" + html(t.module) + "&amp;target=" + html(t.target) + "\">" +
              html(t.target) + "</a></td><td>" + html(t.module) + "</td><td>" +
              std::to_string(static_cast<long>(t.seconds_since_probe)) + " s ago</td></tr>\n";
    }
    page += "</table>\n";
  }
  page += "</body></html>\n";
  return page;
}

}  // namespace rras
