#include "metrics/text_format.h"

#include <charconv>
#include <cmath>

#include "model/utf8.h"

namespace rras::text {

namespace {
// Plain ASCII that needs no escaping: copied in runs rather than byte by byte.
bool plainAscii(char c) { return static_cast<unsigned char>(c) < 0x80 && c != '\\' && c != '"' && c != '\n'; }
}  // namespace

void appendLabelValue(std::string& out, std::string_view value) {
  for (size_t i = 0; i < value.size();) {
    size_t run = i;
    while (run < value.size() && plainAscii(value[run])) ++run;
    if (run != i) {
      out.append(value.data() + i, run - i);
      i = run;
      continue;
    }
    const char c = value[i];
    if (c == '\\') {
      out += "\\\\";
      ++i;
      continue;
    }
    if (c == '"') {
      out += "\\\"";
      ++i;
      continue;
    }
    if (c == '\n') {
      out += "\\n";
      ++i;
      continue;
    }
    const size_t len = utf8::sequenceLength(value, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(value.data() + i, len);
      i += len;
    }
  }
}

void appendHelp(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

void appendUint(std::string& out, uint64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void appendDouble(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void appendHeader(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  appendHelp(out, help);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace rras::text
