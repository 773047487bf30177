// The typed reader of the exporter's configuration file: scalars as strings, booleans, integers,
// numbers, durations, choices and secret files, each failing with "file:line:col: key.path: what".
// The config loader reads the common keys with it; each source reads its own keys with it
// (sources/<name>/<name>_source.cpp).
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>

#include "model/duration_text.h"
#include "model/utf8.h"
#include "yaml/yaml_reader.h"

namespace rras {

// What the exporter's configuration loader throws: "file:line:col: key.path: what".
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ConfigReader : public YamlReader<ConfigError> {
 public:
  using YamlReader::YamlReader;

  std::string scalar(const YAML::Node& node, const std::string& path, const char* expected) const {
    if (!node.IsScalar()) fail(node, path, std::string("expected ") + expected + ", got " + kind(node));
    // Names become label values: a file saved in a legacy code page must not break every scrape.
    if (!utf8::isValid(node.Scalar())) fail(node, path, "is not valid UTF-8; save the file as UTF-8");
    return node.Scalar();
  }

  std::string string(const YAML::Node& node, const std::string& path) const { return scalar(node, path, "a string"); }

  bool boolean(const YAML::Node& node, const std::string& path) const {
    const std::string s = scalar(node, path, "true or false");
    if (s == "true") return true;
    if (s == "false") return false;
    fail(node, path, "expected true or false, got \"" + s + "\"");
  }

  int64_t integer(const YAML::Node& node, const std::string& path, int64_t min, int64_t max) const {
    const std::string s = scalar(node, path, "an integer");
    int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) {
      fail(node, path, "expected an integer, got \"" + s + "\"");
    }
    if (v < min || v > max) {
      fail(node, path, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + s);
    }
    return v;
  }

  double number(const YAML::Node& node, const std::string& path, double min, double max) const {
    const std::string s = scalar(node, path, "a number");
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !(v >= min && v <= max)) {
      fail(node, path,
           "expected a number between " + std::to_string(min) + " and " + std::to_string(max) + ", got \"" + s + "\"");
    }
    return v;
  }

  double duration(const YAML::Node& node, const std::string& path, double max_seconds, bool allow_zero = false) const {
    const std::string s = scalar(node, path, "a duration such as 30s");
    double v = 0;
    try {
      v = parseDuration(s);
    } catch (const std::invalid_argument& e) {
      fail(node, path, e.what());
    }
    if (v == 0 && !allow_zero) fail(node, path, "must be longer than 0s");
    if (v > max_seconds) fail(node, path, "must not be longer than " + formatDuration(max_seconds));
    return v;
  }

  std::string choice(const YAML::Node& node, const std::string& path,
                     std::initializer_list<std::string_view> choices) const {
    std::string s = scalar(node, path, "a string");
    if (std::find(choices.begin(), choices.end(), s) != choices.end()) return s;
    fail(node, path, "\"" + s + "\" is not one of: " + joinNames(choices));
  }

  int maxLevel(const YAML::Node& node, const std::string& path) const {
    if (node.IsScalar() && node.Scalar() == "auto") return -1;
    if (!node.IsScalar()) fail(node, path, "expected auto or a level 0..3, got " + kind(node));
    return static_cast<int>(integer(node, path, 0, 3));
  }

  std::string readSecretFile(const YAML::Node& node, const std::string& path) const {
    return readSecretFile(node, path, string(node, path), 16);
  }

  // The file's contents without trailing line breaks; `name` relative to the config's folder.
  std::string readSecretFile(const YAML::Node& node, const std::string& path, const std::string& name,
                             size_t min_size) const {
    const std::filesystem::path file = resolve(name);
    std::ifstream in(file, std::ios::binary);
    if (!in) fail(node, path, "cannot read " + file.string());
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
    if (min_size > 1 && content.size() < min_size) {
      fail(node, path,
           file.string() + " holds fewer than " + std::to_string(min_size) + " bytes; use a longer random key");
    }
    if (content.empty()) fail(node, path, file.string() + " is empty");
    return content;
  }
};

}  // namespace rras
