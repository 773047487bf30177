#include "yaml/yaml_documents.h"

#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <vector>

namespace rras {

namespace {

// Records where documents start; the content is built by YAML::Load.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

bool sameMark(const YAML::Mark& a, const YAML::Mark& b) {
  return a.pos == b.pos && a.line == b.line && a.column == b.column;
}

}  // namespace

YamlDocuments loadYamlDocuments(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts events;
  // At most two documents: all we need to know is whether there is a second one.
  for (int documents = 0; documents < 2 && parser.HandleNextDocument(events); ++documents) {
  }
  YamlDocuments out;
  if (events.starts.size() > 1) {
    if (sameMark(events.starts[0], events.starts[1])) {
      // yaml-cpp made no progress: a token it cannot place, such as ',' outside a flow collection.
      throw YAML::ParserException(events.starts[0], "unexpected ',', ']' or '}' outside [ ] or { } (quote the value)");
    }
    out.second = events.starts[1];
  }
  if (!events.starts.empty()) out.first = YAML::Load(text);
  return out;
}

}  // namespace rras
