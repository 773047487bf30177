// Strict YAML loading: unknown keys, duplicate keys, wrong types, bad durations, duplicate router
// names and missing files are errors that name file, line and column.
#pragma once

#include <stdexcept>
#include <string>

#include "config/config.h"

namespace rras {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads and validates `path`; throws ConfigError.
Config loadConfigFile(const std::string& path);
// Validates YAML text; `name` stands for the file in messages. Relative paths inside (hash key
// files) resolve against `base_dir`.
Config parseConfig(const std::string& text, const std::string& name, const std::string& base_dir = ".");

// Prometheus-style duration ("30s", "1m30s", "500ms", "2h"); throws std::invalid_argument.
double parseDuration(const std::string& text);
// "20s", "0.5s", "86400s": how messages show a duration.
std::string formatDuration(double seconds);

}  // namespace rras
