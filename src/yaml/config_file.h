// Reading a configuration file named by a UTF-8 path (the narrow path would use the ANSI code page
// on Windows), and the folder its relative paths are resolved against.
#pragma once

#include <optional>
#include <string>

namespace rras {

struct ConfigFileText {
  std::string text;
  std::string folder;  // "." for a bare file name
};

// Nullopt when the file cannot be opened.
std::optional<ConfigFileText> readConfigFile(const std::string& path);

}  // namespace rras
