#include "yaml/config_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace rras {

std::optional<ConfigFileText> readConfigFile(const std::string& path) {
  const std::filesystem::path fs_path(std::u8string(path.begin(), path.end()));
  std::ifstream in(fs_path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  const auto folder = fs_path.parent_path().u8string();
  return ConfigFileText{buffer.str(), folder.empty() ? "." : std::string(folder.begin(), folder.end())};
}

}  // namespace rras
