#include "log/logger.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

#include "model/utc_time.h"

namespace rras::logging {

namespace {

std::atomic<Level> g_level{Level::kInfo};
std::atomic<Format> g_format{Format::kLogfmt};
std::mutex g_mu;  // guards the output and g_sink
Sink g_sink;

constexpr std::string_view kLevelNames[] = {"debug", "info", "warn", "error"};

std::string timestamp() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return utcTimestamp(std::chrono::duration<double>(now).count(), true);
}

void appendLogfmtValue(std::string& out, std::string_view v) {
  const bool quote = v.empty() || v.find_first_of(" =\"\\\n\t") != std::string_view::npos;
  if (!quote) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else
      out += c;
  }
  out += '"';
}

void appendJsonString(std::string& out, std::string_view v) {
  out += '"';
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else
      out += c;
  }
  out += '"';
}

}  // namespace

std::optional<Level> parseLevel(std::string_view text) {
  for (size_t i = 0; i < std::size(kLevelNames); ++i) {
    if (kLevelNames[i] == text) return static_cast<Level>(i);
  }
  return std::nullopt;
}

std::optional<Format> parseFormat(std::string_view text) {
  if (text == "logfmt") return Format::kLogfmt;
  if (text == "json") return Format::kJson;
  return std::nullopt;
}

void configure(Level level, Format format) {
  g_level = level;
  g_format = format;
}

bool enabled(Level level) { return level >= g_level.load(); }

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  std::string line;
  const std::string_view level_name = kLevelNames[static_cast<size_t>(level)];
  if (g_format == Format::kJson) {
    line += "{\"ts\":";
    appendJsonString(line, timestamp());
    line += ",\"level\":";
    appendJsonString(line, level_name);
    line += ",\"msg\":";
    appendJsonString(line, message);
    for (const auto& [k, v] : fields) {
      line += ',';
      appendJsonString(line, k);
      line += ':';
      appendJsonString(line, v);
    }
    line += "}\n";
  } else {
    line += "ts=" + timestamp() + " level=";
    line += level_name;
    line += " msg=";
    appendLogfmtValue(line, message);
    for (const auto& [k, v] : fields) {
      line += ' ';
      line += k;
      line += '=';
      appendLogfmtValue(line, v);
    }
    line += '\n';
  }
  std::lock_guard lock(g_mu);
  if (g_sink) {
    g_sink(level, line);
    return;
  }
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

void setSink(Sink sink) {
  std::lock_guard lock(g_mu);
  g_sink = std::move(sink);
}

}  // namespace rras::logging
