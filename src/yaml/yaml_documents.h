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

// The one document of a configuration file `name` (null when it is empty). Throws Error with
// "name:line:col: ..." for YAML that does not parse, or for a second document (the message then
// ends with `second_document_hint`).
template <typename Error>
YAML::Node loadOneYamlDocument(const std::string& text, const std::string& name,
                               const std::string& second_document_hint) {
  const auto at = [&](const YAML::Mark& mark) {
    return name + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": ";
  };
  const YamlDocuments documents = [&] {
    try {
      return loadYamlDocuments(text);
    } catch (const YAML::Exception& e) {
      throw Error(at(e.mark) + "invalid YAML: " + e.msg);
    }
  }();
  if (documents.second) {
    throw Error(at(*documents.second) + "a second YAML document (after ---) is not allowed" + second_document_hint);
  }
  return documents.first;
}

}  // namespace rras
