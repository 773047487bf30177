// The part of reading a YAML configuration that the exporter's configuration and the web
// configuration share: errors that name "file:line:col: key.path: what", mappings with known keys,
// and paths relative to the file's folder. Each loader adds its own typed fields on top.
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>

namespace rras {

inline std::string joinNames(std::span<const std::string_view> names) {
  std::string out;
  for (auto n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}
inline std::string joinNames(std::initializer_list<std::string_view> names) {
  return joinNames(std::span<const std::string_view>(names.begin(), names.size()));
}

// Error: the exception type the loader throws (ConfigError, WebConfigError).
template <typename Error>
class YamlReader {
 public:
  YamlReader(std::string file, std::string base_dir) : file_(std::move(file)), base_dir_(std::move(base_dir)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& path, const std::string& what) const {
    const YAML::Mark mark = node.Mark();
    std::ostringstream out;
    out << file_;
    if (mark.line >= 0) out << ":" << mark.line + 1 << ":" << mark.column + 1;
    out << ": " << (path.empty() ? "" : path + ": ") << what;
    throw Error(out.str());
  }

  std::string where(const YAML::Node& node) const {
    return file_ + ":" + std::to_string(node.Mark().line + 1) + ":" + std::to_string(node.Mark().column + 1);
  }

  // A mapping whose keys are all in `allowed` and appear once, none without a value.
  void expectMap(const YAML::Node& node, const std::string& path,
                 std::initializer_list<std::string_view> allowed) const {
    expectMap(node, path, std::span<const std::string_view>(allowed.begin(), allowed.size()));
  }
  void expectMap(const YAML::Node& node, const std::string& path, std::span<const std::string_view> allowed) const {
    if (!node.IsMap()) fail(node, path, "expected a mapping, got " + kind(node));
    std::set<std::string> seen;
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) fail(kv.first, path, "keys must be plain strings");
      const std::string key = kv.first.Scalar();
      if (!seen.insert(key).second) fail(kv.first, path, "duplicate key \"" + key + "\"");
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        fail(kv.first, path, "unknown key \"" + key + "\" (allowed: " + joinNames(allowed) + ")");
      }
      // yaml-cpp marks an empty value at the next token, often on a later line: point at the key.
      if (kv.second.IsNull()) fail(kv.first, (path.empty() ? "" : path + ".") + key, "has no value");
    }
  }

  // `name` as given when absolute, else relative to the configuration file's folder.
  std::filesystem::path resolve(const std::string& name) const {
    std::filesystem::path file = name;
    if (file.is_relative()) file = std::filesystem::path(base_dir_) / file;
    return file;
  }

  static std::string kind(const YAML::Node& node) {
    switch (node.Type()) {
      case YAML::NodeType::Map:
        return "a mapping";
      case YAML::NodeType::Sequence:
        return "a list";
      case YAML::NodeType::Null:
        return "nothing";
      case YAML::NodeType::Scalar:
        return "\"" + node.Scalar() + "\"";
      default:
        return "an undefined value";
    }
  }

 private:
  std::string file_;
  std::string base_dir_;
};

}  // namespace rras
