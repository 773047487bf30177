// Regression tests for what the fuzzers found (tests/fuzz/corpus/*/regression-*).
#include "yaml/yaml_documents.h"

#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "http/web_config.h"

namespace rras {
namespace {

// yaml-cpp 0.7's LoadAll allocated empty documents forever on these (jbeder/yaml-cpp#1040).
const char* const kStrayFlowIndicators[] = {
    ",\n", ",]\n[\n", ",a}}\nx: [{e: a\n",
    ",lobaey}}\nrou\xff\xff\xff: [{e: a, sourcei:ms\x8f\n",  // the config_loader fuzzer's find, shortened
};

TEST(YamlDocumentsTest, StrayFlowIndicatorsAreErrorsNotEndlessLoops) {
  for (const char* text : kStrayFlowIndicators) {
    SCOPED_TRACE(text);
    EXPECT_THROW(loadYamlDocuments(text), YAML::ParserException);
    try {
      parseConfig(text, "rras.yml");
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("rras.yml:1:1: invalid YAML: unexpected ','"), std::string::npos)
          << e.what();
    }
    EXPECT_THROW(parseWebConfig(text, "web.yml"), WebConfigError);
  }
}

TEST(YamlDocumentsTest, CountsDocuments) {
  EXPECT_TRUE(loadYamlDocuments("").first.IsNull());
  EXPECT_FALSE(loadYamlDocuments("a: 1\n").second);
  EXPECT_EQ(loadYamlDocuments("a: 1\n").first["a"].as<int>(), 1);
  const auto two = loadYamlDocuments("a: 1\n---\nb: 2\n");
  ASSERT_TRUE(two.second);
  EXPECT_EQ(two.second->line, 1);
  EXPECT_TRUE(loadYamlDocuments("---\na: 1\n").first["a"]);
}

}  // namespace
}  // namespace rras
