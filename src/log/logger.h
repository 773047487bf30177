// Structured logging to stderr in logfmt or JSON (--log.format), filtered by --log.level.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace rras::logging {

enum class Level { kDebug = 0, kInfo, kWarn, kError };
enum class Format { kLogfmt, kJson };

std::optional<Level> parseLevel(std::string_view text);
std::optional<Format> parseFormat(std::string_view text);
void configure(Level level, Format format);
bool enabled(Level level);

// Where formatted lines go instead of stderr (the Windows Event Log for a service); nullptr
// restores stderr. `line` ends with a newline.
using Sink = std::function<void(Level level, std::string_view line)>;
void setSink(Sink sink);

using Field = std::pair<std::string_view, std::string_view>;
void write(Level level, std::string_view message, std::initializer_list<Field> fields = {});

inline void debug(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::kDebug, m, f); }
inline void info(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::kInfo, m, f); }
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::kWarn, m, f); }
inline void error(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::kError, m, f); }

}  // namespace rras::logging
