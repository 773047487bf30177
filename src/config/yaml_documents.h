// Loads the first document of a YAML text and tells whether a second one follows, without
// YAML::LoadAll: yaml-cpp 0.7 (Debian 12) loops forever allocating empty documents on a stray ','
// or flow end outside [ ] and { } (jbeder/yaml-cpp#1040, fixed upstream by PR #1319; found here by
// tests/fuzz). Documents are counted with a bounded loop instead.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace rras {

struct YamlDocuments {
  YAML::Node first;                  // null when the text holds no document
  std::optional<YAML::Mark> second;  // where a second document starts, if there is one
};

// Throws YAML::ParserException (with its mark) for text yaml-cpp cannot parse, including the input
// that makes it stop consuming tokens.
YamlDocuments loadYamlDocuments(const std::string& text);

}  // namespace rras
