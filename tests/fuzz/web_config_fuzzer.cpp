// libFuzzer target: the --web.config.file loader. Any input must either load or throw
// WebConfigError; any other exception, crash or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/web_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)rras::parseWebConfig(text, "fuzz-web.yml", "/nonexistent-rras-fuzz");
  } catch (const rras::WebConfigError&) {
  }
  return 0;
}
