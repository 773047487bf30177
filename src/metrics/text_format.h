// Pieces of the Prometheus text exposition format 0.0.4, written straight into a string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rras::text {

// Label values: escapes \ " and newline; invalid UTF-8 becomes U+FFFD so the output always parses.
void appendLabelValue(std::string& out, std::string_view value);
// HELP text: escapes \ and newline.
void appendHelp(std::string& out, std::string_view help);
void appendUint(std::string& out, uint64_t value);
// Shortest round-trip form; NaN, +Inf, -Inf as the format spells them.
void appendDouble(std::string& out, double value);
// "# HELP name help\n# TYPE name type\n"
void appendHeader(std::string& out, std::string_view name, std::string_view type, std::string_view help);

}  // namespace rras::text
