// Strict YAML loading: unknown keys, duplicate keys, wrong types, bad durations, duplicate router
// names and missing files are errors that name file, line and column.
#pragma once

#include <stdexcept>
#include <string>

#include "config/config.h"
#include "yaml/config_reader.h"  // ConfigError

namespace rras {

// Reads and validates `path`; throws ConfigError.
Config loadConfigFile(const std::string& path);
// Validates YAML text; `name` stands for the file in messages. Relative paths inside (hash key
// files) resolve against `base_dir`.
Config parseConfig(const std::string& text, const std::string& name, const std::string& base_dir = ".");

}  // namespace rras
