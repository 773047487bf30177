// A small parser of the Prometheus text format for tests: series (name + sorted labels) -> value,
// plus the TYPE of every family. Fails the test on a line it cannot read.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace rras::testing {

struct ParsedExposition {
  std::map<std::string, double> series;  // `name{a="1",b="2"}` with labels sorted -> value
  std::map<std::string, std::string> types;
  std::vector<std::string> order;  // series keys in the order they appeared
  size_t duplicates = 0;

  size_t count(const std::string& name) const {
    size_t n = 0;
    for (const auto& [key, value] : series) n += key.compare(0, name.size() + 1, name + "{") == 0 || key == name;
    return n;
  }
};

inline ParsedExposition parseExposition(const std::string& text) {
  ParsedExposition out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream f(line.substr(7));
      std::string name, type;
      f >> name >> type;
      out.types[name] = type;
      continue;
    }
    if (line[0] == '#') continue;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    const std::string name = line.substr(0, i);
    std::map<std::string, std::string> labels;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        const size_t eq = line.find('=', i);
        EXPECT_NE(eq, std::string::npos) << line;
        if (eq == std::string::npos) return out;
        const std::string label = line.substr(i, eq - i);
        i = eq + 2;  // skip ="
        std::string value;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\' && i + 1 < line.size()) {
            ++i;
            value += line[i] == 'n' ? '\n' : line[i];
          } else {
            value += line[i];
          }
          ++i;
        }
        ++i;  // closing quote
        if (i < line.size() && line[i] == ',') ++i;
        labels[label] = value;
      }
      ++i;  // }
    }
    const std::string value_text = line.substr(i + 1);
    double value = 0;
    if (value_text == "NaN")
      value = NAN;
    else if (value_text == "+Inf")
      value = INFINITY;
    else if (value_text == "-Inf")
      value = -INFINITY;
    else
      value = std::stod(value_text);
    std::string key = name + "{";
    bool first = true;
    for (const auto& [k, v] : labels) {
      key += (first ? "" : ",") + k + "=\"" + v + "\"";
      first = false;
    }
    key += "}";
    if (!out.series.emplace(key, value).second) ++out.duplicates;
    out.order.push_back(key);
  }
  return out;
}

}  // namespace rras::testing
